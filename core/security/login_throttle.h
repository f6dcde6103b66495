// Slows down password guessing: every attempt that needs a password check is held for a delay
// that doubles with each recent failure of the same user name, and of the same client address
// (after a few free failures, since many users may share an address), up to a cap.
//
// The delay is applied before the password is checked and whatever the outcome, so an attacker
// cannot cut the wait short by reading the answer early. An attempt counts as a failure from
// Begin until End says otherwise, so parallel guesses see each other's count. A success forgets
// the name's failures; failures are forgotten `forget_after` after the last one. The maps are
// bounded (`max_entries` each; the stalest entry goes first).
//
// The clock is injectable; the throttle never sleeps itself: Begin returns the delay and the
// caller (the authenticators, through AuthTiming::sleep) waits it.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace coral::security {

using SteadyTime = std::chrono::steady_clock::time_point;

// The authenticators' view of time: injectable so that tests never sleep.
struct AuthTiming {
  std::function<SteadyTime()> now;                       // default: steady_clock::now
  std::function<void(std::chrono::milliseconds)> sleep;  // default: this_thread::sleep_for
  // Fills the defaults for unset members.
  AuthTiming WithDefaults() const;
};

struct ThrottleOptions {
  std::chrono::milliseconds base_delay{250};  // after the first failure
  std::chrono::milliseconds max_delay{8000};
  int free_failures_per_address = 5;
  std::chrono::seconds forget_after{15 * 60};
  std::size_t max_entries = 10'000;  // per map (names, addresses)
};

class LoginThrottle {
 public:
  enum class Outcome {
    kSucceeded,     // forget the name's failures
    kFailed,        // keep the failure counted
    kInconclusive,  // not a guess (the LDAP server was down): uncount it
  };

  explicit LoginThrottle(ThrottleOptions options = {}, std::function<SteadyTime()> now = {});

  // Registers an attempt and returns how long to hold it before checking the password.
  std::chrono::milliseconds Begin(std::string_view name, std::string_view address);
  void End(std::string_view name, std::string_view address, Outcome outcome);

  // The delay after `failures` counted failures (0 -> none).
  std::chrono::milliseconds DelayFor(int failures) const;
  std::size_t tracked_names() const;
  std::size_t tracked_addresses() const;

 private:
  struct Entry {
    int failures = 0;
    SteadyTime last;
  };
  using Map = std::unordered_map<std::string, Entry>;
  Entry& Touch(Map& map, std::string_view key, SteadyTime now);  // REQUIRES: mutex_ held
  void Uncount(Map& map, std::string_view key);                  // REQUIRES: mutex_ held
  void Expire(Map& map, SteadyTime now);                         // REQUIRES: mutex_ held

  ThrottleOptions options_;
  std::function<SteadyTime()> now_;
  mutable std::mutex mutex_;
  Map names_;      // guarded by mutex_
  Map addresses_;  // guarded by mutex_
};

}  // namespace coral::security
