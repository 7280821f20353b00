#include "corpus/byte_class_scan.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define CAPLOOP_HAVE_AVX2_PATH 1
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
    if (lower == 't' || lower == 'b' || lower == 'o' || lower == 'a' || lower == 'h' || lower == 'w')
      b.stop_first |= bit;
  }
}
#endif

#if defined(CAPLOOP_HAVE_AVX2_PATH)
// The same classification 32 bytes at a time, for CPUs with AVX2 (chosen at run time).
[[gnu::target("avx2")]] inline __m256i equals32(__m256i c, char v) { return _mm256_cmpeq_epi8(c, _mm256_set1_epi8(v)); }
// Bytes of `c` in [lo, hi] (unsigned, hi - lo < 255) in two operations: c - lo, with its top bit flipped, is
// a signed byte that is at most hi - lo - 128 exactly for those bytes.
[[gnu::target("avx2")]] inline __m256i within32(__m256i c, unsigned char lo, unsigned char hi) {
  const __m256i shifted = _mm256_add_epi8(c, _mm256_set1_epi8(static_cast<char>(0x80 - lo)));
  return _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(hi - lo - 127)), shifted);
}
[[gnu::target("avx2")]] inline uint32_t mask32(__m256i m) { return static_cast<uint32_t>(_mm256_movemask_epi8(m)); }
[[gnu::target("avx2")]] void classify_avx2(const unsigned char* p, ByteClassBlock& b) {
  uint32_t space[2], word[2], letter[2], digit[2], cont[2], newline[2], dot[2], hash[2], brace[2], stop[2];
  for (int part = 0; part < 2; ++part) {
    const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * part));
    const __m256i lower = _mm256_or_si256(c, _mm256_set1_epi8(0x20));
    const __m256i ascii_letter = within32(lower, 'a', 'z');
    const __m256i digits = within32(c, '0', '9');
    space[part] = mask32(_mm256_or_si256(within32(c, 9, 13), equals32(c, ' ')));
    word[part] = mask32(_mm256_or_si256(ascii_letter, digits));
    letter[part] = mask32(_mm256_or_si256(ascii_letter, within32(c, 0xC0, 0xFF)));
    digit[part] = mask32(digits);
    // 0x80..0xBF are the signed bytes below -64.
    cont[part] = mask32(_mm256_cmpgt_epi8(_mm256_set1_epi8(-64), c));
    newline[part] = mask32(equals32(c, '\n'));
    dot[part] = mask32(equals32(c, '.'));
    hash[part] = mask32(equals32(c, '#'));
    brace[part] = mask32(_mm256_or_si256(equals32(c, '{'), equals32(c, '}')));
    stop[part] = mask32(_mm256_or_si256(_mm256_or_si256(equals32(lower, 't'), equals32(lower, 'b')),
                                        _mm256_or_si256(_mm256_or_si256(equals32(lower, 'o'), equals32(lower, 'a')),
                                                        _mm256_or_si256(equals32(lower, 'h'), equals32(lower, 'w')))));
  }
  auto join = [](const uint32_t* m) { return uint64_t{m[0]} | uint64_t{m[1]} << 32; };
  b.space = join(space);
  b.word = join(word);
  b.letter = join(letter);
  b.digit = join(digit);
  b.cont = join(cont);
  b.newline = join(newline);
  b.dot = join(dot);
  b.hash = join(hash);
  b.brace = join(brace);
  b.stop_first = join(stop);
}
const bool kHaveAvx2 = __builtin_cpu_supports("avx2");
#endif

inline void classify_best(const unsigned char* p, ByteClassBlock& b) {
#if defined(CAPLOOP_HAVE_AVX2_PATH)
  if (kHaveAvx2) return classify_avx2(p, b);
#endif
  classify(p, b);
}

}  // namespace

void ByteClassScan::scan(std::string_view text) {
  text_ = text;
  const size_t n = text.size();
  const size_t full = n / 64, rest = n % 64;
  blocks_.resize(full + (rest ? 1 : 0));
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  uint64_t high = 0;
  for (size_t b = 0; b < full; ++b) {
    classify_best(p + 64 * b, blocks_[b]);
    high |= blocks_[b].cont | (blocks_[b].letter & ~blocks_[b].word);
  }
  if (rest) {
    unsigned char tail[64] = {};  // zero bytes belong to no class
    std::memcpy(tail, p + 64 * full, rest);
    classify_best(tail, blocks_[full]);
    high |= blocks_[full].cont | (blocks_[full].letter & ~blocks_[full].word);
  }
  non_ascii_ = high != 0;
}

}  // namespace caploop::corpus
