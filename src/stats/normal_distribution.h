// The standard normal distribution: cumulative distribution, survival function and quantile.
//
//   normal_cdf(z)      = Phi(z) = erfc(-z / sqrt 2) / 2
//   normal_sf(z)       = 1 - Phi(z) = erfc(z / sqrt 2) / 2   (accurate in the far upper tail)
//   normal_quantile(p) = Phi^-1(p), 0 < p < 1; -inf at 0 and +inf at 1.
// The quantile starts from P. J. Acklam's rational approximation (relative error 1.15e-9) and takes one
// Halley step against the erfc-based cdf, which brings it to full double precision; the lower half is
// computed directly and the upper half by symmetry (1 - p is exact for p >= 1/2).
// Thread-safe: pure functions. p outside [0, 1] throws caploop::Error (kInput).
#pragma once

namespace caploop {

double normal_cdf(double z);
double normal_sf(double z);
double normal_quantile(double p);

}  // namespace caploop
