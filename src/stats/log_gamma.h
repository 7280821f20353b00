// Log-gamma and its relatives: the building blocks that let every exact distribution in the statistics
// layer work in log space, so counts up to 10^7 and beyond never overflow.
//
//   log_gamma(x)        = ln Gamma(x),                       x > 0
//   log_beta(a, b)      = ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b)
//   log_choose(n, k)    = ln C(n, k)
//   stirling_error(x)   = ln Gamma(x + 1) - [(x + 1/2) ln x - x + ln sqrt(2 pi)]   (the remainder of
//                         Stirling's formula; series 1/(12x) - 1/(360x^3) + ... for x > 15), x > 0
//   binomial_deviance(x, m) = x ln(x / m) + m - x  (>= 0), computed without cancellation when x ~ m
//                         through the series 2x * sum_j v^(2j+1) / (2j+1), v = (x - m) / (x + m).
//
// stirling_error and binomial_deviance are the two pieces of Loader's saddle-point expansion ("Fast and
// accurate computation of binomial probabilities", C. Loader, 2000), used for binomial, hypergeometric and
// Poisson probabilities with relative error near machine precision even when n is large.
// log_gamma uses the C library's reentrant lgamma_r (no shared state), so every function here is
// thread-safe. Arguments outside the domain throw caploop::Error (kInput).
#pragma once

#include <cstdint>

namespace caploop {

double log_gamma(double x);
double log_beta(double a, double b);
double log_choose(int64_t n, int64_t k);
double stirling_error(double x);
double binomial_deviance(double x, double m);

}  // namespace caploop
