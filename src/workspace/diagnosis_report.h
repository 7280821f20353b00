// DiagnosisReport: the self-contained HTML page of a diagnosis. It leads with the answer — the verdict, the
// headline change, the top slices and the places to look (diagnosis_summary(), also used at the top of the
// runs report) — then the answer form and what was left out of the comparison, the chain of evidence that
// led to the verdict (tests, numbers, thresholds), how the two runs' generations ended (report/ending_colors.h),
// a forest plot of per-slice deltas, and a drill-down from each reported slice to its items and raw outputs.
//
// Contract: every piece of model or data text is escaped (report/html_page.h); no scripts; output depends
// only on the diagnosis and the workspace content. Reads responses of the two runs for the drill-down.
#pragma once

#include <string>

#include "diagnose/verdict.h"
#include "report/html_page.h"
#include "store/workspace_db.h"

namespace caploop {

std::string build_diagnosis_report(WorkspaceDb& ws, const Diagnosis& diagnosis, size_t items_per_slice = 8);

// The answer of a diagnosis as the first thing on a page: verdict (and cause), headline change with its
// interval and test, the reason, the top slices (at most 5) and the places to look.
void diagnosis_summary(HtmlPage& page, const Diagnosis& diagnosis);

}  // namespace caploop
