// render_diagnosis_markdown: a Diagnosis as a Markdown report — verdict and reason, places to look, the
// evidence chain (overall test, loss decomposition, re-scoring, evenness, power, comparability, the checks
// applied) and the reported slices as a table (item lists are summarised: count and the first few keys).
// Tags, run names and item keys are escaped for Markdown tables (`|`, backslash, backtick, `<`, `>`).
// Deterministic; pure function.
#pragma once

#include <string>

#include "diagnose/verdict.h"

namespace caploop {

std::string render_diagnosis_markdown(const Diagnosis& diagnosis);

}  // namespace caploop
