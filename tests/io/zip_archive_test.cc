// The ZIP reader on .eval archives written by tests/io/make_inspect_logs.py (deflate, and zstd entries in
// several frames), and on damaged copies of them.
#include "io/zip_archive.h"

#include <gtest/gtest.h>

#include "inspect_logs.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;

TEST(ZipArchive, ReadsDeflateAndMultiFrameZstdEntries) {
  REQUIRE_SHARED_DATA();
  for (const char* name : {"gsm8k_epochs1_deflate.eval", "gsm8k_epochs4.eval"}) {
    fs::path path = testing::inspect_logs_dir() / name;
    EXPECT_TRUE(ZipArchive::looks_like_zip(path));
    ZipArchive zip(path);
    EXPECT_EQ(zip.entries().front().name, "_journal/start.json");
    const ZipArchive::Entry* header = zip.find("header.json");
    ASSERT_NE(header, nullptr);
    EXPECT_EQ(header->method, std::string(name).find("deflate") != std::string::npos ? 8 : 93);
    std::string text = zip.read(*header);
    EXPECT_EQ(text.size(), header->size);
    EXPECT_TRUE(text.starts_with("{\"version\": 2")) << text.substr(0, 40);
    const ZipArchive::Entry* summaries = zip.find("summaries.json");
    ASSERT_NE(summaries, nullptr);
    EXPECT_GT(summaries->size, 4096u);  // more than one 4 KiB zstd frame
    text = zip.read(*summaries);
    EXPECT_TRUE(text.starts_with("[{\"id\": ")) << text.substr(0, 40);
    EXPECT_TRUE(text.ends_with("}]")) << text.substr(text.size() - 40);
  }
}

TEST(ZipArchive, DamagedEntriesAndNonZipFilesAreInputErrors) {
  REQUIRE_SHARED_DATA();
  testing::TempDir dir;
  fs::path copy = dir / "bad.eval";
  std::string bytes = testing::read_file(testing::inspect_logs_dir() / "gsm8k_epochs1_deflate.eval");
  fs::path good = dir / "good.eval";
  testing::write_file(good, bytes);
  ZipArchive zip(good);
  const ZipArchive::Entry* header = zip.find("header.json");
  ASSERT_NE(header, nullptr);
  // Flip a byte in the middle of header.json's compressed data: the CRC (or inflate) must catch it.
  std::string damaged = bytes;
  size_t data = header->local_header_offset + 30 + header->name.size() + header->compressed_size / 2;
  damaged[data] = static_cast<char>(damaged[data] ^ 0x55);
  testing::write_file(copy, damaged);
  ZipArchive bad(copy);
  Error e = testing::expect_error([&] { bad.read(*bad.find("header.json")); });
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().field, "header.json");
  // An unknown compression method (12, bzip2) in the central directory.
  std::string bzip = bytes;
  size_t central = bzip.rfind(std::string("PK\x01\x02", 4));
  bzip[central + 10] = 12;
  testing::write_file(copy, bzip);
  ZipArchive method(copy);
  e = testing::expect_error([&] { method.read(method.entries().back()); });
  EXPECT_NE(e.message().find("compression method 12"), std::string::npos) << e.message();
  // Not a ZIP at all.
  testing::write_file(copy, "{\"eval\": {}}");
  e = testing::expect_error([&] { ZipArchive not_zip(copy); });
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_NE(e.message().find("not a ZIP file"), std::string::npos) << e.message();
}

}  // namespace
}  // namespace caploop
