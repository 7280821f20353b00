// The HTML report as a person sees it: rendered by headless Chromium (installed by .ci/run), it has its plots,
// raises no script error, and shows model output containing <script> as text.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>

#include "test_support.h"

namespace caploop {
namespace {

using testing::read_file;
using testing::run_caploop;
using testing::TempDir;
using testing::write_file;

const char* kChromium = "/usr/bin/chromium";

int count(const std::string& s, const std::string& needle) {
  int n = 0;
  for (size_t p = s.find(needle); p != std::string::npos; p = s.find(needle, p + 1)) ++n;
  return n;
}

TEST(ReportBrowserTest, RendersPlotsAndShowsScriptTagsAsText) {
  if (!std::filesystem::exists(kChromium))
    GTEST_SKIP() << "chromium not installed (bash scripts/install-deps.sh --test)";
  TempDir tmp;
  std::string db = (tmp / "w.db").string();
  std::string base, cand;
  for (int i = 0; i < 40; ++i) {
    std::string q = "What is " + std::to_string(i) + "+1?";
    std::string ans = std::to_string(i + 1);
    base += "{\"id\":\"" + std::to_string(i) + "\",\"q\":\"" + q + "\",\"t\":\"" + ans + "\",\"o\":\"The answer is " +
            ans + ".\"}\n";
    std::string out = i % 4 == 0 ? "<script>alert('x')</script> The answer is 0." : "The answer is " + ans + ".";
    cand += "{\"id\":\"" + std::to_string(i) + "\",\"q\":\"" + q + "\",\"t\":\"" + ans + "\",\"o\":\"" + out + "\"}\n";
  }
  write_file(tmp / "base.jsonl", base);
  write_file(tmp / "cand.jsonl", cand);
  for (auto [run, file] : {std::pair{"base", "base.jsonl"}, std::pair{"cand", "cand.jsonl"}}) {
    auto r = run_caploop({"--db", db, "-q", "ingest", "--run", run, "--format", "generic", "--benchmark", "gsm8k",
                          "--id", "/id", "--input", "/q", "--response", "/o", "--target", "/t", (tmp / file).string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string html = (tmp / "report.html").string();
  auto r = run_caploop({"--db", db, "report", "--run", "base", "--run", "cand", "--out", html});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string source = read_file(html);
  EXPECT_EQ(source.find("<script"), std::string::npos);
  // The report leads with the answer: the comparison (verdict, headline change) before the per-run tables.
  ASSERT_NE(source.find("id=\"comparison\""), std::string::npos);
  ASSERT_NE(source.find("id=\"run-base\""), std::string::npos);
  EXPECT_LT(source.find("id=\"comparison\""), source.find("id=\"run-base\""));
  EXPECT_LT(source.find("id=\"comparison\""), source.find("id=\"runs\""));
  EXPECT_LT(source.find("id=\"comparison\""), source.find("verdict: "));
  EXPECT_LT(source.find("verdict: "), source.find("id=\"runs\""));
  EXPECT_NE(source.find("class=\"headline\""), std::string::npos);
  EXPECT_NE(source.find("#2e7d32"), std::string::npos) << "stopped in the colour every page uses";
  EXPECT_NE(source.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);

  std::string png = (tmp / "report.png").string(), dom = (tmp / "dom.html").string(), log = (tmp / "log.txt").string();
  std::string flags = std::string(kChromium) +
                      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                      "--disable-background-networking --disable-component-update --disable-sync "
                      "--enable-logging=stderr --v=0 --user-data-dir=" +
                      (tmp / "profile").string() + " --window-size=1200,2400 ";
  ASSERT_EQ(std::system((flags + "--screenshot=" + png + " file://" + html + " >/dev/null 2>" + log).c_str()), 0);
  ASSERT_TRUE(std::filesystem::exists(png));
  EXPECT_GT(std::filesystem::file_size(png), 10000u);
  ASSERT_EQ(std::system((flags + "--dump-dom file://" + html + " >" + dom + " 2>>" + log).c_str()), 0);
  std::string rendered = read_file(dom);
  EXPECT_GE(count(rendered, "<svg"), 4) << "heat maps, forest plots and ending bars";
  EXPECT_EQ(count(rendered, "<script"), 0);
  EXPECT_NE(rendered.find("&lt;script&gt;alert"), std::string::npos) << "model output shown as text";
  std::string console = read_file(log);
  EXPECT_EQ(console.find("Uncaught"), std::string::npos) << console;
  EXPECT_EQ(console.find("Refused to"), std::string::npos) << console;
}

}  // namespace
}  // namespace caploop
