// Minerva's (Lewkowycz et al., 2022, appendix D) final-answer extraction and normalisation for MATH-style
// answers, as used by lm-evaluation-harness's minerva_math task.
//
// Contract: pure, thread-safe (the regular expressions are compiled once, on first use, by a function-local
// static). minerva_final_answer() finds "Final Answer: The final answer is X. I hope it is correct." and
// returns X (trimmed) with its byte span; minerva_normalize_final_answer() applies the published
// SUBSTITUTIONS and REMOVED_EXPRESSIONS lists and regex rewrites in order (see docs/scoring-rules.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace caploop {

struct MinervaStatement {
  std::string_view answer;  // X, trimmed
  size_t begin = 0;         // span of the whole "Final Answer: ... I hope it is correct." statement
  size_t end = 0;
};

struct MinervaScan {
  std::optional<MinervaStatement> first;
  int count = 0;  // number of "Final Answer: The final answer is" statements
};

MinervaScan minerva_final_answer(std::string_view response);

std::string minerva_normalize_final_answer(std::string_view final_answer);

}  // namespace caploop
