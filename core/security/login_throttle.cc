#include "security/login_throttle.h"

#include <algorithm>
#include <thread>

namespace coral::security {

AuthTiming AuthTiming::WithDefaults() const {
  AuthTiming timing = *this;
  if (!timing.now) timing.now = [] { return std::chrono::steady_clock::now(); };
  if (!timing.sleep) {
    timing.sleep = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
  }
  return timing;
}

LoginThrottle::LoginThrottle(ThrottleOptions options, std::function<SteadyTime()> now)
    : options_(options), now_(std::move(now)) {
  if (!now_) now_ = [] { return std::chrono::steady_clock::now(); };
  options_.max_entries = std::max<std::size_t>(options_.max_entries, 1);
}

std::chrono::milliseconds LoginThrottle::DelayFor(int failures) const {
  if (failures <= 0) return std::chrono::milliseconds(0);
  const int doublings = std::min(failures - 1, 30);
  const auto delay = options_.base_delay.count() * (std::int64_t{1} << doublings);
  return std::chrono::milliseconds(std::min<std::int64_t>(delay, options_.max_delay.count()));
}

void LoginThrottle::Expire(Map& map, SteadyTime now) {
  std::erase_if(map,
                [&](const auto& item) { return now - item.second.last > options_.forget_after; });
}

LoginThrottle::Entry& LoginThrottle::Touch(Map& map, std::string_view key, SteadyTime now) {
  auto it = map.find(std::string(key));
  if (it != map.end() && now - it->second.last > options_.forget_after) it->second = Entry{};
  if (it == map.end()) {
    if (map.size() >= options_.max_entries) Expire(map, now);
    if (map.size() >= options_.max_entries) {
      auto stalest = std::min_element(map.begin(), map.end(), [](const auto& a, const auto& b) {
        return a.second.last < b.second.last;
      });
      map.erase(stalest);
    }
    it = map.emplace(std::string(key), Entry{}).first;
  }
  it->second.last = now;
  return it->second;
}

void LoginThrottle::Uncount(Map& map, std::string_view key) {
  auto it = map.find(std::string(key));
  if (it != map.end() && it->second.failures > 0) --it->second.failures;
}

std::chrono::milliseconds LoginThrottle::Begin(std::string_view name, std::string_view address) {
  const SteadyTime now = now_();
  std::lock_guard lock(mutex_);
  Entry& by_name = Touch(names_, name, now);
  Entry& by_address = Touch(addresses_, address, now);
  const auto delay = std::max(DelayFor(by_name.failures),
                              DelayFor(by_address.failures - options_.free_failures_per_address));
  ++by_name.failures;
  ++by_address.failures;
  return delay;
}

void LoginThrottle::End(std::string_view name, std::string_view address, Outcome outcome) {
  std::lock_guard lock(mutex_);
  switch (outcome) {
    case Outcome::kSucceeded:
      names_.erase(std::string(name));
      Uncount(addresses_, address);
      break;
    case Outcome::kFailed:
      break;
    case Outcome::kInconclusive:
      Uncount(names_, name);
      Uncount(addresses_, address);
      break;
  }
}

std::size_t LoginThrottle::tracked_names() const {
  std::lock_guard lock(mutex_);
  return names_.size();
}

std::size_t LoginThrottle::tracked_addresses() const {
  std::lock_guard lock(mutex_);
  return addresses_.size();
}

}  // namespace coral::security
