// A run whose name (and model output) carries bytes that are not UTF-8 still gives a page that is valid UTF-8:
// `caploop report` shows them as U+FFFD.
#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace caploop {
namespace {

using testing::read_file;
using testing::run_caploop;
using testing::TempDir;
using testing::write_file;

bool is_valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80                        ? 1
               : (c >> 5) == 0x6 && c >= 0xC2  ? 2
               : (c >> 4) == 0xE               ? 3
               : (c >> 3) == 0x1E && c <= 0xF4 ? 4
                                               : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

TEST(ReportUtf8Test, RunNameWithByteFFGivesAValidUtf8Page) {
  TempDir tmp;
  const std::string db = (tmp / "w.db").string(), in = (tmp / "run.jsonl").string();
  write_file(in, R"({"id": "a1", "question": "2+2?", "answer": "4", "output": "The answer is 4."})"
                 "\n"
                 R"({"id": "a2", "question": "3+3?", "answer": "6", "output": "The answer is 7."})"
                 "\n");
  for (const std::string run : {"base", "cand\xff"}) {
    auto r = run_caploop({"--db",    db,          "-q",         "ingest",      "--run",    run,       "--model",
                          "m\xfe",   "--format",  "generic",    "--benchmark", "gsm8k",    "--id",    "/id",
                          "--input", "/question", "--response", "/output",     "--target", "/answer", in});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const std::string page = (tmp / "report.html").string();
  auto r = run_caploop({"--db", db, "-q", "report", "--run", "base", "--run", "cand\xff", "--out", page});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = read_file(page);
  EXPECT_TRUE(is_valid_utf8(html));
  EXPECT_NE(html.find("cand\xEF\xBF\xBD"), std::string::npos);
}

}  // namespace
}  // namespace caploop
