#include "security/credential_cache.h"

#include <sodium.h>

#include <algorithm>
#include <cstdint>

#include "security/password.h"

namespace coral::security {

CredentialCache::CredentialCache(std::chrono::seconds ttl, std::size_t max_entries,
                                 std::function<SteadyTime()> now)
    : ttl_(ttl), max_entries_(std::max<std::size_t>(max_entries, 1)), now_(std::move(now)) {
  if (!now_) now_ = [] { return std::chrono::steady_clock::now(); };
  InitSodium();
  randombytes_buf(mac_key_.data(), mac_key_.size());
}

CredentialCache::Key CredentialCache::MakeKey(std::initializer_list<std::string_view> parts) const {
  crypto_generichash_state state;
  crypto_generichash_init(&state, mac_key_.data(), mac_key_.size(), Key().size());
  for (std::string_view part : parts) {
    const std::uint64_t length = part.size();
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(&length),
                              sizeof length);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(part.data()),
                              part.size());
  }
  Key key;
  crypto_generichash_final(&state, key.data(), key.size());
  sodium_memzero(&state, sizeof state);
  return key;
}

bool CredentialCache::Contains(const Key& key) {
  if (ttl_.count() <= 0) return false;
  const SteadyTime now = now_();
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  if (now - it->second >= ttl_) {
    entries_.erase(it);
    return false;
  }
  return true;
}

void CredentialCache::Insert(const Key& key) {
  if (ttl_.count() <= 0) return;
  const SteadyTime now = now_();
  std::lock_guard lock(mutex_);
  if (entries_.size() >= max_entries_ && !entries_.contains(key)) {
    std::erase_if(entries_, [&](const auto& item) { return now - item.second >= ttl_; });
    if (entries_.size() >= max_entries_) {
      entries_.erase(std::min_element(entries_.begin(), entries_.end(),
                                      [](auto& a, auto& b) { return a.second < b.second; }));
    }
  }
  entries_[key] = now;
}

std::size_t CredentialCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace coral::security
