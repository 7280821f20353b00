// SVG charts for the HTML report: heat map, forest plot and stacked bars, as inline <svg> markup.
//
// Contract: pure functions from plain numbers and labels to markup; every label is escaped. Sizes adapt to
// the number of rows and columns; every chart carries a viewBox, so the page's CSS can shrink it to fit. NaN values are
// drawn as empty (grey) cells or omitted points. The output depends only on the inputs (fixed number formatting), so
// reports are byte-identical across runs.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace caploop {

struct HeatMapData {
  std::string title;
  std::vector<std::string> row_labels;
  std::vector<std::string> column_labels;
  std::vector<std::vector<double>> values;  // [row][column]; NaN = no data
  std::vector<std::vector<long>> counts;    // [row][column] items, shown in each cell (same shape), may be empty
  bool diverging = false;                   // true: values in [-1, 1] (deltas), red < 0 < green; else [0, 1]
};
std::string svg_heat_map(const HeatMapData& data);

struct ForestRow {
  std::string label;
  double estimate = 0;
  double low = 0;
  double high = 0;
  bool highlighted = false;  // e.g. significant after FDR control
};
// Points with horizontal interval bars on a shared axis, a vertical line at zero.
std::string svg_forest_plot(const std::string& title, const std::vector<ForestRow>& rows);

struct StackedBar {
  std::string label;
  std::vector<double> parts;  // one per segment name, non-negative; drawn as shares of their sum
};
// `colors` (one per segment name, "#rrggbb") overrides the default palette when given; endings use
// report/ending_colors.h so that every page colours them alike.
std::string svg_stacked_bars(const std::string& title, const std::vector<std::string>& segment_names,
                             const std::vector<StackedBar>& bars, const std::vector<std::string>& colors = {});

}  // namespace caploop
