#include "corpus/compressed_writer.h"

#include <fmt/format.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace caploop::corpus {

namespace {
constexpr size_t kOutChunk = size_t{1} << 18;
}

CompressedWriter::CompressedWriter(const std::filesystem::path& path, const std::filesystem::path& compression_name)
    : path_(path) {
  std::string ext = compression_name.extension().string();
  if (ext == ".gz")
    codec_ = Codec::kGzip;
  else if (ext == ".zst")
    codec_ = Codec::kZstd;
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_)
    throw Error(ErrorKind::kIo, fmt::format("cannot create: {}", std::strerror(errno)), {path.string(), 0, ""});
  out_.resize(kOutChunk);
  if (codec_ == Codec::kGzip) {
    auto* zs = new z_stream{};
    // 15 window bits + 16: a gzip wrapper; zlib writes time stamp 0, so the bytes are reproducible.
    if (deflateInit2(zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      delete zs;
      throw Error(ErrorKind::kInternal, "cannot initialise zlib", {path.string(), 0, ""});
    }
    stream_ = zs;
  } else if (codec_ == Codec::kZstd) {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
    stream_ = cctx;
  }
}

CompressedWriter::~CompressedWriter() {
  if (!closed_) {
    try {
      close();
    } catch (const Error&) {
      // Destruction after a failure elsewhere: the file is a temporary that will not be renamed into place.
    }
  }
  if (codec_ == Codec::kGzip && stream_) {
    deflateEnd(static_cast<z_stream*>(stream_));
    delete static_cast<z_stream*>(stream_);
  } else if (codec_ == Codec::kZstd && stream_) {
    ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(stream_));
  }
  if (file_) std::fclose(file_);
}

void CompressedWriter::write_raw(const void* data, size_t size) {
  if (size && std::fwrite(data, 1, size, file_) != size)
    throw Error(ErrorKind::kIo, fmt::format("write failed: {}", std::strerror(errno)), {path_.string(), 0, ""});
}

void CompressedWriter::compress(std::string_view bytes, bool finish) {
  if (codec_ == Codec::kGzip) {
    auto* zs = static_cast<z_stream*>(stream_);
    zs->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    zs->avail_in = static_cast<uInt>(bytes.size());
    int rc;
    do {
      zs->next_out = reinterpret_cast<Bytef*>(out_.data());
      zs->avail_out = static_cast<uInt>(out_.size());
      rc = deflate(zs, finish ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR) throw Error(ErrorKind::kInternal, "zlib deflate failed", {path_.string(), 0, ""});
      write_raw(out_.data(), out_.size() - zs->avail_out);
    } while (zs->avail_out == 0 || (finish && rc != Z_STREAM_END));
  } else {
    auto* cctx = static_cast<ZSTD_CCtx*>(stream_);
    ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
    size_t remaining;
    do {
      ZSTD_outBuffer out{out_.data(), out_.size(), 0};
      remaining = ZSTD_compressStream2(cctx, &out, &in, finish ? ZSTD_e_end : ZSTD_e_continue);
      if (ZSTD_isError(remaining))
        throw Error(ErrorKind::kInternal, fmt::format("zstd failed: {}", ZSTD_getErrorName(remaining)),
                    {path_.string(), 0, ""});
      write_raw(out_.data(), out.pos);
    } while (finish ? remaining != 0 : in.pos < in.size);
  }
}

void CompressedWriter::write(std::string_view bytes) {
  if (codec_ == Codec::kPlain)
    write_raw(bytes.data(), bytes.size());
  else {
    // zlib counts input in 32-bit integers.
    constexpr size_t kPiece = size_t{1} << 30;
    for (size_t off = 0; off < bytes.size(); off += kPiece) compress(bytes.substr(off, kPiece), false);
  }
}

void CompressedWriter::close() {
  if (closed_) return;
  closed_ = true;
  if (codec_ != Codec::kPlain) compress({}, true);
  if (std::fflush(file_) != 0)
    throw Error(ErrorKind::kIo, fmt::format("write failed: {}", std::strerror(errno)), {path_.string(), 0, ""});
  int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0)
    throw Error(ErrorKind::kIo, fmt::format("close failed: {}", std::strerror(errno)), {path_.string(), 0, ""});
}

}  // namespace caploop::corpus
