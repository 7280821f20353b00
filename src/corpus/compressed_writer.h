// CompressedWriter: writes a text file plain, gzip (.gz) or zstd (.zst) compressed, chosen by a file name.
//
// Contract: output is deterministic (gzip header without time stamp, zstd at a fixed level, single thread),
// so equal input bytes give byte-identical files. Errors throw caploop::Error (kIo) naming the file.
// close() must be called to flush and check the final write; the destructor closes silently. Not thread-safe.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace caploop::corpus {

class CompressedWriter {
 public:
  // Writes to `path`, compressing as the name `compression_name` says (the final name when writing a temp file).
  CompressedWriter(const std::filesystem::path& path, const std::filesystem::path& compression_name);
  ~CompressedWriter();
  CompressedWriter(const CompressedWriter&) = delete;
  CompressedWriter& operator=(const CompressedWriter&) = delete;

  void write(std::string_view bytes);
  void close();

 private:
  enum class Codec { kPlain, kGzip, kZstd };
  void write_raw(const void* data, size_t size);
  void compress(std::string_view bytes, bool finish);
  std::filesystem::path path_;
  Codec codec_ = Codec::kPlain;
  std::FILE* file_ = nullptr;
  void* stream_ = nullptr;  // z_stream* or ZSTD_CCtx*
  std::string out_;
  bool closed_ = false;
};

}  // namespace caploop::corpus
