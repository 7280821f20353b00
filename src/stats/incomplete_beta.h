// The regularized incomplete beta function and its inverse: the Beta distribution's cdf and quantile,
// behind the Clopper-Pearson interval, Student's t and empirical-Bayes posterior intervals.
//
//   I_x(a, b) = (1 / B(a, b)) * integral_0^x t^(a-1) (1-t)^(b-1) dt,      a, b > 0, 0 <= x <= 1
// evaluated by the continued fraction (Numerical Recipes, 3rd ed., sec. 6.4; DLMF 8.17.22)
//   I_x(a, b) = [x^a (1-x)^b / (a B(a, b))] * 1 / (1 + d1 / (1 + d2 / (1 + ...)))
//   d_{2m+1} = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),  d_{2m} = m(b-m) x / ((a+2m-1)(a+2m))
// with the modified Lentz algorithm, for x < (a+1)/(a+b+2), and through I_x(a, b) = 1 - I_{1-x}(b, a)
// otherwise (where the fraction converges fast). The prefactor x^a (1-x)^b / B(a, b) is computed as
// (ab/(a+b)) * Binomial(a; a+b, x) with Loader's expansion, so it stays accurate for a, b up to 10^7 and more;
// the number of fraction terms grows like sqrt(max(a, b)).
//
// The inverse (the Beta(a, b) quantile) brackets the root in [0, 1] and takes Newton steps with the Beta
// density, falling back to bisection whenever a step leaves the bracket. It matches the tail it is given
// (lower or upper) rather than one minus it, and solves for x or for 1 - x (through 1 - X ~ Beta(b, a)),
// whichever side of 1/2 the root lies on, so small tails and roots near 0 or 1 keep their relative precision.
// Thread-safe: pure functions. Arguments outside the domain throw caploop::Error (kInput).
#pragma once

namespace caploop {

double regularized_incomplete_beta(double a, double b, double x);        // I_x(a, b) = P(X <= x)
double regularized_incomplete_beta_upper(double a, double b, double x);  // 1 - I_x(a, b) = P(X > x)

// x such that I_x(a, b) = p; 0 for p = 0 and 1 for p = 1.
double beta_quantile(double a, double b, double p);
// x such that 1 - I_x(a, b) = q (the upper-tail quantile, precise for small q).
double beta_quantile_upper(double a, double b, double q);

}  // namespace caploop
