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
