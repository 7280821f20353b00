#include "stats/nelder_mead.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "stats/require_argument.h"

namespace caploop {
namespace {

std::vector<double> affine(const std::vector<double>& from, const std::vector<double>& to, double t) {
  // from + t (to - from)
  std::vector<double> out(from.size());
  for (size_t i = 0; i < from.size(); ++i) out[i] = from[i] + t * (to[i] - from[i]);
  return out;
}

}  // namespace

NelderMeadResult minimize_nelder_mead(const std::function<double(const std::vector<double>&)>& objective,
                                      std::vector<double> start, const NelderMeadOptions& options) {
  stats_detail::require_argument(!start.empty(), "minimize_nelder_mead", "start", "at least one coordinate");
  const size_t dims = start.size();
  std::vector<std::vector<double>> vertices(dims + 1, start);
  for (size_t i = 0; i < dims; ++i) vertices[i + 1][i] += options.initial_step;
  std::vector<double> values(dims + 1);
  for (size_t i = 0; i <= dims; ++i) values[i] = objective(vertices[i]);
  std::vector<size_t> order(dims + 1);

  NelderMeadResult result;
  for (result.iterations = 0; result.iterations < options.max_iterations; ++result.iterations) {
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
    const size_t best = order.front();
    const size_t worst = order.back();
    const size_t second_worst = order[dims - 1];
    if (std::fabs(values[worst] - values[best]) < options.tolerance * (1.0 + std::fabs(values[best]))) {
      result.converged = true;
      break;
    }
    std::vector<double> centroid(dims, 0.0);
    for (size_t v = 0; v <= dims; ++v) {
      if (v == worst) continue;
      for (size_t i = 0; i < dims; ++i) centroid[i] += vertices[v][i] / static_cast<double>(dims);
    }
    const std::vector<double> reflected = affine(centroid, vertices[worst], -1.0);
    const double reflected_value = objective(reflected);
    if (reflected_value < values[best]) {
      const std::vector<double> expanded = affine(centroid, vertices[worst], -2.0);
      const double expanded_value = objective(expanded);
      if (expanded_value < reflected_value) {
        vertices[worst] = expanded;
        values[worst] = expanded_value;
      } else {
        vertices[worst] = reflected;
        values[worst] = reflected_value;
      }
      continue;
    }
    if (reflected_value < values[second_worst]) {
      vertices[worst] = reflected;
      values[worst] = reflected_value;
      continue;
    }
    const bool outside = reflected_value < values[worst];
    const std::vector<double> contracted =
        outside ? affine(centroid, reflected, 0.5) : affine(centroid, vertices[worst], 0.5);
    const double contracted_value = objective(contracted);
    if (contracted_value < std::min(reflected_value, values[worst])) {
      vertices[worst] = contracted;
      values[worst] = contracted_value;
      continue;
    }
    for (size_t v = 0; v <= dims; ++v) {
      if (v == best) continue;
      vertices[v] = affine(vertices[best], vertices[v], 0.5);
      values[v] = objective(vertices[v]);
    }
  }
  const size_t best = static_cast<size_t>(std::min_element(values.begin(), values.end()) - values.begin());
  result.point = vertices[best];
  result.value = values[best];
  return result;
}

}  // namespace caploop
