#include "corpus/byte_class_scan.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace caploop::corpus {

namespace {

#if defined(__SSE2__)
// Bytes of `c` in [lo, hi] (unsigned), as a byte mask.
inline __m128i in_range(__m128i c, unsigned char lo, unsigned char hi) {
  return _mm_and_si128(_mm_cmpeq_epi8(_mm_max_epu8(c, _mm_set1_epi8(static_cast<char>(lo))), c),
                       _mm_cmpeq_epi8(_mm_min_epu8(c, _mm_set1_epi8(static_cast<char>(hi))), c));
}
inline __m128i equals(__m128i c, char v) { return _mm_cmpeq_epi8(c, _mm_set1_epi8(v)); }
inline uint64_t bits(__m128i m, int part) {
  return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(m))) << (16 * part);
}

// Classifies 64 bytes (p may point into a zero-filled copy for the last block).
inline void classify(const unsigned char* p, ByteClassBlock& b) {
  b = ByteClassBlock{};
  for (int part = 0; part < 4; ++part) {
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * part));
    const __m128i lower = _mm_or_si128(c, _mm_set1_epi8(0x20));
    const __m128i ascii_letter = in_range(lower, 'a', 'z');
    const __m128i digit = in_range(c, '0', '9');
    const __m128i newline = equals(c, '\n');
    b.space |= bits(_mm_or_si128(in_range(c, 9, 13), equals(c, ' ')), part);
    b.word |= bits(_mm_or_si128(ascii_letter, digit), part);
    b.letter |= bits(_mm_or_si128(ascii_letter, in_range(c, 0xC0, 0xFF)), part);
    b.digit |= bits(digit, part);
    b.cont |= bits(in_range(c, 0x80, 0xBF), part);
    b.newline |= bits(newline, part);
    b.dot |= bits(equals(c, '.'), part);
    b.hash |= bits(equals(c, '#'), part);
    b.brace |= bits(_mm_or_si128(equals(c, '{'), equals(c, '}')), part);
    const __m128i stop = _mm_or_si128(_mm_or_si128(equals(lower, 't'), equals(lower, 'b')),
                                      _mm_or_si128(_mm_or_si128(equals(lower, 'o'), equals(lower, 'a')),
                                                   _mm_or_si128(equals(lower, 'h'), equals(lower, 'w'))));
    b.stop_first |= bits(stop, part);
  }
}
#else
inline void classify(const unsigned char* p, ByteClassBlock& b) {
  b = ByteClassBlock{};
  for (int i = 0; i < 64; ++i) {
    const unsigned c = p[i];
    const uint64_t bit = uint64_t{1} << i;
    const unsigned lower = c | 0x20;
    const bool ascii_letter = lower >= 'a' && lower <= 'z';
    const bool digit = c >= '0' && c <= '9';
    if ((c >= 9 && c <= 13) || c == ' ') b.space |= bit;
    if (ascii_letter || digit) b.word |= bit;
    if (ascii_letter || c >= 0xC0) b.letter |= bit;
    if (digit) b.digit |= bit;
    if (c >= 0x80 && c <= 0xBF) b.cont |= bit;
    if (c == '\n') b.newline |= bit;
    if (c == '.') b.dot |= bit;
    if (c == '#') b.hash |= bit;
    if (c == '{' || c == '}') b.brace |= bit;
    if (lower == 't' || lower == 'b' || lower == 'o' || lower == 'a' || lower == 'h' || lower == 'w') b.stop_first |= bit;
  }
}
#endif

}  // namespace

void ByteClassScan::scan(std::string_view text) {
  text_ = text;
  const size_t n = text.size();
  const size_t full = n / 64, rest = n % 64;
  blocks_.resize(full + (rest ? 1 : 0));
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  uint64_t high = 0;
  for (size_t b = 0; b < full; ++b) {
    classify(p + 64 * b, blocks_[b]);
    high |= blocks_[b].cont | (blocks_[b].letter & ~blocks_[b].word);
  }
  if (rest) {
    unsigned char tail[64] = {};  // zero bytes belong to no class
    std::memcpy(tail, p + 64 * full, rest);
    classify(tail, blocks_[full]);
    high |= blocks_[full].cont | (blocks_[full].letter & ~blocks_[full].word);
  }
  non_ascii_ = high != 0;
}

}  // namespace caploop::corpus
