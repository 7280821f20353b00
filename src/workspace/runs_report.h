// RunsReport: the self-contained HTML report over one or more runs of a workspace.
//
// Contract: build_runs_report() reads (and scores when needed) the runs, tags their items with the given
// tagger, and returns a complete HTML document. It leads with the answer: when two or more runs are given,
// the comparison of the second run against the first comes first — the diagnosis (verdict, headline delta,
// top slices; workspace/diagnosis_report.h diagnosis_summary()), per-task and per-operation deltas with 95%
// intervals over paired items, a delta heat map, and drill-down lists of items lost and gained with their raw
// outputs — then the runs table, the ending breakdown (report/ending_colors.h) and per run its task table and
// accuracy heat map (operation × background). All model and data text is
// escaped; the page has no scripts. Output depends only on the workspace content (no timestamps).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/workspace_db.h"
#include "taxonomy/item_tagger.h"

namespace caploop {

struct RunsReportRequest {
  std::vector<std::string> runs;  // first = baseline of the comparison
  std::optional<std::string> rule;
  unsigned threads = 1;
  std::string title = "caploop report";
  size_t drilldown_items_per_task = 10;
};

std::string build_runs_report(WorkspaceDb& ws, const RunsReportRequest& request, const ItemTagger& tagger);

// Paired difference of per-item accuracy (candidate − baseline) over items present in both, with a 95%
// normal interval on the mean of paired differences.
struct PairedDelta {
  int64_t n = 0;
  double delta = 0, low = 0, high = 0;
};
PairedDelta paired_delta(const std::vector<double>& baseline, const std::vector<double>& candidate);

}  // namespace caploop
