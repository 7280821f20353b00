// LoopReport: the HTML page of a loop (out/report.html) that walks, per comparison, from the verdict and its
// evidence to the weak slices, and when the data was ruled in along the chain slice -> mapping rule -> stream
// -> tokens (a table and a bar chart of each stream's quota share against its natural share of the corpus),
// then the sample drawn, the pre-registered hypotheses and their verification.
//
// Contract: a pure function of the config and the outcome (same inputs, same bytes); every piece of model or
// data text (run names, tags, reasons, notes, paths) is escaped (report/html_page.h); no scripts; links to the
// comparison's files are relative to the report's folder.
#pragma once

#include <string>

#include "loop/loop_config.h"
#include "loop/loop_job.h"

namespace caploop {

std::string build_loop_report(const LoopConfig& config, const LoopOutcome& outcome);

// The bar chart of the report: per stream, its share of the budget (quota) next to its share of the corpus
// (natural), as inline SVG. Labels escaped.
struct StreamShareBar {
  std::string label;
  double quota_share = 0.0;    // quota / budget
  double natural_share = 0.0;  // available tokens / corpus tokens
};
std::string svg_stream_share_chart(const std::string& title, const std::vector<StreamShareBar>& bars);

}  // namespace caploop
