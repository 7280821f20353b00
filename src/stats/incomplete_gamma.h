// The regularized incomplete gamma functions and the chi-square distribution built on them (used for
// Cochran's Q heterogeneity test).
//
//   P(a, x) = gamma(a, x) / Gamma(a),  Q(a, x) = 1 - P(a, x),      a > 0, x >= 0
//   for x < a + 1: P(a, x) = [x^a e^-x / Gamma(a + 1)] * sum_{n>=0} x^n / ((a+1)(a+2)...(a+n))
//   otherwise:     Q(a, x) = [x^a e^-x / Gamma(a)] * 1 / (x + 1 - a - 1(1-a) / (x + 3 - a - 2(2-a) / ...))
// (Numerical Recipes, 3rd ed., sec. 6.2; DLMF 8.7.1 and 8.9.2), the fraction by the modified Lentz method;
// the other tail is one minus the computed one. The prefactor x^a e^-x / Gamma(a + 1) is Loader's Poisson
// density, accurate for large a.
//   chi_square_cdf(x, k) = P(k/2, x/2),  chi_square_sf(x, k) = Q(k/2, x/2)
// Thread-safe: pure functions. Arguments outside the domain throw caploop::Error (kInput).
#pragma once

namespace caploop {

double regularized_gamma_p(double a, double x);
double regularized_gamma_q(double a, double x);

double chi_square_cdf(double x, double degrees_of_freedom);
double chi_square_sf(double x, double degrees_of_freedom);

}  // namespace caploop
