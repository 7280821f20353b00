#include "io/zip_archive.h"

#include <fmt/format.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <limits>

#include "core/error.h"

namespace caploop {

namespace fs = std::filesystem;

namespace {

constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr uint16_t kStored = 0, kDeflated = 8, kZstandard = 93;
constexpr uint64_t kMaxEntrySize = uint64_t{1} << 31;  // refuse entries past 2 GiB (zlib counts in 32 bits)

uint16_t u16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) | (static_cast<unsigned char>(b[at + 1]) << 8));
}
uint32_t u32(std::string_view b, size_t at) { return u16(b, at) | (static_cast<uint32_t>(u16(b, at + 2)) << 16); }
uint64_t u64(std::string_view b, size_t at) { return u32(b, at) | (static_cast<uint64_t>(u32(b, at + 4)) << 32); }

}  // namespace

bool ZipArchive::looks_like_zip(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::string_view(magic, 4) == std::string_view("PK\3\4", 4);
}

std::string ZipArchive::read_at(uint64_t offset, uint64_t length, std::string_view what) {
  if (offset > file_size_ || length > file_size_ - offset) {
    throw_input_error(fmt::format("not a valid ZIP file: the {} lies outside the file", what), {path_.string(), 0, ""});
  }
  std::string bytes(length, '\0');
  in_.clear();
  in_.seekg(static_cast<std::streamoff>(offset));
  if (!in_.read(bytes.data(), static_cast<std::streamsize>(length))) {
    throw Error(ErrorKind::kIo, fmt::format("cannot read the {}", what), {path_.string(), 0, ""});
  }
  return bytes;
}

ZipArchive::ZipArchive(const fs::path& path) : path_(path), in_(path, std::ios::binary) {
  const SourceLocation file{path.string(), 0, ""};
  if (!in_) throw Error(ErrorKind::kIo, "cannot open the file", file);
  std::error_code ec;
  file_size_ = fs::file_size(path, ec);
  if (ec) throw Error(ErrorKind::kIo, fmt::format("cannot read the file size: {}", ec.message()), file);

  // The end-of-central-directory record is the last 22 bytes plus a comment of up to 65535 bytes.
  const uint64_t tail_size = std::min<uint64_t>(file_size_, 22 + 65535);
  const std::string tail = read_at(file_size_ - tail_size, tail_size, "end of the archive");
  size_t eocd = std::string::npos;
  for (size_t i = tail.size() >= 22 ? tail.size() - 22 + 1 : 0; i-- > 0;) {
    if (u32(tail, i) == kEndOfDirectory) {
      eocd = i;
      break;
    }
  }
  if (eocd == std::string::npos) throw_input_error("not a ZIP file: no end-of-central-directory record", file);
  uint64_t count = u16(tail, eocd + 10);
  uint64_t dir_size = u32(tail, eocd + 12);
  uint64_t dir_offset = u32(tail, eocd + 16);
  if (count == 0xFFFF || dir_size == 0xFFFFFFFF || dir_offset == 0xFFFFFFFF) {
    if (eocd < 20 || u32(tail, eocd - 20) != kZip64Locator) {
      throw_input_error("not a valid ZIP file: ZIP64 sizes without a ZIP64 locator", file);
    }
    const std::string z = read_at(u64(tail, eocd - 20 + 8), 56, "ZIP64 end of central directory");
    if (u32(z, 0) != kZip64EndOfDirectory) throw_input_error("not a valid ZIP file: bad ZIP64 end record", file);
    count = u64(z, 32);
    dir_size = u64(z, 40);
    dir_offset = u64(z, 48);
  }
  const std::string dir = read_at(dir_offset, dir_size, "central directory");
  size_t at = 0;
  for (uint64_t i = 0; i < count; ++i) {
    if (at + 46 > dir.size() || u32(dir, at) != kCentralHeader) {
      throw_input_error(fmt::format("not a valid ZIP file: central directory entry {} is damaged", i), file);
    }
    Entry e;
    e.flags = u16(dir, at + 8);
    e.method = u16(dir, at + 10);
    e.crc32 = u32(dir, at + 16);
    e.compressed_size = u32(dir, at + 20);
    e.size = u32(dir, at + 24);
    const size_t name_length = u16(dir, at + 28), extra_length = u16(dir, at + 30), comment_length = u16(dir, at + 32);
    e.local_header_offset = u32(dir, at + 42);
    if (at + 46 + name_length + extra_length + comment_length > dir.size()) {
      throw_input_error(fmt::format("not a valid ZIP file: central directory entry {} is cut short", i), file);
    }
    e.name = dir.substr(at + 46, name_length);
    // ZIP64 extra field: the 64-bit values of exactly those fields that hold 0xFFFFFFFF, in this order.
    std::string_view extra(dir.data() + at + 46 + name_length, extra_length);
    for (size_t x = 0; x + 4 <= extra.size();) {
      const uint16_t id = u16(extra, x), length = u16(extra, x + 2);
      if (x + 4 + length > extra.size()) break;
      if (id == 0x0001) {
        size_t v = x + 4;
        auto take = [&](uint64_t& field) {
          if (field == 0xFFFFFFFF && v + 8 <= x + 4 + length) {
            field = u64(extra, v);
            v += 8;
          }
        };
        take(e.size);
        take(e.compressed_size);
        take(e.local_header_offset);
      }
      x += 4 + length;
    }
    entries_.push_back(std::move(e));
    at += 46 + name_length + extra_length + comment_length;
  }
}

const ZipArchive::Entry* ZipArchive::find(std::string_view name) const {
  for (const Entry& e : entries_) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::string ZipArchive::read(const Entry& entry) {
  const SourceLocation where{path_.string(), 0, entry.name};
  if (entry.flags & 0x1) throw_input_error("the ZIP entry is encrypted", where);
  if (entry.size > kMaxEntrySize || entry.compressed_size > kMaxEntrySize)
    throw_input_error("the ZIP entry is larger than 2 GiB", where);
  const std::string local = read_at(entry.local_header_offset, 30, "local header of " + entry.name);
  if (u32(local, 0) != kLocalHeader)
    throw_input_error("not a valid ZIP file: the entry's local header is damaged", where);
  const uint64_t data_offset = entry.local_header_offset + 30 + u16(local, 26) + u16(local, 28);
  const std::string packed = read_at(data_offset, entry.compressed_size, "data of " + entry.name);

  std::string out;
  if (entry.method == kStored) {
    out = packed;
  } else if (entry.method == kDeflated) {
    out.assign(entry.size, '\0');
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) throw Error(ErrorKind::kInternal, "zlib inflateInit2 failed", where);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
    z.avail_in = static_cast<uInt>(packed.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_FINISH);
    const uint64_t produced = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END || produced != entry.size) {
      throw_input_error(
          fmt::format("corrupt deflate data in the ZIP entry ({})", rc == Z_STREAM_END ? "wrong size" : "zlib error"),
          where);
    }
  } else if (entry.method == kZstandard) {
    out.assign(entry.size, '\0');
    // ZSTD_decompress reads every frame of the entry in turn (Inspect splits large entries into frames).
    const size_t produced = ZSTD_decompress(out.data(), out.size(), packed.data(), packed.size());
    if (ZSTD_isError(produced) || produced != entry.size) {
      throw_input_error(fmt::format("corrupt Zstandard data in the ZIP entry ({})",
                                    ZSTD_isError(produced) ? ZSTD_getErrorName(produced) : "wrong size"),
                        where);
    }
  } else {
    throw_input_error(
        fmt::format("ZIP compression method {} is not supported (stored, deflate and zstd are)", entry.method), where);
  }
  const uLong crc =
      crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size()));
  if (crc != entry.crc32) throw_input_error("the ZIP entry's CRC-32 does not match its data (a damaged file)", where);
  return out;
}

}  // namespace caploop
