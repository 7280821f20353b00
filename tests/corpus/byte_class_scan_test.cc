// ByteClassScan's masks (AVX2 or SSE2, chosen at run time) must be the byte-by-byte definition in
// byte_class_scan.h for every byte value, at every position of a block, for texts of every length around the
// 64-byte blocks (the last block is classified from a zero-filled copy).
#include "corpus/byte_class_scan.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace caploop::corpus {
namespace {

ByteClassBlock expected_block(const std::string& text, size_t block) {
  ByteClassBlock b;
  for (size_t i = 0; i < 64 && 64 * block + i < text.size(); ++i) {
    const unsigned c = static_cast<unsigned char>(text[64 * block + i]);
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
  return b;
}

void expect_masks(const std::string& text) {
  ByteClassScan scan;
  scan.scan(text);
  ASSERT_EQ(scan.blocks().size(), (text.size() + 63) / 64);
  for (size_t b = 0; b < scan.blocks().size(); ++b) {
    const ByteClassBlock want = expected_block(text, b), got = scan.blocks()[b];
    EXPECT_EQ(got.space, want.space) << b;
    EXPECT_EQ(got.word, want.word) << b;
    EXPECT_EQ(got.letter, want.letter) << b;
    EXPECT_EQ(got.digit, want.digit) << b;
    EXPECT_EQ(got.cont, want.cont) << b;
    EXPECT_EQ(got.newline, want.newline) << b;
    EXPECT_EQ(got.dot, want.dot) << b;
    EXPECT_EQ(got.hash, want.hash) << b;
    EXPECT_EQ(got.brace, want.brace) << b;
    EXPECT_EQ(got.stop_first, want.stop_first) << b;
  }
}

TEST(ByteClassScan, EveryByteValueAtEveryPosition) {
  std::string all;
  for (int round = 0; round < 2; ++round)
    for (unsigned c = 0; c < 256; ++c) all += static_cast<char>(c);
  for (size_t shift = 0; shift < 64; ++shift) expect_masks(std::string(shift, 'x') + all);
}

TEST(ByteClassScan, RandomBytesOfEveryLengthAroundTheBlocks) {
  std::mt19937 rng(64);
  for (size_t n = 0; n < 300; ++n) {
    std::string text(n, '\0');
    for (char& c : text) c = static_cast<char>(rng() & 0xFF);
    expect_masks(text);
  }
}

}  // namespace
}  // namespace caploop::corpus
