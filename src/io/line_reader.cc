#include "io/line_reader.h"

#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/error.h"

namespace caploop {

namespace fs = std::filesystem;

namespace {

// Compressed input is read from disk in chunks of up to this size; decompressed text goes to a buffer of
// up to the same size, which grows only when one line does not fit. Small files get small buffers.
constexpr size_t kReadChunkBytes = size_t{1} << 20;
constexpr size_t kMinBufferBytes = 4096;
// Largest single decompression call (zlib counts in 32-bit unsigned integers).
constexpr size_t kMaxOutputPerCall = size_t{1} << 30;

enum class Codec { kPlain, kGzip, kZstd };

Codec codec_for(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".gz" || ext == ".gzip") return Codec::kGzip;
  if (ext == ".zst" || ext == ".zstd") return Codec::kZstd;
  return Codec::kPlain;
}

// The decompressed bytes of one file, produced chunk by chunk. Errors name the file and the line the
// caller says it has reached (0 for "the file as a whole").
class ByteSource {
 public:
  explicit ByteSource(const fs::path& path) : path_(path), codec_(codec_for(path)) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      throw Error(ErrorKind::kIo, "is a directory, not a file", {path.string(), 0, ""});
    }
    file_ = std::fopen(path.c_str(), "rb");
    if (file_ == nullptr) {
      int err = errno;
      if (err == ENOENT) throw Error(ErrorKind::kNotFound, "file not found", {path.string(), 0, ""});
      throw Error(ErrorKind::kIo, fmt::format("cannot open: {}", std::strerror(err)), {path.string(), 0, ""});
    }
    uint64_t size = fs::file_size(path, ec);
    file_size_ = ec ? 0 : size;
    size_t input_bytes = static_cast<size_t>(std::clamp<uint64_t>(file_size_, 1, kReadChunkBytes));
    if (codec_ == Codec::kGzip) {
      input_.resize(input_bytes);
      // 15 window bits + 16: expect a gzip header (not raw zlib).
      if (inflateInit2(&zs_, 15 + 16) != Z_OK) {
        std::fclose(file_);
        throw Error(ErrorKind::kInternal, "cannot initialise zlib", {path.string(), 0, ""});
      }
    } else if (codec_ == Codec::kZstd) {
      input_.resize(input_bytes);
      dctx_ = ZSTD_createDCtx();
      if (dctx_ == nullptr) {
        std::fclose(file_);
        throw Error(ErrorKind::kInternal, "cannot initialise zstd", {path.string(), 0, ""});
      }
    }
  }

  ~ByteSource() {
    if (mapped_ != nullptr) munmap(mapped_, file_size_);
    if (codec_ == Codec::kGzip) inflateEnd(&zs_);
    if (dctx_ != nullptr) ZSTD_freeDCtx(dctx_);
    if (file_ != nullptr) std::fclose(file_);
  }

  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // A good first size for a buffer of decompressed text: the file itself when plain, a guess otherwise.
  size_t initial_buffer_bytes() const {
    uint64_t guess = codec_ == Codec::kPlain ? file_size_ + 1 : file_size_ * 4;
    return static_cast<size_t>(std::clamp<uint64_t>(guess, kMinBufferBytes, kReadChunkBytes));
  }

  // Writes up to `cap` (> 0) decompressed bytes to `dst`; returns 0 only at the end of the input.
  size_t read(char* dst, size_t cap, int64_t line) {
    cap = std::min(cap, kMaxOutputPerCall);
    switch (codec_) {
      case Codec::kPlain:
        return read_raw(dst, cap, line);
      case Codec::kGzip:
        return read_gzip(dst, cap, line);
      case Codec::kZstd:
        return read_zstd(dst, cap, line);
    }
    return 0;
  }

  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t file_size() const { return file_size_; }

  // A plain regular file, mapped whole (read-only): its bytes without a copy through a buffer; empty when the file
  // is compressed, empty, not regular, or cannot be mapped (then read() serves it).
  std::string_view map() {
    if (codec_ != Codec::kPlain || file_size_ == 0 || file_size_ > SIZE_MAX / 2) return {};
    struct stat st;
    if (fstat(fileno(file_), &st) != 0 || !S_ISREG(st.st_mode) || static_cast<uint64_t>(st.st_size) != file_size_)
      return {};
    void* p = mmap(nullptr, file_size_, PROT_READ, MAP_PRIVATE, fileno(file_), 0);
    if (p == MAP_FAILED) return {};
    madvise(p, file_size_, MADV_SEQUENTIAL);
    mapped_ = p;
    return {static_cast<const char*>(p), static_cast<size_t>(file_size_)};
  }

 private:
  size_t read_raw(char* dst, size_t cap, int64_t line) {
    if (at_eof_) return 0;
    size_t n = std::fread(dst, 1, cap, file_);
    if (n < cap) {
      if (std::ferror(file_)) {
        throw Error(ErrorKind::kIo, fmt::format("read failed: {}", std::strerror(errno)), {path_.string(), line, ""});
      }
      at_eof_ = true;
    }
    bytes_read_ += n;
    return n;
  }

  // Refills input_ when it is used up; afterwards input_pos_ == input_size_ means end of file.
  void refill_input(int64_t line) {
    if (input_pos_ < input_size_ || at_eof_) return;
    input_size_ = read_raw(input_.data(), input_.size(), line);
    input_pos_ = 0;
  }

  [[noreturn]] void throw_truncated(int64_t line) const {
    throw Error(
        ErrorKind::kInput,
        fmt::format("{} stream is truncated (unexpected end of file)", codec_ == Codec::kGzip ? "gzip" : "zstd"),
        {path_.string(), line, ""});
  }

  [[noreturn]] void throw_corrupt(int64_t line, const char* detail) const {
    throw Error(ErrorKind::kInput,
                fmt::format("{} stream is corrupt: {}", codec_ == Codec::kGzip ? "gzip" : "zstd",
                            detail != nullptr ? detail : "invalid data"),
                {path_.string(), line, ""});
  }

  // gzip: consecutive members are concatenated, as `gzip -d` does.
  size_t read_gzip(char* dst, size_t cap, int64_t line) {
    zs_.next_out = reinterpret_cast<Bytef*>(dst);
    zs_.avail_out = static_cast<uInt>(cap);
    while (zs_.avail_out == cap) {
      refill_input(line);
      bool no_more_input = input_pos_ == input_size_;
      if (no_more_input && member_complete_) return 0;
      zs_.next_in = reinterpret_cast<Bytef*>(input_.data() + input_pos_);
      zs_.avail_in = static_cast<uInt>(input_size_ - input_pos_);
      uInt before_in = zs_.avail_in;
      uInt before_out = zs_.avail_out;
      int rc = inflate(&zs_, Z_NO_FLUSH);
      input_pos_ += before_in - zs_.avail_in;
      bool progressed = zs_.avail_in != before_in || zs_.avail_out != before_out;
      if (rc == Z_STREAM_END) {
        member_complete_ = true;
        inflateReset(&zs_);
      } else if (rc == Z_OK || rc == Z_BUF_ERROR) {
        if (progressed) member_complete_ = false;
        if (!progressed && no_more_input) throw_truncated(line);
      } else {
        throw_corrupt(line, zs_.msg);
      }
    }
    return cap - zs_.avail_out;
  }

  // zstd: consecutive frames (and skippable frames) are concatenated.
  size_t read_zstd(char* dst, size_t cap, int64_t line) {
    ZSTD_outBuffer out{dst, cap, 0};
    while (out.pos == 0) {
      refill_input(line);
      bool no_more_input = input_pos_ == input_size_;
      if (no_more_input && frame_complete_) return 0;
      ZSTD_inBuffer in{input_.data() + input_pos_, input_size_ - input_pos_, 0};
      size_t rc = ZSTD_decompressStream(dctx_, &out, &in);
      input_pos_ += in.pos;
      if (ZSTD_isError(rc)) throw_corrupt(line, ZSTD_getErrorName(rc));
      if (rc == 0) {
        frame_complete_ = true;
      } else if (in.pos > 0 || out.pos > 0) {
        frame_complete_ = false;
      } else if (no_more_input) {
        throw_truncated(line);
      }
    }
    return out.pos;
  }

  fs::path path_;
  Codec codec_;
  std::FILE* file_ = nullptr;
  void* mapped_ = nullptr;  // map()'s mapping, file_size_ bytes
  uint64_t file_size_ = 0;
  uint64_t bytes_read_ = 0;
  bool at_eof_ = false;

  std::vector<char> input_;  // compressed bytes
  size_t input_pos_ = 0;
  size_t input_size_ = 0;

  z_stream zs_{};
  bool member_complete_ = false;  // an empty .gz file is not a gzip stream
  ZSTD_DCtx* dctx_ = nullptr;
  bool frame_complete_ = false;  // an empty .zst file is not a zstd stream
};

}  // namespace

struct LineReader::Impl {
  Impl(const fs::path& p, size_t max_line) : path(p), source(p), max_line_bytes(max_line), mapped(source.map()) {
    if (mapped.empty()) buffer.resize(source.initial_buffer_bytes());
  }

  // The line [begin, line_end) of the bytes at `base` (without the "\r" of a "\r\n"), checked against the limit;
  // the next begins after its "\n" (at most at `end`, one past the last byte).
  std::string_view take_line(const char* base, size_t line_end, bool has_newline, size_t end) {
    size_t content_end = line_end;
    if (has_newline && content_end > begin && base[content_end - 1] == '\r') --content_end;
    if (content_end - begin > max_line_bytes) throw_too_long();
    std::string_view line(base + begin, content_end - begin);
    begin = std::min(line_end + 1, end);
    ++line_number;
    return line;
  }

  // Mapped: the pages of the lines already returned (the one before this excepted) leave the process, a few MB at a
  // time, so that its resident memory stays bounded whatever the file's size (they stay in the page cache).
  void release_read_pages() {
    constexpr size_t kReleaseBytes = size_t{4} << 20;
    if (begin < released + 2 * kReleaseBytes) return;
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const size_t upto = (begin - kReleaseBytes) / page * page;
    madvise(const_cast<char*>(mapped.data()) + released, upto - released, MADV_DONTNEED);
    released = upto;
  }

  [[noreturn]] void throw_too_long() const {
    throw Error(ErrorKind::kInput, fmt::format("line is longer than the limit of {} bytes", max_line_bytes),
                {path.string(), line_number + 1, ""});
  }

  fs::path path;
  ByteSource source;
  size_t max_line_bytes;
  std::string_view mapped;  // the whole file when mapped (lines are views into it), else lines come through buffer
  size_t released = 0;      // mapped bytes [0, released) given back (MADV_DONTNEED), a multiple of the page size
  std::vector<char> buffer;
  size_t begin = 0;    // first byte not yet returned
  size_t scanned = 0;  // bytes in [begin, scanned) hold no '\n'
  size_t end = 0;      // one past the last decompressed byte
  bool input_done = false;
  int64_t line_number = 0;
};

LineReader::LineReader(const fs::path& path, size_t max_line_bytes)
    : impl_(std::make_unique<Impl>(path, max_line_bytes)) {}

LineReader::~LineReader() = default;

bool LineReader::next(std::string_view& line) {
  Impl& r = *impl_;
  if (!r.mapped.empty()) {
    if (r.begin >= r.mapped.size()) return false;
    const char* base = r.mapped.data();
    const void* nl = std::memchr(base + r.begin, '\n', r.mapped.size() - r.begin);
    r.release_read_pages();
    line = r.take_line(base, nl != nullptr ? static_cast<size_t>(static_cast<const char*>(nl) - base) : r.mapped.size(),
                       nl != nullptr, r.mapped.size());
    return true;
  }
  for (;;) {
    const char* base = r.buffer.data();
    const void* nl = r.scanned < r.end ? std::memchr(base + r.scanned, '\n', r.end - r.scanned) : nullptr;
    size_t line_end;
    bool has_newline = nl != nullptr;
    if (has_newline) {
      line_end = static_cast<size_t>(static_cast<const char*>(nl) - base);
    } else if (r.input_done) {
      if (r.begin == r.end) return false;
      line_end = r.end;  // a last line without "\n" (kept whole: only "\r\n" loses its "\r")
    } else {
      // No complete line buffered: make room (moving the partial line to the front) and read more.
      size_t pending = r.end - r.begin;
      if (pending > r.max_line_bytes && pending - r.max_line_bytes > 1) r.throw_too_long();  // 1: a "\r"
      if (r.begin > 0) {
        std::memmove(r.buffer.data(), base + r.begin, r.end - r.begin);
        r.end -= r.begin;
        r.begin = 0;
      }
      if (r.end == r.buffer.size()) r.buffer.resize(r.buffer.size() * 2);
      r.scanned = r.end;
      size_t n = r.source.read(r.buffer.data() + r.end, r.buffer.size() - r.end, r.line_number + 1);
      if (n == 0) r.input_done = true;
      r.end += n;
      continue;
    }
    line = r.take_line(base, line_end, has_newline, r.end);
    r.scanned = r.begin;
    return true;
  }
}

int64_t LineReader::line_number() const { return impl_->line_number; }
uint64_t LineReader::bytes_read() const { return impl_->mapped.empty() ? impl_->source.bytes_read() : impl_->begin; }
uint64_t LineReader::file_size() const { return impl_->source.file_size(); }
const fs::path& LineReader::path() const { return impl_->path; }

std::string read_whole_file(const fs::path& path, size_t max_bytes) {
  ByteSource source(path);
  std::string out(source.initial_buffer_bytes(), '\0');
  size_t size = 0;
  for (;;) {
    if (size == out.size()) out.resize(out.size() * 2);
    size_t n = source.read(out.data() + size, out.size() - size, 0);
    if (n == 0) break;
    size += n;
    if (size > max_bytes) {
      throw Error(ErrorKind::kInput,
                  fmt::format("file is larger than the limit of {} bytes (after decompression)", max_bytes),
                  {path.string(), 0, ""});
    }
  }
  out.resize(size);
  return out;
}

}  // namespace caploop
