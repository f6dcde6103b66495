// Authentication: from an HTTP Authorization header value to a principal, in one of the four
// modes of `auth.mode`:
//   accept-all  every request is the implicit admin user `coral` (created in the store, without
//               a password, on first use, so that it can own runtimes); the header is ignored.
//   deny-all    every request is refused.
//   coral       HTTP Basic against the users in the store (argon2id hashes).
//   ldap        HTTP Basic, checked by a simple bind to an LDAP server as the DN made from
//               `bind_dn_template`; the user maps to the store user of the same name (created
//               without a password on first login) for permissions.
// In coral and ldap modes failed attempts are slowed down (login_throttle.h: the authenticator
// sleeps, through AuthTiming, before checking a password) and verified credentials are cached
// (credential_cache.h), so that a client sending Basic credentials with every request does not
// pay for argon2 or a bind each time.
//
// Errors: kUnauthenticated (no, malformed or wrong credentials; deny-all) -> HTTP 401;
// kUnavailable (the store or the LDAP server cannot be reached) -> HTTP 503. Messages never hold
// a password, and do not tell an unknown user from a wrong password.
//
// Thread-safety: Authenticate may be called from any thread concurrently. It blocks: store
// reads, argon2 (~0.1 s), an LDAP bind (up to `timeout`), the throttle delay (up to
// `max_delay`). The store must outlive the authenticator.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "security/login_throttle.h"
#include "store/store.h"

namespace coral::security {

// Who is making a request.
struct Principal {
  std::string user_id;  // a store user id
  std::string name;
  bool admin = false;
};

struct AuthRequest {
  std::string_view authorization;   // the Authorization header value, "" when absent
  std::string_view client_address;  // the peer's IP address, for the throttle
};

enum class AuthMode { kAcceptAll, kDenyAll, kCoral, kLdap };
// "accept-all", "deny-all", "coral", "ldap".
std::string_view ToString(AuthMode mode);
Result<AuthMode> ParseAuthMode(std::string_view text);  // kInvalidArgument listing the modes

inline constexpr std::string_view kImplicitUserName = "coral";  // the accept-all user

struct LdapConfig {
  std::string uri;                          // ldap://host:port or ldaps://host:port
  std::string bind_dn_template;             // e.g. "uid={user},ou=people,dc=example,dc=org"
  std::chrono::milliseconds timeout{5000};  // connect and bind
  // Users who are admins when they log in through LDAP (besides store users marked admin).
  std::vector<std::string> admin_users;
};

struct AuthConfig {
  AuthMode mode = AuthMode::kCoral;
  LdapConfig ldap;  // mode ldap only
  ThrottleOptions throttle;
  std::chrono::seconds cache_ttl{60};  // verified credentials; 0 disables the cache
  std::size_t cache_entries = 10'000;
  std::size_t max_concurrent_hashes = 2;  // argon2 verifications at once (64 MiB each)
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual AuthMode mode() const = 0;
  virtual Result<Principal> Authenticate(const AuthRequest& request) = 0;
};

// The authenticator for `config.mode`. kInvalidArgument for a bad ldap config (uri not ldap://
// or ldaps://, a template without "{user}", a timeout <= 0).
Result<std::unique_ptr<Authenticator>> MakeAuthenticator(const AuthConfig& config,
                                                         store::Store& store,
                                                         AuthTiming timing = {});

// The LDAP DN for `user`: every "{user}" in the template replaced by the name escaped for a DN
// (RFC 4514: every character but letters, digits and . _ @ - as \XX).
std::string LdapBindDn(std::string_view bind_dn_template, std::string_view user);

}  // namespace coral::security
