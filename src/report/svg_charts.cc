#include "report/svg_charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/html_page.h"

namespace caploop {

namespace {

// Sequential palette (low = red, high = green) and diverging palette (negative red, positive green).
std::string color_for(double v, bool diverging) {
  if (std::isnan(v)) return "#eeeeee";
  auto mix = [](int a, int b, double t) { return static_cast<int>(std::lround(a + (b - a) * t)); };
  int r, g, b;
  if (diverging) {
    double t = std::clamp(v, -1.0, 1.0);
    if (t < 0) {
      r = mix(255, 200, -t), g = mix(255, 40, -t), b = mix(255, 40, -t);
    } else {
      r = mix(255, 30, t), g = mix(255, 150, t), b = mix(255, 60, t);
    }
  } else {
    double t = std::clamp(v, 0.0, 1.0);
    if (t < 0.5) {
      r = 215, g = mix(48, 220, t * 2), b = mix(39, 80, t * 2);
    } else {
      r = mix(215, 26, (t - 0.5) * 2), g = mix(220, 150, (t - 0.5) * 2), b = mix(80, 65, (t - 0.5) * 2);
    }
  }
  return fmt::format("#{:02x}{:02x}{:02x}", r, g, b);
}

const char* kPalette[] = {"#2e7d32", "#f9a825", "#c62828", "#6a1b9a", "#546e7a", "#1565c0", "#ef6c00"};

}  // namespace

std::string svg_heat_map(const HeatMapData& d) {
  const int cell_w = 64, cell_h = 24, label_w = 260, header_h = 150;
  int cols = static_cast<int>(d.column_labels.size()), rows = static_cast<int>(d.row_labels.size());
  int width = label_w + cols * cell_w + 20, height = header_h + rows * cell_h + 30;
  std::string s = fmt::format(
      "<svg class=\"heatmap\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" role=\"img\" "
      "aria-label=\"{2}\">\n<text x=\"4\" y=\"16\" font-size=\"14\" font-weight=\"bold\">{2}</text>\n",
      width, height, html_escape(d.title));
  for (int c = 0; c < cols; ++c) {
    int x = label_w + c * cell_w + cell_w / 2;
    s += fmt::format("<text transform=\"translate({},{}) rotate(-50)\" font-size=\"11\">{}</text>\n", x, header_h - 6,
                     html_escape(d.column_labels[c]));
  }
  for (int r = 0; r < rows; ++r) {
    int y = header_h + r * cell_h;
    s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text>\n", label_w - 6,
                     y + cell_h / 2 + 4, html_escape(d.row_labels[r]));
    for (int c = 0; c < cols; ++c) {
      double v = r < static_cast<int>(d.values.size()) && c < static_cast<int>(d.values[r].size()) ? d.values[r][c]
                                                                                                   : std::nan("");
      long n = r < static_cast<int>(d.counts.size()) && c < static_cast<int>(d.counts[r].size()) ? d.counts[r][c] : -1;
      int x = label_w + c * cell_w;
      s += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#fff\"><title>{} / {}: "
          "{}</title></rect>\n",
          x, y, cell_w, cell_h, color_for(v, d.diverging), html_escape(d.row_labels[r]),
          html_escape(d.column_labels[c]),
          std::isnan(v) ? std::string("no items") : fmt::format("{:.1f}% (n={})", 100 * v, n));
      if (!std::isnan(v)) {
        s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}{:.0f}</text>\n",
                         x + cell_w / 2, y + cell_h / 2 + 4, d.diverging && v > 0 ? "+" : "", 100 * v);
      }
    }
  }
  s += "</svg>\n";
  return s;
}

std::string svg_forest_plot(const std::string& title, const std::vector<ForestRow>& rows) {
  const int row_h = 20, label_w = 380, plot_w = 420, top = 40;
  double lo = -0.05, hi = 0.05;
  for (const auto& r : rows) {
    if (std::isfinite(r.low)) lo = std::min(lo, r.low);
    if (std::isfinite(r.high)) hi = std::max(hi, r.high);
  }
  double span = hi - lo;
  lo -= span * 0.05;
  hi += span * 0.05;
  auto xpos = [&](double v) { return label_w + (v - lo) / (hi - lo) * plot_w; };
  int height = top + static_cast<int>(rows.size()) * row_h + 40;
  std::string s = fmt::format(
      "<svg class=\"forest\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" role=\"img\" "
      "aria-label=\"{2}\">\n<text x=\"4\" y=\"16\" font-size=\"14\" font-weight=\"bold\">{2}</text>\n",
      label_w + plot_w + 30, height, html_escape(title));
  double x0 = xpos(0);
  s += fmt::format("<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke=\"#888\" stroke-dasharray=\"3,3\"/>\n",
                   x0, top - 8, x0, height - 30);
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    int y = top + static_cast<int>(i) * row_h + row_h / 2;
    const char* color = r.highlighted ? "#b42318" : "#555";
    s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text>\n", label_w - 8, y + 4,
                     html_escape(r.label));
    if (std::isfinite(r.low) && std::isfinite(r.high)) {
      s += fmt::format("<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"/>\n",
                       xpos(r.low), y, xpos(r.high), y, color);
    }
    s += fmt::format(
        "<circle cx=\"{:.1f}\" cy=\"{}\" r=\"4\" fill=\"{}\"><title>{}: {:+.1f} points [{:+.1f}, "
        "{:+.1f}]</title></circle>\n",
        xpos(r.estimate), y, color, html_escape(r.label), 100 * r.estimate, 100 * r.low, 100 * r.high);
  }
  int axis_y = height - 24;
  s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>\n", label_w, axis_y,
                   label_w + plot_w, axis_y);
  for (int k = 0; k <= 4; ++k) {
    double v = lo + (hi - lo) * k / 4.0;
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{:+.0f}</text>\n", xpos(v),
                     axis_y + 14, 100 * v);
  }
  s += "</svg>\n";
  return s;
}

std::string svg_stacked_bars(const std::string& title, const std::vector<std::string>& names,
                             const std::vector<StackedBar>& bars, const std::vector<std::string>& colors) {
  auto color = [&](size_t k) -> std::string { return k < colors.size() ? colors[k] : kPalette[k % 7]; };
  const int bar_h = 22, label_w = 200, plot_w = 520, top = 30;
  int height = top + static_cast<int>(bars.size()) * (bar_h + 8) + 40;
  std::string s = fmt::format(
      "<svg class=\"bars\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" role=\"img\" "
      "aria-label=\"{2}\">\n<text x=\"4\" y=\"16\" font-size=\"14\" font-weight=\"bold\">{2}</text>\n",
      label_w + plot_w + 20, height, html_escape(title));
  for (size_t i = 0; i < bars.size(); ++i) {
    int y = top + static_cast<int>(i) * (bar_h + 8);
    s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text>\n", label_w - 8,
                     y + bar_h / 2 + 4, html_escape(bars[i].label));
    double total = 0;
    for (double p : bars[i].parts) total += std::max(0.0, p);
    double x = label_w;
    for (size_t k = 0; k < bars[i].parts.size() && total > 0; ++k) {
      double w = std::max(0.0, bars[i].parts[k]) / total * plot_w;
      if (w <= 0) continue;
      s += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"><title>{}: {:.1f}%</title></rect>\n",
          x, y, w, bar_h, color(k), k < names.size() ? html_escape(names[k]) : "", 100 * bars[i].parts[k] / total);
      x += w;
    }
  }
  int ly = height - 16;
  double lx = label_w;
  for (size_t k = 0; k < names.size(); ++k) {
    s += fmt::format(
        "<rect x=\"{:.0f}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{:.0f}\" y=\"{}\" "
        "font-size=\"11\">{}</text>\n",
        lx, ly - 9, color(k), lx + 14, ly, html_escape(names[k]));
    lx += 30 + 7.0 * static_cast<double>(names[k].size());
  }
  s += "</svg>\n";
  return s;
}

}  // namespace caploop
