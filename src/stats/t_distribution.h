// Student's t distribution with real degrees of freedom nu > 0: cdf, survival function and quantile,
// through the incomplete beta function (Abramowitz & Stegun 26.7.1; DLMF 8.17.7 with 26.5.27):
//
//   for t < 0: P(T <= t) = I_{nu/(nu+t^2)}(nu/2, 1/2) / 2,   and P(T <= t) = 1 - P(T <= -t) for t > 0,
// the complement taken from I_y(1/2, nu/2), y = t^2/(nu+t^2), so neither tail loses precision.
// The quantile inverts the same identity with beta_quantile.
// Thread-safe: pure functions. nu <= 0 or p outside [0, 1] throws caploop::Error (kInput).
#pragma once

namespace caploop {

double student_t_cdf(double t, double degrees_of_freedom);
double student_t_sf(double t, double degrees_of_freedom);
double student_t_quantile(double p, double degrees_of_freedom);

}  // namespace caploop
