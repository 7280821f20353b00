// LineReader: streams the lines of a text file that may be plain, gzip (.gz) or zstd (.zst) compressed.
//
// Contract: the compression is chosen from the file name's ending. next() returns the next line without its
// trailing "\n" (and "\r\n"), as a view valid until the following call; it returns false at end of input.
// line_number() is the 1-based number of the line last returned. A plain (uncompressed) regular file is mapped
// into memory and its lines are views into the mapping (no copy; its pages are the page cache's, and those of lines
// read give way a few MB at a time); otherwise memory is bounded by the longest line plus a fixed buffer. Either way
// the resident memory does not grow with the file's size. A mapped file is read as it was when opened: lines
// appended afterwards are not read, and a file truncated while it is read ends the process (SIGBUS), as for any
// program that maps its input; files being written are not input. A line longer than max_line_bytes, a
// corrupt or truncated compressed stream, or a read failure throws caploop::Error (kInput or kIo) naming the file and
// line. bytes_read() counts compressed bytes consumed so far (for progress). Not thread-safe; one reader per thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace caploop {

class LineReader {
 public:
  static constexpr size_t kDefaultMaxLineBytes = size_t{1} << 30;  // 1 GiB

  explicit LineReader(const std::filesystem::path& path, size_t max_line_bytes = kDefaultMaxLineBytes);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  bool next(std::string_view& line);
  int64_t line_number() const;
  uint64_t bytes_read() const;  // compressed bytes consumed
  uint64_t file_size() const;   // size of the file on disk
  const std::filesystem::path& path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads a whole file into memory (decompressing .gz/.zst); throws kIo/kInput naming the file. Files larger
// than max_bytes (after decompression) are refused with a clear error rather than exhausting memory.
std::string read_whole_file(const std::filesystem::path& path, size_t max_bytes = size_t{4} << 30);

}  // namespace caploop
