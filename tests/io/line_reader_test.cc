#include "io/line_reader.h"

#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;
using caploop::testing::expect_error;
using caploop::testing::TempDir;
using caploop::testing::write_file;

std::string gzip_compress(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// With a checksum, any corruption of the content is detectable (without one, flipped literals decode).
std::string zstd_compress(const std::string& data, bool checksum = false) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, checksum ? 1 : 0);
  size_t n = ZSTD_compress2(cctx, out.data(), out.size(), data.data(), data.size());
  ZSTD_freeCCtx(cctx);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

std::vector<std::string> read_all(const fs::path& p, size_t max_line = LineReader::kDefaultMaxLineBytes) {
  LineReader reader(p, max_line);
  std::vector<std::string> lines;
  std::string_view line;
  while (reader.next(line)) {
    lines.emplace_back(line);
    EXPECT_EQ(reader.line_number(), static_cast<int64_t>(lines.size()));
  }
  return lines;
}

// The reference split: "\n" ends a line, one "\r" before it is dropped, a last line may lack "\n".
std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t stop = nl == std::string::npos ? text.size() : nl;
    std::string line = text.substr(start, stop - start);
    if (nl != std::string::npos && !line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
    start = stop + 1;
  }
  return lines;
}

// Lines of varying length (some longer than the reader's 1 MiB buffer) so lines straddle buffer refills.
std::string varied_text() {
  std::string text;
  for (int i = 0; i < 4000; ++i) text += "line " + std::to_string(i) + std::string(i % 997, 'x') + "\n";
  text += std::string(3 << 20, 'L') + "\n";  // one 3 MiB line
  text += "\n\n";                            // two empty lines
  text += "tail without newline";
  return text;
}

TEST(LineReaderTest, PlainFileWithCrlfAndNoFinalNewline) {
  TempDir tmp;
  write_file(tmp / "a.txt", "first\r\nsecond\n\nlast");
  EXPECT_EQ(read_all(tmp / "a.txt"), (std::vector<std::string>{"first", "second", "", "last"}));
  write_file(tmp / "b.txt", "one\r\r\ntwo\r");  // only "\r\n" loses its "\r"
  EXPECT_EQ(read_all(tmp / "b.txt"), (std::vector<std::string>{"one\r", "two\r"}));
  EXPECT_EQ(read_all(tmp / "b.txt", SIZE_MAX).size(), 2u);  // "no limit" must not overflow
}

TEST(LineReaderTest, EmptyPlainFileHasNoLines) {
  TempDir tmp;
  write_file(tmp / "empty.txt", "");
  EXPECT_TRUE(read_all(tmp / "empty.txt").empty());
}

TEST(LineReaderTest, OnlyNewlineIsOneEmptyLine) {
  TempDir tmp;
  write_file(tmp / "nl.txt", "\n");
  EXPECT_EQ(read_all(tmp / "nl.txt"), std::vector<std::string>{""});
}

TEST(LineReaderTest, PlainGzipAndZstdAgreeWithReferenceSplit) {
  TempDir tmp;
  std::string text = varied_text();
  write_file(tmp / "v.jsonl", text);
  write_file(tmp / "v.jsonl.gz", gzip_compress(text));
  write_file(tmp / "v.jsonl.zst", zstd_compress(text));
  std::vector<std::string> expected = split_lines(text);
  for (const char* name : {"v.jsonl", "v.jsonl.gz", "v.jsonl.zst"}) {
    SCOPED_TRACE(name);
    LineReader reader(tmp / name);
    std::string_view line;
    size_t i = 0;
    while (reader.next(line)) {
      ASSERT_LT(i, expected.size());
      ASSERT_EQ(line, expected[i]) << "line " << i + 1;
      ++i;
    }
    EXPECT_EQ(i, expected.size());
    EXPECT_FALSE(reader.next(line));  // stays at end
    EXPECT_EQ(reader.bytes_read(), reader.file_size());
    EXPECT_EQ(reader.file_size(), fs::file_size(tmp / name));
  }
}

TEST(LineReaderTest, ConcatenatedGzipMembersAndZstdFramesReadAsOneStream) {
  TempDir tmp;
  write_file(tmp / "m.txt.gz", gzip_compress("a\nb") + gzip_compress("c\nd\n"));
  EXPECT_EQ(read_all(tmp / "m.txt.gz"), (std::vector<std::string>{"a", "bc", "d"}));
  write_file(tmp / "m.txt.zst", zstd_compress("a\nb\n") + zstd_compress("c\n"));
  EXPECT_EQ(read_all(tmp / "m.txt.zst"), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(LineReaderTest, CompressedEmptyContentHasNoLines) {
  TempDir tmp;
  write_file(tmp / "e.gz", gzip_compress(""));
  write_file(tmp / "e.zst", zstd_compress(""));
  EXPECT_TRUE(read_all(tmp / "e.gz").empty());
  EXPECT_TRUE(read_all(tmp / "e.zst").empty());
}

TEST(LineReaderTest, TruncatedStreamsAreInputErrorsNamingFileAndLine) {
  TempDir tmp;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "{\"id\": " + std::to_string(i * 7919 % 100003) + "}\n";
  for (const char* name : {"t.jsonl.gz", "t.jsonl.zst"}) {
    SCOPED_TRACE(name);
    std::string packed = std::string(name).ends_with(".gz") ? gzip_compress(text) : zstd_compress(text);
    write_file(tmp / name, packed.substr(0, packed.size() * 2 / 3));
    int64_t reached = 0;
    Error e = expect_error([&] {
      LineReader reader(tmp / name);
      std::string_view line;
      while (reader.next(line)) reached = reader.line_number();
    });
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().file, (tmp / name).string());
    EXPECT_GT(reached, 0);
    EXPECT_EQ(e.where().line, reached + 1);
    EXPECT_NE(e.message().find("truncated"), std::string::npos) << e.what();
  }
}

TEST(LineReaderTest, EmptyCompressedFileIsTruncated) {
  TempDir tmp;
  write_file(tmp / "z.gz", "");
  write_file(tmp / "z.zst", "");
  EXPECT_EQ(expect_error([&] { read_all(tmp / "z.gz"); }).kind(), ErrorKind::kInput);
  EXPECT_EQ(expect_error([&] { read_all(tmp / "z.zst"); }).kind(), ErrorKind::kInput);
}

TEST(LineReaderTest, CorruptStreamsAreInputErrors) {
  TempDir tmp;
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "row " + std::to_string(i) + "\n";
  std::string gz = gzip_compress(text);
  gz[gz.size() / 2] ^= 0x5a;
  gz[gz.size() / 2 + 1] ^= 0xa5;
  write_file(tmp / "c.gz", gz);
  std::string zst = zstd_compress(text, /*checksum=*/true);
  zst[zst.size() / 2] ^= 0x5a;
  zst[zst.size() / 2 + 1] ^= 0xa5;
  write_file(tmp / "c.zst", zst);
  write_file(tmp / "notgzip.gz", "plain text, not gzip\n");
  write_file(tmp / "notzstd.zst", "plain text, not zstd\n");
  for (const char* name : {"c.gz", "c.zst", "notgzip.gz", "notzstd.zst"}) {
    SCOPED_TRACE(name);
    Error e = expect_error([&] { read_all(tmp / name); });
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
  }
}

TEST(LineReaderTest, LineLongerThanLimitNamesFileAndLine) {
  TempDir tmp;
  write_file(tmp / "long.txt", "0123456789\n0123456789\r\n01234567890\nok\n");
  // Lines of exactly the limit (with or without "\r") pass; the third line, 11 bytes, fails.
  int64_t reached = 0;
  Error e = expect_error([&] {
    LineReader reader(tmp / "long.txt", 10);
    std::string_view line;
    while (reader.next(line)) reached = reader.line_number();
  });
  EXPECT_EQ(reached, 2);
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().file, (tmp / "long.txt").string());
  EXPECT_EQ(e.where().line, 3);
}

TEST(LineReaderTest, OverlongLineWithoutNewlineIsRefusedBeforeTheEnd) {
  TempDir tmp;
  std::string big(5 << 20, 'q');  // 5 MiB, no newline, limit 2 MiB
  write_file(tmp / "big.txt.zst", zstd_compress("short\n" + big));
  Error e = expect_error([&] { read_all(tmp / "big.txt.zst", size_t{2} << 20); });
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().line, 2);
}

TEST(LineReaderTest, MissingFileIsNotFoundNamingIt) {
  TempDir tmp;
  for (const char* name : {"nope.jsonl", "nope.jsonl.gz", "nope.jsonl.zst"}) {
    Error e = expect_error([&] { LineReader reader(tmp / name); });
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
    EXPECT_NE(std::string(e.what()).find(name), std::string::npos);
  }
  EXPECT_EQ(expect_error([&] { LineReader reader(tmp.path()); }).kind(), ErrorKind::kIo);
}

TEST(ReadWholeFileTest, DecompressesAndEnforcesLimit) {
  TempDir tmp;
  std::string text = varied_text();
  write_file(tmp / "w.txt", text);
  write_file(tmp / "w.txt.gz", gzip_compress(text));
  write_file(tmp / "w.txt.zst", zstd_compress(text));
  EXPECT_EQ(read_whole_file(tmp / "w.txt"), text);
  EXPECT_EQ(read_whole_file(tmp / "w.txt.gz"), text);
  EXPECT_EQ(read_whole_file(tmp / "w.txt.zst"), text);
  write_file(tmp / "empty.txt", "");
  EXPECT_EQ(read_whole_file(tmp / "empty.txt"), "");
  Error e = expect_error([&] { read_whole_file(tmp / "w.txt.zst", 1000); });
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.where().file, (tmp / "w.txt.zst").string());
  EXPECT_EQ(expect_error([&] { read_whole_file(tmp / "missing.txt"); }).kind(), ErrorKind::kNotFound);
}

TEST(LineReaderRealDataTest, DolmaGzipMatchesZlibGzgets) {
  REQUIRE_SHARED_DATA();
  fs::path p = caploop::testing::shared_data_dir() / "corpus/dolma/provided/documents/000.json.gz";
  // Independent reading with zlib's own gz* file API.
  std::vector<std::string> expected;
  gzFile gz = gzopen(p.c_str(), "rb");
  ASSERT_NE(gz, nullptr);
  std::string current;
  char chunk[1 << 16];
  while (gzgets(gz, chunk, sizeof chunk) != nullptr) {
    current += chunk;
    if (!current.empty() && current.back() == '\n') {
      current.pop_back();
      if (!current.empty() && current.back() == '\r') current.pop_back();
      expected.push_back(current);
      current.clear();
    }
  }
  if (!current.empty()) expected.push_back(current);
  gzclose(gz);
  ASSERT_GT(expected.size(), 0u);
  EXPECT_EQ(read_all(p), expected);
}

TEST(LineReaderRealDataTest, ShakespeareMatchesGetline) {
  REQUIRE_SHARED_DATA();
  fs::path p = caploop::testing::shared_data_dir() / "corpus/tinyshakespeare/input.txt";
  std::ifstream in(p);
  std::vector<std::string> expected;
  for (std::string line; std::getline(in, line);) expected.push_back(line);
  EXPECT_EQ(read_all(p), expected);
  EXPECT_EQ(expected.size(), 40000u);
}

// A plain file is read through a mapping whose pages of lines already returned are given back every few MB: a
// 24 MB file of lines of varied length reads back line for line, with its progress ending at the file's size.
TEST(LineReaderTest, LargePlainFileReadsBackLineForLine) {
  TempDir tmp;
  std::string content;
  std::vector<std::string> expected;
  for (size_t i = 0; content.size() < (size_t{24} << 20); ++i) {
    std::string line = "line " + std::to_string(i) + " " + std::string(i % 997, static_cast<char>('a' + i % 26));
    if (i % 1000 == 999) line += "\r";  // a CRLF line now and then
    content += line + "\n";
    if (!line.empty() && line.back() == '\r') line.pop_back();
    expected.push_back(std::move(line));
  }
  const fs::path path = tmp / "big.jsonl";
  write_file(path, content);
  LineReader reader(path);
  std::string_view line;
  size_t n = 0;
  while (reader.next(line)) {
    ASSERT_LT(n, expected.size());
    ASSERT_EQ(line, expected[n]) << "line " << n + 1;
    ++n;
  }
  EXPECT_EQ(n, expected.size());
  EXPECT_EQ(reader.bytes_read(), content.size());
}

}  // namespace
}  // namespace caploop
