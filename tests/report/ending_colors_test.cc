// One colour per ending on every page: svg_ending_bars() draws the endings of eval/ending.h in one order and
// one colour each, whatever order or extra names the counts come with; charts shrink to the page.
#include "report/ending_colors.h"

#include <gtest/gtest.h>

#include <string>

#include "report/html_page.h"
#include "report/svg_charts.h"

namespace caploop {
namespace {

TEST(EndingColors, EveryEndingHasOneColourAndOrder) {
  ASSERT_EQ(ending_styles().size(), 5u);
  EXPECT_EQ(ending_styles().front().name, "stopped");
  EXPECT_EQ(ending_color("ran_on"), "#c62828");
  EXPECT_EQ(ending_color("stopped"), "#2e7d32");
  EXPECT_EQ(ending_color("abnormal"), kOtherEndingColor);
  for (const EndingStyle& a : ending_styles()) {
    for (const EndingStyle& b : ending_styles()) {
      if (a.name != b.name) {
        EXPECT_NE(a.color, b.color) << a.name << " " << b.name;
      }
    }
  }
}

TEST(EndingColors, BarsUseTheConventionWhateverTheInput) {
  // Two runs whose counts name the endings in different orders, one with an extra aggregate.
  const std::string svg = svg_ending_bars(
      "endings <run>", {{"base", {{"stopped", 90}, {"ran_on", 10}}},
                        {"cand <x>", {{"ran_on", 60}, {"no_answer", 5}, {"stopped", 30}, {"abnormal", 5}}}});
  // The ran-on segments of both bars and the legend carry the ran-on colour.
  size_t red = 0;
  for (size_t p = svg.find(std::string(ending_color("ran_on"))); p != std::string::npos;
       p = svg.find(std::string(ending_color("ran_on")), p + 1)) {
    ++red;
  }
  EXPECT_EQ(red, 3u);
  EXPECT_NE(svg.find(std::string(kOtherEndingColor)), std::string::npos);
  EXPECT_NE(svg.find("ran on: 60.0%"), std::string::npos);
  EXPECT_NE(svg.find("cand &lt;x&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("<x>"), std::string::npos);
  EXPECT_NE(svg.find("viewBox=\"0 0 "), std::string::npos);
  // Legend order: stopped before truncated before ran on.
  EXPECT_LT(svg.find(">stopped<"), svg.find(">truncated<"));
  EXPECT_LT(svg.find(">truncated<"), svg.find(">ran on<"));
}

TEST(EndingColors, PagesKeepTablesAndChartsWithinTheirWidth) {
  HtmlPage page("t");
  page.table({{"a", "b"}, {"1", "2"}});
  const std::string html = page.render();
  EXPECT_NE(html.find("svg{max-width:100%;height:auto}"), std::string::npos);
  EXPECT_NE(html.find("max-width:100%;overflow-x:auto"), std::string::npos);
}

}  // namespace
}  // namespace caploop
