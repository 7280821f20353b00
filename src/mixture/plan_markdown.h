// Plan Markdown: a reader's rendering of a MixturePlan: where the weaknesses came from, the chain
// slice -> rule -> stream -> tokens, the streams with available and chosen tokens and epochs, the hypotheses
// verify will test, and the plan's notes.
//
// Contract: a pure function of the plan (same plan, same bytes); ends with "\n". Table cells escape '|'.
#pragma once

#include <string>

#include "mixture/mixture_plan.h"

namespace caploop {

std::string plan_markdown(const MixturePlan& plan);

}  // namespace caploop
