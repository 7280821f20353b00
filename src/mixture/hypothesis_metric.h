// The metric a plan hypothesis is stated and verified on: "accuracy" (the mean over an item's samples, the
// default) or "pass@k" (the unbiased pass@k estimate per item, for runs with at least k samples per item).
//
// Contract: pass_k_of_metric() returns 0 for "accuracy" (or ""), k for "pass@k" with 1 <= k <= 100000, and
// throws caploop::Error (kInput, naming `where`) for anything else. metric_name() is its inverse
// ("accuracy" for 0). Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace caploop {

int64_t pass_k_of_metric(std::string_view metric, const SourceLocation& where = {});
std::string metric_name(int64_t pass_k);

}  // namespace caploop
