#!/usr/bin/env python3
"""Reference values quoted in tests/stats/*_test.cc, computed independently of caploop.

Python 3 standard library only: exact rationals (fractions.Fraction, math.comb), closed forms, and
statistics.NormalDist (an implementation of Wichura's AS241) for normal quantiles. Run it to reproduce
every number: python3 tests/stats/reference_values.py (add --slow for the log C(10^7, k) values)
"""
from fractions import Fraction as F
from math import comb, erfc, exp, lgamma, log, pi, sqrt
from statistics import NormalDist
import math
import sys

Z = NormalDist()


def section(title):
    print(f"\n== {title}")


def binom_pmf(k, n, p):
    return F(comb(n, k)) * p**k * (1 - p) ** (n - k)


def binom_upper(k, n, p):  # P(X >= k), exact
    return sum(binom_pmf(j, n, p) for j in range(k, n + 1))


def binom_lower(k, n, p):  # P(X <= k), exact
    return sum(binom_pmf(j, n, p) for j in range(0, k + 1))


def bisect(f, lo, hi, iterations=200):
    # f increasing on [lo, hi], f(lo) < 0 < f(hi)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        if f(mid) < 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


section("Wilson and Clopper-Pearson, 95%, Newcombe (Statistics in Medicine 17, 1998) Table II cases")
z = Z.inv_cdf(0.975)
for k, n in [(81, 263), (15, 148), (0, 20), (1, 29)]:
    center = (k + z * z / 2) / (n + z * z)
    half = z / (n + z * z) * sqrt(k * (n - k) / n + z * z / 4)
    # Clopper-Pearson from exact binomial tails (floats of exact sums are monotone enough for bisection).
    lower = 0.0 if k == 0 else bisect(lambda p: float(binom_upper(k, n, F(p))) - 0.025, 0.0, 1.0, 60)
    upper = 1.0 if k == n else bisect(lambda p: 0.025 - float(binom_lower(k, n, F(p))), 0.0, 1.0, 60)
    print(f"k={k} n={n} wilson=({center - half!r}, {center + half!r}) clopper_pearson=({lower!r}, {upper!r})")

section("log C(n, k) from exact big integers (slow: about ten minutes for n = 10^7)")
if "--slow" in sys.argv:
    for n, k in [(10**6, 500000), (10**7, 3), (10**7, 5 * 10**6), (10**7, 1234567)]:
        print(n, k, repr(math.log(comb(n, k))))

section("Fisher exact test, tea tasting [[3,1],[1,3]] and [[10,20],[30,15]] (exact rationals)")


def hyper(x, K, Fl, n):
    return F(comb(K, x) * comb(Fl, n - x), comb(K + Fl, n))


def fisher(a, b, c, d):
    K, Fl, n = a + c, b + d, a + b
    lo, hi = max(0, n - Fl), min(n, K)
    probs = {x: hyper(x, K, Fl, n) for x in range(lo, hi + 1)}
    greater = sum(v for x, v in probs.items() if x >= a)
    less = sum(v for x, v in probs.items() if x <= a)
    two = sum(v for v in probs.values() if v <= probs[a] * F(1 + 10**-7))
    return float(greater), float(less), float(two)


print("tea", fisher(3, 1, 1, 3), "= 17/70, 69/70, 34/70")
print("[[10,20],[30,15]] greater, less, two-sided", fisher(10, 20, 30, 15))
print("[[2,9],[7,3]] greater, less, two-sided", fisher(2, 9, 7, 3))

section("Binomial test (exact rationals, minimum-likelihood two-sided rule)")


def binom_two_sided(k, n, p):
    probs = [binom_pmf(j, n, p) for j in range(n + 1)]
    return float(sum(v for v in probs if v <= probs[k] * F(1 + 10**-7)))


print("k=2 n=20 p=3/10 two-sided", binom_two_sided(2, 20, F(3, 10)), "greater", float(binom_upper(2, 20, F(3, 10))),
      "less", float(binom_lower(2, 20, F(3, 10))))
print("k=7 n=20 p=1/2 two-sided", binom_two_sided(7, 20, F(1, 2)))
print("k=60 n=100 p=1/2 greater", float(binom_upper(60, 100, F(1, 2))))

section("McNemar exact, Agresti's approval table b=150 c=86 and b=2 c=8")
for b, c in [(150, 86), (2, 8)]:
    n = b + c
    m = min(b, c)
    tail = binom_lower(m, n, F(1, 2))
    print(f"b={b} c={c} two-sided={float(min(1, 2 * tail))!r} mid-p={float(2 * (tail - binom_pmf(m, n, F(1, 2)) / 2))!r}"
          f" greater={float(binom_upper(c, n, F(1, 2)))!r} less={float(binom_lower(c, n, F(1, 2)))!r}")

section("Two-proportion z test 30/100 vs 20/100")
pooled = 50 / 200
zz = (0.3 - 0.2) / sqrt(pooled * (1 - pooled) * (1 / 100 + 1 / 100))
print("z", repr(zz), "two-sided", repr(erfc(zz / sqrt(2))), "greater", repr(0.5 * erfc(zz / sqrt(2))))

section("Benjamini-Hochberg 1995 example (15 p-values)")
ps = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528,
      0.7590, 1.000]
m = len(ps)
bh = [min(min(1, m * ps[j] / (j + 1)) for j in range(i, m)) for i in range(m)]
cm = sum(1 / l for l in range(1, m + 1))
by = [min(min(1, cm * m * ps[j] / (j + 1)) for j in range(i, m)) for i in range(m)]
holm = [max(min(1, (m - j) * ps[j]) for j in range(0, i + 1)) for i in range(m)]
print("bh", [repr(v) for v in bh])
print("by", [repr(v) for v in by])
print("holm", [repr(v) for v in holm])
print("rejections at 0.05: bh", sum(v <= 0.05 for v in bh), "by", sum(v <= 0.05 for v in by), "holm",
      sum(v <= 0.05 for v in holm))

section("Sign-flip test, Cushny-Peebles sleep data differences (tenths of hours, exact enumeration)")
sleep = [12, 24, 13, 13, 0, 10, 18, 8, 46, 14]
nz = [d for d in sleep if d != 0]
s_obs = sum(sleep)
count_two = count_greater = 0
for mask in range(1 << len(nz)):
    s = sum(-d if (mask >> i) & 1 else d for i, d in enumerate(nz))
    count_two += abs(s) >= abs(s_obs)
    count_greater += s >= s_obs
print("two-sided", F(count_two, 1 << len(nz)), "greater", F(count_greater, 1 << len(nz)))


def sign_flip_exact_dp(diffs):  # integer differences; counts patterns by sum with a dictionary DP
    counts = {0: 1}
    for d in diffs:
        nxt = {}
        for s, c in counts.items():
            nxt[s + d] = nxt.get(s + d, 0) + c
            nxt[s - d] = nxt.get(s - d, 0) + c
        counts = nxt
    return counts


mc = [(i * 7919) % 23 - 9 for i in range(1, 31)]  # 30 integer differences used in the Monte Carlo test
counts = sign_flip_exact_dp([d for d in mc if d != 0])
total = sum(counts.values())
s_obs = sum(mc)
print("monte-carlo data", mc, "sum", s_obs, "exact two-sided",
      repr(sum(c for s, c in counts.items() if abs(s) >= abs(s_obs)) / total))

section("Paired t, three differences 1, 2, 6 (t on 2 degrees of freedom has a closed form cdf)")
d = [1.0, 2.0, 6.0]
mean = sum(d) / 3
s = sqrt(sum((x - mean) ** 2 for x in d) / 2)
t = mean / (s / sqrt(3))
print("mean", mean, "t", repr(t), "two-sided p", repr(2 * (0.5 - t / (2 * sqrt(2 + t * t)))))

section("Paired-proportion sample size, delta=0.05 psi=0.2 alpha=0.05 two-sided power=0.8 (Connor 1987)")
za, zb = Z.inv_cdf(0.975), Z.inv_cdf(0.8)
print("n", (za * sqrt(0.2) + zb * sqrt(0.2 - 0.05**2)) ** 2 / 0.05**2)

section("Cochran's Q: effects 0.1, 0.3, -0.05, 0.2 with SE 0.05, 0.1, 0.08, 0.04")
ys, ses = [0.1, 0.3, -0.05, 0.2], [0.05, 0.1, 0.08, 0.04]
ws = [1 / s**2 for s in ses]
pooled = sum(w * y for w, y in zip(ws, ys)) / sum(ws)
q = sum(w * (y - pooled) ** 2 for w, y in zip(ws, ys))
sf3 = erfc(sqrt(q / 2)) + sqrt(2 * q / pi) * exp(-q / 2)  # chi-square(3) survival, closed form
tau2 = max(0, (q - 3) / (sum(ws) - sum(w * w for w in ws) / sum(ws)))
print("pooled", repr(pooled), "se", repr(1 / sqrt(sum(ws))), "Q", repr(q), "p", repr(sf3), "I2", repr((q - 3) / q),
      "tau2", repr(tau2))

section("Cluster-robust mean: clusters {1,1,1}, {0,0}, {1,0,1,0}")
clusters = [[1, 1, 1], [0, 0], [1, 0, 1, 0]]
ys = [y for c in clusters for y in c]
n = len(ys)
mean = sum(ys) / n
res = [sum(c) - len(c) * mean for c in clusters]
cr0 = sqrt(sum(r * r for r in res)) / n
print("mean", repr(mean), "cr0", repr(cr0), "cr1", repr(cr0 * sqrt(3 / 2)),
      "iid", repr(sqrt(sum((y - mean) ** 2 for y in ys) / (n * (n - 1)))))

section("Beta-binomial marginal log-likelihood, prior (2, 3), counts (3,10), (0,4), (7,7)")
a, b = 2.0, 3.0
ll = 0.0
for k, n in [(3, 10), (0, 4), (7, 7)]:
    lb = lambda x, y: lgamma(x) + lgamma(y) - lgamma(x + y)
    ll += log(comb(n, k)) + lb(k + a, n - k + b) - lb(a, b)
print("log-likelihood", repr(ll))

section("SplitMix64 from seed 0, first three outputs")
state = 0
mask = (1 << 64) - 1
out = []
for _ in range(3):
    state = (state + 0x9E3779B97F4A7C15) & mask
    z_ = state
    z_ = ((z_ ^ (z_ >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z_ = ((z_ ^ (z_ >> 27)) * 0x94D049BB133111EB) & mask
    out.append(hex(z_ ^ (z_ >> 31)))
print(out)

section("Xoshiro256** seeded with four SplitMix64(0) outputs, first three outputs")


def splitmix(seed, count):
    state, out = seed, []
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z_ = state
        z_ = ((z_ ^ (z_ >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z_ = ((z_ ^ (z_ >> 27)) * 0x94D049BB133111EB) & mask
        out.append(z_ ^ (z_ >> 31))
    return out


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & mask


s = splitmix(0, 4)
out = []
for _ in range(3):
    result = (rotl((s[1] * 5) & mask, 7) * 9) & mask
    t = (s[1] << 17) & mask
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = rotl(s[3], 45)
    out.append(hex(result))
print(out)
