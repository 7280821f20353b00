// ZipArchive: reads the entries of a ZIP file by name, for harness logs packed as ZIP (Inspect AI's `.eval`).
//
// Contract: the constructor reads the central directory (ZIP64 included) and throws caploop::Error kInput
// naming the file when it is not a ZIP or its directory is damaged (kIo when it cannot be read). Entries
// may be stored (method 0), deflated (8) or Zstandard-compressed (93, as Python 3.14's zipfile and
// zipfile_zstd write; several frames in one entry are read in turn); read() returns an entry's bytes after
// checking its size and CRC-32, and throws kInput naming the file and the entry (as the field) for another
// method, corrupt data or a mismatch. Encrypted entries are refused. Not thread-safe (one open stream).
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caploop {

class ZipArchive {
 public:
  struct Entry {
    std::string name;
    uint16_t method = 0;
    uint16_t flags = 0;
    uint32_t crc32 = 0;
    uint64_t compressed_size = 0;
    uint64_t size = 0;
    uint64_t local_header_offset = 0;
  };

  explicit ZipArchive(const std::filesystem::path& path);

  // The entries in central-directory order.
  const std::vector<Entry>& entries() const { return entries_; }
  // The entry with this name, or nullptr.
  const Entry* find(std::string_view name) const;
  // The uncompressed bytes of an entry.
  std::string read(const Entry& entry);

  // True when the file starts with a ZIP local file header ("PK\3\4").
  static bool looks_like_zip(const std::filesystem::path& path);

 private:
  std::string read_at(uint64_t offset, uint64_t length, std::string_view what);

  std::filesystem::path path_;
  std::ifstream in_;
  uint64_t file_size_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace caploop
