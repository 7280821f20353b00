#include "mixture/hypothesis_metric.h"

#include <fmt/format.h>

#include <charconv>

namespace caploop {

int64_t pass_k_of_metric(std::string_view metric, const SourceLocation& where) {
  if (metric.empty() || metric == "accuracy") return 0;
  constexpr std::string_view kPrefix = "pass@";
  int64_t k = 0;
  if (metric.substr(0, kPrefix.size()) == kPrefix) {
    const std::string_view digits = metric.substr(kPrefix.size());
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), k);
    if (ec == std::errc() && end == digits.data() + digits.size() && k >= 1 && k <= 100000) return k;
  }
  throw Error(ErrorKind::kInput,
              fmt::format("metric \"{}\" is not known: expected \"accuracy\" or \"pass@k\" with k >= 1", metric),
              where);
}

std::string metric_name(int64_t pass_k) { return pass_k <= 0 ? "accuracy" : fmt::format("pass@{}", pass_k); }

}  // namespace caploop
