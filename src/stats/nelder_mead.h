// minimize_nelder_mead: derivative-free minimization of a smooth function of a few variables, used to fit
// empirical-Bayes priors by maximum likelihood.
//
// The Nelder-Mead simplex method (J. A. Nelder and R. Mead, Computer Journal 7, 1965) with the standard
// coefficients: reflection 1, expansion 2, contraction 1/2, shrink 1/2. The initial simplex is the start
// point plus `initial_step` along each axis. It stops when the function values at the simplex vertices
// differ by less than tolerance * (1 + |best value|) or after `max_iterations`. Deterministic: ties are broken by
// vertex order. Thread-safe: the objective is called from the calling thread only.
#pragma once

#include <functional>
#include <vector>

namespace caploop {

struct NelderMeadOptions {
  double initial_step = 0.5;
  double tolerance = 1e-10;
  int max_iterations = 2000;
};

struct NelderMeadResult {
  std::vector<double> point;
  double value = 0.0;
  int iterations = 0;
  bool converged = false;
};

NelderMeadResult minimize_nelder_mead(const std::function<double(const std::vector<double>&)>& objective,
                                      std::vector<double> start, const NelderMeadOptions& options = {});

}  // namespace caploop
