// ByteClassScan: one pass over a document's text that records, for every 64-byte block, a bit per byte for each
// byte class the per-document work needs (ASCII white space, letters, digits, UTF-8 continuation bytes, line
// breaks, and the few punctuation bytes the metrics count). The text metrics and the whole-word keyword lookups
// both read these masks instead of classifying the text byte by byte again (AVX2 where the CPU has it, else SSE2
// on x86-64, scalar elsewhere; the masks are the same).
//
// Contract: scan() classifies `text` (any bytes; it never fails) into blocks()[b], whose bit i describes byte
// 64*b + i; bits past the end of the text are 0 in every mask. The scan keeps a view of the text, which must
// outlive its use. Reused between documents by one thread (the block storage is kept).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace caploop::corpus {

struct ByteClassBlock {
  uint64_t space = 0;       // ' ', '\t', '\n', '\v', '\f', '\r'
  uint64_t word = 0;        // ASCII letters and digits (the bytes of a keyword word)
  uint64_t letter = 0;      // ASCII letters and UTF-8 lead bytes (>= 0xC0: non-ASCII letters count as letters)
  uint64_t digit = 0;       // '0'..'9'
  uint64_t cont = 0;        // UTF-8 continuation bytes 0x80..0xBF
  uint64_t newline = 0;     // '\n'
  uint64_t dot = 0;         // '.'
  uint64_t hash = 0;        // '#'
  uint64_t brace = 0;       // '{' or '}'
  uint64_t stop_first = 0;  // first letters of the Gopher stop words: t b o a h w, either case
};

class ByteClassScan {
 public:
  void scan(std::string_view text);
  std::string_view text() const { return text_; }
  const std::vector<ByteClassBlock>& blocks() const { return blocks_; }
  bool has_non_ascii() const { return non_ascii_; }

 private:
  std::string_view text_;
  std::vector<ByteClassBlock> blocks_;
  bool non_ascii_ = false;
};

}  // namespace caploop::corpus
