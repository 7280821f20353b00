// DiagnosisReport: the self-contained HTML page of a diagnosis: the verdict, the chain of evidence that led
// to it (tests, numbers, thresholds), how the two runs' generations ended, a forest plot of per-slice deltas,
// and a drill-down from each reported slice to its items and their raw outputs.
//
// Contract: every piece of model or data text is escaped (report/html_page.h); no scripts; output depends
// only on the diagnosis and the workspace content. Reads responses of the two runs for the drill-down.
#pragma once

#include <string>

#include "diagnose/verdict.h"
#include "store/workspace_db.h"

namespace caploop {

std::string build_diagnosis_report(WorkspaceDb& ws, const Diagnosis& diagnosis, size_t items_per_slice = 8);

}  // namespace caploop
