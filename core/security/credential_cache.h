// Remembers, for a short time, credentials that were verified, so that a client sending the same
// Basic header with every request costs one argon2 verification (or LDAP bind) per `ttl`, not
// one per request. Entries are keyed BLAKE2b MACs (a random key per process) of the parts the
// caller chooses -- the password never stays in memory. For auth mode `coral` the parts include
// the stored hash, so a password change takes effect at once.
//
// Bounded (`max_entries`; the oldest entry goes first). A ttl of zero disables the cache.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <map>
#include <mutex>
#include <string_view>

#include "security/login_throttle.h"

namespace coral::security {

class CredentialCache {
 public:
  using Key = std::array<unsigned char, 32>;

  CredentialCache(std::chrono::seconds ttl, std::size_t max_entries,
                  std::function<SteadyTime()> now = {});

  // The MAC of the parts (length-prefixed, so part boundaries count).
  Key MakeKey(std::initializer_list<std::string_view> parts) const;
  bool Contains(const Key& key);  // true while the entry is younger than the ttl
  void Insert(const Key& key);
  std::size_t size() const;

 private:
  std::chrono::seconds ttl_;
  std::size_t max_entries_;
  std::function<SteadyTime()> now_;
  std::array<unsigned char, 32> mac_key_;
  mutable std::mutex mutex_;
  std::map<Key, SteadyTime> entries_;  // guarded by mutex_; value: when inserted
};

}  // namespace coral::security
