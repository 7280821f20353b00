// Deterministic pseudo-random numbers for resampling (permutation tests, bootstraps): the same seed gives
// the same stream on every platform and compiler, unlike std::uniform_*_distribution.
//
// SplitMix64 (G. Steele, D. Lea, C. Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014;
// the constants of S. Vigna's reference splitmix64.c) expands a 64-bit seed; Xoshiro256StarStar
// (D. Blackman and S. Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47, 2021) is
// the generator proper, seeded with four SplitMix64 outputs as its authors recommend.
// uniform() returns (next() >> 11) * 2^-53, a double in [0, 1); bit() returns the top bit.
// Thread safety: a generator is a small value; use one per thread.
#pragma once

#include <cstdint>

namespace caploop {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next();

 private:
  uint64_t state_;
};

class Xoshiro256StarStar {
 public:
  explicit Xoshiro256StarStar(uint64_t seed);
  uint64_t next();
  double uniform();
  bool bit() { return (next() >> 63) != 0; }

 private:
  uint64_t state_[4];
};

}  // namespace caploop
