// The Markdown rendering of a Verification (`caploop verify --markdown FILE`): the verdict and its reason, a
// table of hypotheses with their evidence, each hypothesis's reason, the decision rules, and notes.
// Contract: deterministic; text from the plan (descriptions, tags, item keys) is escaped for Markdown tables.
// Pure function; thread-safe.
#pragma once

#include <string>

#include "verify/verification.h"

namespace caploop {

std::string render_verification_markdown(const Verification& v);

}  // namespace caploop
