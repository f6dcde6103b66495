// A small seeded random number generator for actors that draw numbers (generator, sample).
//
// The sequence for a given seed is fixed by this file alone: xoshiro256** seeded through
// SplitMix64, uniform doubles from the top 53 bits, normals by Marsaglia's polar method (only
// sqrt and log, no library distribution), so `seed:` reproduces the same output with any standard
// library. Not thread-safe; each actor instance owns one.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>

#include <fmt/format.h>

#include "actors/actor.h"
#include "definition/param_reader.h"

namespace coral::actors {

class Random {
 public:
  explicit Random(std::uint64_t seed) {
    for (std::uint64_t& word : state_) word = SplitMix(seed);
  }

  // A seed from the operating system, for actors configured without `seed`.
  static std::uint64_t SeedFromDevice() {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }

  // The seed for one actor instance: `seed` itself for the first copy, a different but fixed
  // seed for every other copy, so copies do not all produce the same numbers.
  static std::uint64_t SeedForCopy(std::uint64_t seed, const ActorEnv& env) {
    if (env.runtime_copy <= 1 && env.actor_copy <= 1) return seed;
    std::uint64_t mix = seed ^ (static_cast<std::uint64_t>(env.runtime_copy) << 32) ^
                        static_cast<std::uint64_t>(env.actor_copy);
    return SplitMix(mix);
  }

  std::uint64_t Next() {
    const std::uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = RotateLeft(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Uniform integer in [0, n); REQUIRES: n > 0. Lemire's method would be faster; this one is
  // simple and unbiased.
  std::uint64_t Below(std::uint64_t n) {
    const std::uint64_t limit =
        std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
    std::uint64_t x = Next();
    while (x >= limit) x = Next();
    return x % n;
  }

  // Normal with mean `mu` and standard deviation `sigma`.
  double Normal(double mu, double sigma) {
    if (has_spare_) {
      has_spare_ = false;
      return mu + sigma * spare_;
    }
    double u = 0;
    double v = 0;
    double s = 0;
    do {
      u = 2 * Uniform() - 1;
      v = 2 * Uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double factor = std::sqrt(-2 * std::log(s) / s);
    spare_ = v * factor;
    has_spare_ = true;
    return mu + sigma * u * factor;
  }

 private:
  static std::uint64_t RotateLeft(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t SplitMix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  std::uint64_t state_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

// Reads the optional `seed` parameter: a whole number (negative ones are accepted and used as
// their 64-bit pattern). nullopt when absent or wrong (wrong ones are reported).
inline std::optional<std::uint64_t> ReadSeed(definition::ParamReader& params) {
  const definition::Node* found = params.Get("seed");
  if (!found) return std::nullopt;
  if (auto integer = found->AsInteger()) return static_cast<std::uint64_t>(*integer);
  params.Error("seed",
               fmt::format("expected a whole number such as 42, found {}", found->Describe()));
  return std::nullopt;
}

}  // namespace coral::actors
