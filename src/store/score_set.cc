#include "store/score_set.h"

#include <fmt/format.h>

#include "core/error.h"

namespace caploop {

namespace {

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

uint64_t zigzag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t unzigzag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

class BlobCursor {
 public:
  BlobCursor(std::string_view blob, std::string_view where)
      : p_(blob.data()), end_(blob.data() + blob.size()), where_(where) {}
  bool done() const { return p_ == end_; }
  uint8_t byte() {
    if (p_ == end_) fail("cut short");
    return static_cast<uint8_t>(*p_++);
  }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = byte();
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    fail("a number longer than 64 bits");
  }
  std::string_view bytes(uint64_t n) {
    if (n > static_cast<uint64_t>(end_ - p_)) fail("cut short");
    std::string_view out(p_, n);
    p_ += n;
    return out;
  }
  [[noreturn]] void fail(std::string_view what) const {
    throw Error(ErrorKind::kStore, fmt::format("{}: stored score set is damaged ({})", where_, what));
  }

 private:
  const char* p_;
  const char* end_;
  std::string_view where_;
};

constexpr uint8_t kFound = 1, kCorrect = 2, kRanOn = 4, kTruncated = 8, kRepetitive = 16;
constexpr uint8_t kLastEnding = static_cast<uint8_t>(EndingKind::kNoAnswer);
constexpr uint8_t kLastEvidence = static_cast<uint8_t>(EndingEvidence::kInferred);

}  // namespace

std::string encode_score_set(const std::vector<SampleScore>& samples) {
  std::string out;
  out.reserve(1 + samples.size() * 10);
  out.push_back(static_cast<char>(kScoreSetFormat));
  int64_t response = 0, item = 0;
  for (const SampleScore& s : samples) {
    put_varint(out, zigzag(s.response_id - response));
    put_varint(out, zigzag(s.item_id - item));
    response = s.response_id;
    item = s.item_id;
    put_varint(out, static_cast<uint64_t>(s.sample_index));
    out.push_back(static_cast<char>((s.found ? kFound : 0) | (s.correct ? kCorrect : 0) | (s.ran_on ? kRanOn : 0) |
                                    (s.truncated ? kTruncated : 0) | (s.repetitive ? kRepetitive : 0)));
    out.push_back(static_cast<char>(static_cast<uint8_t>(s.ending) | (static_cast<uint8_t>(s.evidence) << 4)));
    put_varint(out, s.answer.size());
    out += s.answer;
  }
  return out;
}

void decode_score_set(std::string_view blob, std::vector<SampleScore>& out, std::string_view where) {
  BlobCursor in(blob, where);
  if (in.done()) in.fail("empty");
  if (uint8_t format = in.byte(); format != kScoreSetFormat) {
    in.fail(fmt::format("format {}, this caploop reads {}", format, kScoreSetFormat));
  }
  int64_t response = 0, item = 0;
  while (!in.done()) {
    SampleScore& s = out.emplace_back();
    response += unzigzag(in.varint());
    item += unzigzag(in.varint());
    s.response_id = response;
    s.item_id = item;
    s.sample_index = static_cast<int64_t>(in.varint());
    uint8_t flags = in.byte();
    if (flags > (kFound | kCorrect | kRanOn | kTruncated | kRepetitive)) in.fail("unknown flags");
    s.found = flags & kFound;
    s.correct = flags & kCorrect;
    s.ran_on = flags & kRanOn;
    s.truncated = flags & kTruncated;
    s.repetitive = flags & kRepetitive;
    uint8_t ending = in.byte();
    if ((ending & 0x0f) > kLastEnding || (ending >> 4) > kLastEvidence) in.fail("unknown ending");
    s.ending = static_cast<EndingKind>(ending & 0x0f);
    s.evidence = static_cast<EndingEvidence>(ending >> 4);
    s.answer = in.bytes(in.varint());
  }
}

}  // namespace caploop
