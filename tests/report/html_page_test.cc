#include "report/html_page.h"

#include <gtest/gtest.h>

#include <cmath>

#include "report/svg_charts.h"

namespace caploop {
namespace {

TEST(HtmlPageTest, EscapesModelTextEverywhere) {
  HtmlPage page("run <a>");
  page.heading(2, "task <b>");
  page.paragraph("So the answer is <script>alert(1)</script> & \"more\"");
  page.preformatted("</pre><script>x</script>");
  page.table({{"h<1>"}, {"<img src=x onerror=y>"}});
  page.details("<summary>", html_escape("<i>"));
  std::string html = page.render();
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;"), std::string::npos);
  EXPECT_NE(html.find("<title>run &lt;a&gt;</title>"), std::string::npos);
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);  // no network, no scripts
}

// True when every byte sequence of `s` is well-formed UTF-8 (an independent check, byte by byte).
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

TEST(HtmlPageTest, InvalidUtf8BecomesReplacementCharacters) {
  HtmlPage page("run \xff name");
  page.heading(2, "model \xc3(");
  page.paragraph("ok \xe2\x82\xac then \xed\xa0\x80 surrogate");
  page.raw("<p>raw \xfe</p>");
  std::string html = page.render();
  EXPECT_TRUE(is_valid_utf8(html));
  EXPECT_NE(html.find("<title>run \xEF\xBF\xBD name</title>"), std::string::npos);
  EXPECT_NE(html.find("model \xEF\xBF\xBD("), std::string::npos);
  EXPECT_NE(html.find("ok \xe2\x82\xac then"), std::string::npos);  // valid text unchanged
  EXPECT_NE(html.find("raw \xEF\xBF\xBD"), std::string::npos);
  EXPECT_EQ(html_escape("caf\xc3\xa9 <"), "caf\xc3\xa9 &lt;");
}

TEST(SvgChartsTest, HeatMapForestAndBarsCarryEscapedLabels) {
  HeatMapData d;
  d.title = "accuracy";
  d.row_labels = {"op<1>", "op2"};
  d.column_labels = {"bg"};
  d.values = {{0.5}, {std::nan("")}};
  d.counts = {{10}, {0}};
  std::string hm = svg_heat_map(d);
  EXPECT_NE(hm.find("op&lt;1&gt;"), std::string::npos);
  EXPECT_NE(hm.find("no items"), std::string::npos);
  std::string fp = svg_forest_plot("deltas", {{"slice <x>", -0.2, -0.3, -0.1, true}});
  EXPECT_NE(fp.find("slice &lt;x&gt;"), std::string::npos);
  EXPECT_NE(fp.find("-20.0 points"), std::string::npos);
  std::string sb = svg_stacked_bars("endings", {"stopped", "truncated"}, {{"run", {3, 1}}});
  EXPECT_NE(sb.find("75.0%"), std::string::npos);
  EXPECT_NE(sb.find("25.0%"), std::string::npos);
}

}  // namespace
}  // namespace caploop
