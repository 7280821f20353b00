// Response markup: one run's responses to one item as escaped HTML, for the drill-downs of the reports.
//
// Contract: every piece of model or data text (reference, answer, ending, raw output) is escaped; the markup is
// a run heading followed by one block per sample with its verdict under the stored rule and the raw text.
#pragma once

#include <string>

#include "store/item_lookup.h"

namespace caploop {

std::string response_markup(const RunOfItem& run);

}  // namespace caploop
