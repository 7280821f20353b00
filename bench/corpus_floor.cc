// The floor of a per-document tagging path (issue #14, item 2): how fast the steps that any design of it needs run
// on their own, each stage adding one step, single-threaded, on the same shards as bench_corpus_tag; printed as MB
// per CPU second and as a share of the read limit. A stage's rate bounds every path that does at least its work:
//   1. read: decompress and split lines (the read limit);
//   2. + locate the text and id of each document with simdjson On-Demand (the text unescaped, nothing else parsed);
//   3. + one pass over the text: every word (a run of ASCII letters and digits) folded to lower case, hashed and
//      looked up in one open-addressing table of every whole-word keyword of the built-in taxonomy, its group's
//      count incremented (no phrases, prefixes, regexes, metrics or decisions);
//   4. + one attribute line per document formatted into a buffer (the id and one number per pattern group).
// The built-in rules do all of this and more (phrases, prefix keywords, 100+ regexes, text metrics, decisions), so
// `corpus tag` cannot be faster than stage 4.
//
// Usage: bench_corpus_floor SHARD...
#include <emmintrin.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_support.h"
#include "corpus/data_taxonomy.h"
#include "io/line_reader.h"

namespace fs = std::filesystem;
using namespace caploop;

namespace {

// A word's key: its first 8 bytes folded to lower case (| 0x20 is exact for ASCII letters and leaves digits as they
// are) and masked to its length, mixed with the rest of a longer word by FNV-1a; then a multiply to spread. `p` must
// have 8 readable bytes (the texts are copied into a padded buffer).
uint64_t hash_word(const char* p, size_t n) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  const uint64_t mask = n >= 8 ? ~0ull : (1ull << (8 * n)) - 1;
  uint64_t h = (v | 0x2020202020202020ull) & mask;
  for (size_t i = 8; i < n; ++i) h = (h ^ (static_cast<uint8_t>(p[i]) | 0x20)) * 1099511628211ull;
  return (h + n) * 0x9E3779B97F4A7C15ull;
}

// Whole-word keywords -> pattern group, open addressing on the word's hash (keys compared by hash only: a floor).
class KeywordTable {
 public:
  explicit KeywordTable(const corpus::DataTaxonomy& t) {
    size_t n = 0;
    for (const auto& g : t.pattern_groups) n += g.keywords.size();
    size_t cap = 1;
    while (cap < 4 * n + 16) cap <<= 1;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    for (size_t gi = 0; gi < t.pattern_groups.size(); ++gi) {
      for (const std::string& k : t.pattern_groups[gi].keywords) {
        if (k.empty() || k.back() == '*' || k.find(' ') != std::string::npos) continue;  // whole words only
        std::string padded_key = k + std::string(8, '\0');                               // hash_word reads 8 bytes
        uint64_t h = hash_word(padded_key.data(), k.size());
        size_t i = h & mask_;
        while (slots_[i].hash != 0 && slots_[i].hash != h) i = (i + 1) & mask_;
        slots_[i] = Slot{h, static_cast<uint32_t>(gi)};
        ++words_;
      }
    }
  }
  int lookup(uint64_t h) const {
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].hash == h) return static_cast<int>(slots_[i].group);
      if (slots_[i].hash == 0) return -1;
    }
  }
  size_t words() const { return words_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t group = 0;
  };
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t words_ = 0;
};

// Bit i set where byte i of the 64-byte block is an ASCII letter or digit (SSE2, four 16-byte lanes).
uint64_t word_mask(const char* p) {
  uint64_t out = 0;
  for (int k = 0; k < 4; ++k) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const __m128i lower = _mm_or_si128(b, _mm_set1_epi8(0x20));  // letters folded
    // (x - lo) as signed bytes after flipping the top bit: in [lo, hi] exactly when <= hi - lo - 128
    auto in_range = [](__m128i x, char lo, char hi) {
      const __m128i d = _mm_xor_si128(_mm_sub_epi8(x, _mm_set1_epi8(lo)), _mm_set1_epi8(static_cast<char>(0x80)));
      return _mm_cmpgt_epi8(_mm_set1_epi8(static_cast<char>(hi - lo - 128 + 1)), d);
    };
    const __m128i m = _mm_or_si128(in_range(lower, 'a', 'z'), in_range(b, '0', '9'));
    out |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(m))) << (16 * k);
  }
  return out;
}

struct StageResult {
  double cpu = 0;
  uint64_t bytes = 0, docs = 0, hits = 0, out_bytes = 0;
};

StageResult run_stage(int stage, const std::vector<fs::path>& shards, const KeywordTable& table, size_t groups) {
  StageResult r;
  std::string text_buffer;
  simdjson::ondemand::parser parser;
  std::string padded;
  std::string out;
  std::vector<uint32_t> counts(groups, 0);
  char word[64];
  const double c0 = bench::cpu_seconds();
  for (const auto& s : shards) {
    LineReader reader(s);
    std::string_view line;
    while (reader.next(line)) {
      r.bytes += line.size() + 1;
      ++r.docs;
      if (stage < 2) continue;
      padded.assign(line);
      padded.append(simdjson::SIMDJSON_PADDING, ' ');
      auto doc = parser.iterate(padded.data(), line.size(), padded.size());
      std::string_view text, id;
      if (doc["text"].get_string().get(text) != simdjson::SUCCESS) continue;
      if (doc["id"].raw_json_token().get(id) != simdjson::SUCCESS) id = {};
      if (stage < 3) {
        r.hits += text.size() & 1;
        continue;
      }
      std::fill(counts.begin(), counts.end(), 0);
      // The text in a buffer padded to whole 64-byte blocks (zeros: not word bytes), scanned a block at a time: word
      // starts and ends are the mask's rising and falling edges.
      text_buffer.assign(text);
      text_buffer.resize((text.size() + 63) / 64 * 64 + 64, '\0');
      const char* base = text_buffer.data();
      size_t start = 0;
      bool in_word = false;
      for (size_t block = 0; block <= text.size(); block += 64) {  // the last may hold only an end
        uint64_t m = word_mask(base + block);
        uint64_t edges = m ^ ((m << 1) | (in_word ? 1 : 0));  // bit set where a word starts or ends
        in_word = (m >> 63) != 0;
        while (edges != 0) {
          const size_t at = block + static_cast<size_t>(__builtin_ctzll(edges));
          edges &= edges - 1;
          if ((m >> (at - block)) & 1) {  // a start
            start = at;
            continue;
          }
          const size_t n = at - start;  // an end
          if (n > sizeof(word)) continue;
          const int g = table.lookup(hash_word(base + start, n));
          if (g >= 0) {
            ++counts[static_cast<size_t>(g)];
            ++r.hits;
          }
        }
      }
      if (stage < 4) continue;
      out.clear();
      out += "{\"id\":";
      out += id;
      out += ",\"attributes\":{";
      for (size_t g = 0; g < groups; ++g) {
        if (counts[g] == 0) continue;
        fmt::format_to(std::back_inserter(out), "\"g{}\":{:.4f},", g, counts[g] * 1000.0 / (1.0 + text.size() / 6.0));
      }
      out += "}}\n";
      r.out_bytes += out.size();
    }
  }
  r.cpu = bench::cpu_seconds() - c0;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<fs::path> shards;
  for (int i = 1; i < argc; ++i) shards.emplace_back(argv[i]);
  if (shards.empty()) {
    fmt::print(stderr, "usage: bench_corpus_floor SHARD...\n");
    return 2;
  }
  const corpus::DataTaxonomy taxonomy = corpus::builtin_data_taxonomy();
  const KeywordTable table(taxonomy);
  const size_t groups = taxonomy.pattern_groups.size();
  fmt::print("built-in taxonomy: {} pattern groups, {} whole-word keywords in the table\n", groups, table.words());
  fmt::print("{:<64} {:>8} {:>14} {:>14} {:>12}\n", "stage (single thread, cumulative)", "CPU s", "MB per CPU s",
             "of read limit", "hits/doc");
  const char* names[] = {"", "1. read: decompress + lines", "2. + text and id located (simdjson On-Demand)",
                         "3. + every word folded, hashed, looked up", "4. + an attribute line per document"};
  double limit = 0;
  for (int stage = 1; stage <= 4; ++stage) {
    StageResult best;
    for (int rep = 0; rep < 2; ++rep) {  // the faster of two passes (the host's speed drifts)
      StageResult r = run_stage(stage, shards, table, groups);
      if (rep == 0 || r.cpu < best.cpu) best = r;
    }
    const double rate = static_cast<double>(best.bytes) / 1e6 / best.cpu;
    if (stage == 1) limit = rate;
    fmt::print("{:<64} {:>8.2f} {:>14.1f} {:>13.0f}% {:>12.1f}\n", names[stage], best.cpu, rate, 100.0 * rate / limit,
               stage >= 3 ? static_cast<double>(best.hits) / static_cast<double>(best.docs) : 0.0);
  }
  return 0;
}
