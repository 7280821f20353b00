#include "corpus/score_text.h"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <iterator>

namespace caploop::corpus {

namespace {

constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

void append_with_fmt(std::string& out, double v) { fmt::format_to(std::back_inserter(out), FMT_COMPILE("{:.6g}"), v); }

}  // namespace

void append_score_text(std::string& out, double v) {
  if (!(v >= 1e-4 && v < 1e6)) return append_with_fmt(out, v);  // also zero, negative, NaN, infinities
  // The decimal exponent x: 10^x <= v < 10^(x+1), with -4 <= x <= 5.
  int x = 5;
  while (x > -4 && v < (x >= 0 ? kPow10[x] : 1.0 / kPow10[-x])) --x;
  // m = v * 10^(5 - x), in [1e5, 1e6); 5 - x is 0..9, so the power is exact and the product has one rounding,
  // a relative error below 2^-53 (under 1.2e-10 absolute at this size).
  const double scaled = v * kPow10[5 - x];
  double whole = std::floor(scaled);
  const double fraction = scaled - whole;                                // exact: scaled < 2^53
  if (std::fabs(fraction - 0.5) < 1e-6) return append_with_fmt(out, v);  // too close to a tie to decide here
  // A value just under a power of ten can scale to below 1e5 through the exact x test above only if v < 10^x,
  // which the loop excludes; but the product's rounding can reach 1e6.
  if (scaled >= 1e6 || scaled < 1e5) return append_with_fmt(out, v);
  uint64_t m = static_cast<uint64_t>(whole) + (fraction > 0.5 ? 1 : 0);
  if (m == 1000000) {  // rounded up to the next power of ten
    m = 100000;
    ++x;
    if (x >= 6) return append_with_fmt(out, v);  // exponent form
  }
  // Six digits d0..d5 with the decimal point after digit x (x >= 0), or "0." and -x-1 zeros before them (x < 0);
  // trailing zeros after the point are dropped, and the point when nothing follows it.
  char digits[6];
  for (int i = 5; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + m % 10);
    m /= 10;
  }
  int last = 5;  // last digit to write: drop trailing zeros that lie after the point
  while (last > x && last > 0 && digits[last] == '0') --last;
  if (x >= 0) {
    out.append(digits, static_cast<size_t>(x) + 1);
    if (last > x) {
      out += '.';
      out.append(digits + x + 1, static_cast<size_t>(last - x));
    }
  } else {
    out += "0.";
    out.append(static_cast<size_t>(-x - 1), '0');
    out.append(digits, static_cast<size_t>(last) + 1);
  }
}

}  // namespace caploop::corpus
