// Log-likelihood choices: the choices of one multiple-choice question with the log-likelihood a model gave
// each, written as one text value so that an importer (io) can hand them to a scoring rule (eval) through a
// response's filtered values (filter name kLoglikelihoodsFilter).
//
// Contract: one line per choice, "<log-likelihood>\t<choice>", the log-likelihood in shortest round-trip
// form and the choice text with "\\", "\n" and "\t" escaped as two-character sequences. decode(encode(x))
// == x exactly; decode() of text not in this form returns nullopt. Pure, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caploop {

inline constexpr std::string_view kLoglikelihoodsFilter = "loglikelihoods";

struct LoglikelihoodChoice {
  std::string choice;  // the choice as the task lists it (without the target delimiter)
  double loglikelihood = 0;
  bool operator==(const LoglikelihoodChoice&) const = default;
};

std::string encode_loglikelihood_choices(const std::vector<LoglikelihoodChoice>& choices);
std::optional<std::vector<LoglikelihoodChoice>> decode_loglikelihood_choices(std::string_view text);

}  // namespace caploop
