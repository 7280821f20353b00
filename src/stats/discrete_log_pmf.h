// Log probabilities of the binomial, hypergeometric and Poisson distributions, accurate to near machine
// precision for counts up to 10^7 and beyond, by Loader's saddle-point expansion (C. Loader, "Fast and
// accurate computation of binomial probabilities", 2000; the method behind R's dbinom and dhyper):
//
//   ln Binom(k; n, p) = stirling_error(n) - stirling_error(k) - stirling_error(n - k)
//                       - binomial_deviance(k, n p) - binomial_deviance(n - k, n q)
//                       - 1/2 ln(2 pi k (n - k) / n)                      (0 < k < n, q = 1 - p)
//   ln Hyper(x; K, F, n) = ln Binom(x; K, r) + ln Binom(n - x; F, r) - ln Binom(n; K + F, r),  r = n / (K + F)
//                       (x successes among n draws without replacement from K successes and F failures;
//                        exact for any r, chosen so each factor is near its mode)
//   ln Poisson(x; m)    = -stirling_error(x) - binomial_deviance(x, m) - 1/2 ln(2 pi x)
//
// The binomial and Poisson forms also accept non-integer "counts" (the Gamma-function extension), which the
// incomplete beta and gamma functions use for their prefactors. Values outside the support give -infinity.
// Arguments outside the domain (negative counts, p outside [0, 1]) throw caploop::Error (kInput).
// Thread-safe: pure functions.
#pragma once

#include <cstdint>

namespace caploop {

// ln P(X = k), X ~ Binomial(n, p). q = 1 - p may be passed separately when it is known more precisely.
double log_binomial_pmf(double k, double n, double p, double q);
double log_binomial_pmf(int64_t k, int64_t n, double p);

// ln P(X = x), X ~ Hypergeometric: x successes in `draws` draws from `successes` + `failures` items.
double log_hypergeometric_pmf(int64_t x, int64_t successes, int64_t failures, int64_t draws);

// ln (m^x e^-m / Gamma(x + 1)) for real x >= 0, m > 0.
double log_poisson_pmf(double x, double m);

}  // namespace caploop
