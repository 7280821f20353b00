#include "stats/paired_tests.h"

#include <cmath>
#include <limits>
#include <vector>

#include "stats/random.h"
#include "stats/require_argument.h"
#include "stats/t_distribution.h"

namespace caploop {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

std::vector<double> differences(const char* function, std::span<const double> baseline,
                                std::span<const double> candidate) {
  stats_detail::require_argument(baseline.size() == candidate.size(), function, "candidate",
                                 "the same length as baseline");
  std::vector<double> d(baseline.size());
  for (size_t i = 0; i < d.size(); ++i) {
    stats_detail::require_argument(std::isfinite(baseline[i]) && std::isfinite(candidate[i]), function, "baseline",
                                   "finite values");
    d[i] = candidate[i] - baseline[i];
  }
  return d;
}

// Counts how often a sign-flipped sum is at least as extreme as the observed one.
struct ExtremeCounter {
  double observed;
  double tolerance;
  Alternative alternative;

  bool extreme(double s) const {
    switch (alternative) {
      case Alternative::kGreater:
        return s >= observed - tolerance;
      case Alternative::kLess:
        return s <= observed + tolerance;
      case Alternative::kTwoSided:
        break;
    }
    return std::fabs(s) >= std::fabs(observed) - tolerance;
  }
};

}  // namespace

PairedTTestResult paired_t_test(std::span<const double> baseline, std::span<const double> candidate,
                                Alternative alternative, double confidence, double min_standard_error) {
  stats_detail::require_argument(confidence > 0 && confidence < 1, "paired_t_test", "confidence", "0 < confidence < 1");
  stats_detail::require_argument(min_standard_error >= 0, "paired_t_test", "min_standard_error", ">= 0");
  const std::vector<double> d = differences("paired_t_test", baseline, candidate);
  PairedTTestResult r;
  r.n = static_cast<int64_t>(d.size());
  r.interval = {-kInfinity, kInfinity};
  if (d.empty()) return r;
  double sum = 0.0;
  for (double x : d) sum += x;
  const double n = static_cast<double>(d.size());
  r.mean_difference = sum / n;
  if (d.size() < 2) return r;
  double squares = 0.0;
  for (double x : d) squares += (x - r.mean_difference) * (x - r.mean_difference);
  r.degrees_of_freedom = n - 1.0;
  r.standard_error = std::max(std::sqrt(squares / (n - 1.0) / n), min_standard_error);
  if (r.standard_error == 0) {
    r.interval = {r.mean_difference, r.mean_difference};
    if (r.mean_difference == 0) return r;
    r.t = r.mean_difference > 0 ? kInfinity : -kInfinity;
    const bool toward =
        alternative == Alternative::kTwoSided || (alternative == Alternative::kGreater) == (r.mean_difference > 0);
    r.p_value = toward ? 0.0 : 1.0;
    return r;
  }
  r.t = r.mean_difference / r.standard_error;
  switch (alternative) {
    case Alternative::kGreater:
      r.p_value = student_t_sf(r.t, r.degrees_of_freedom);
      break;
    case Alternative::kLess:
      r.p_value = student_t_cdf(r.t, r.degrees_of_freedom);
      break;
    case Alternative::kTwoSided:
      r.p_value = std::min(1.0, 2.0 * student_t_sf(std::fabs(r.t), r.degrees_of_freedom));
      break;
  }
  const double critical = student_t_quantile(0.5 + 0.5 * confidence, r.degrees_of_freedom);
  r.interval = {r.mean_difference - critical * r.standard_error, r.mean_difference + critical * r.standard_error};
  return r;
}

SignFlipResult sign_flip_test(std::span<const double> baseline, std::span<const double> candidate,
                              Alternative alternative, const SignFlipOptions& options) {
  stats_detail::require_argument(options.resamples >= 1, "sign_flip_test", "resamples", ">= 1");
  stats_detail::require_argument(options.exact_limit >= 0 && options.exact_limit <= 30, "sign_flip_test", "exact_limit",
                                 "between 0 and 30");
  const std::vector<double> all = differences("sign_flip_test", baseline, candidate);
  std::vector<double> d;
  double observed = 0.0;
  double magnitude = 0.0;
  for (double x : all) {
    observed += x;
    if (x == 0) continue;
    d.push_back(x);
    magnitude += std::fabs(x);
  }
  SignFlipResult r;
  if (!all.empty()) r.mean_difference = observed / static_cast<double>(all.size());
  if (d.empty()) {
    r.patterns = 1;
    return r;  // every pattern equals the observed sum
  }
  const ExtremeCounter counter{observed, 1e-9 * magnitude, alternative};
  const size_t m = d.size();
  int64_t extreme = 0;
  if (m <= static_cast<size_t>(options.exact_limit)) {
    const uint64_t patterns = uint64_t{1} << m;
    for (uint64_t mask = 0; mask < patterns; ++mask) {
      double s = 0.0;
      for (size_t i = 0; i < m; ++i) s += ((mask >> i) & 1) ? -d[i] : d[i];
      if (counter.extreme(s)) ++extreme;
    }
    r.exact = true;
    r.patterns = static_cast<int64_t>(patterns);
    r.p_value = static_cast<double>(extreme) / static_cast<double>(patterns);
    return r;
  }
  Xoshiro256StarStar rng(options.seed);
  for (int64_t draw = 0; draw < options.resamples; ++draw) {
    double s = 0.0;
    uint64_t bits = 0;
    for (size_t i = 0; i < m; ++i) {
      if (i % 64 == 0) bits = rng.next();
      s += (bits & 1) ? -d[i] : d[i];
      bits >>= 1;
    }
    if (counter.extreme(s)) ++extreme;
  }
  r.exact = false;
  r.patterns = options.resamples;
  r.p_value = static_cast<double>(1 + extreme) / static_cast<double>(1 + options.resamples);
  return r;
}

}  // namespace caploop
