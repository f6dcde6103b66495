// accept-all, deny-all and coral authenticators, and the factory.
#include <semaphore>

#include "security/authenticator.h"
#include "security/basic_auth.h"
#include "security/credential_cache.h"
#include "security/ldap_authenticator.h"
#include "security/password.h"

namespace coral::security {
namespace {

Principal PrincipalOf(const store::User& user) {
  return Principal{user.id, user.name, user.admin};
}

class AcceptAllAuthenticator final : public Authenticator {
 public:
  explicit AcceptAllAuthenticator(store::Store& store) : store_(store) {}
  AuthMode mode() const override { return AuthMode::kAcceptAll; }

  Result<Principal> Authenticate(const AuthRequest& /*request*/) override {
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto user = store_.FindUserByName(kImplicitUserName);
      if (user.ok()) return Principal{user.value().id, user.value().name, true};
      if (user.error().code != ErrorCode::kNotFound) return Unavailable(user.error());
      store::User implicit;
      implicit.name = std::string(kImplicitUserName);
      implicit.fullname = "implicit user of auth mode accept-all";
      implicit.admin = true;
      auto created = store_.CreateUser(std::move(implicit));
      if (created.ok()) return Principal{created.value().id, created.value().name, true};
      if (created.error().code != ErrorCode::kConflict) return Unavailable(created.error());
      // Another request created it at the same time: read it again.
    }
    return Error{ErrorCode::kUnavailable, "cannot create the implicit user coral"};
  }

 private:
  static Error Unavailable(const Error& error) {
    return Error{ErrorCode::kUnavailable, "the user store is unavailable: " + error.message};
  }
  store::Store& store_;
};

class DenyAllAuthenticator final : public Authenticator {
 public:
  AuthMode mode() const override { return AuthMode::kDenyAll; }
  Result<Principal> Authenticate(const AuthRequest& /*request*/) override {
    return Error{ErrorCode::kUnauthenticated, "authentication mode deny-all refuses every request"};
  }
};

class CoralAuthenticator final : public Authenticator {
 public:
  CoralAuthenticator(store::Store& store, const AuthConfig& config, AuthTiming timing)
      : store_(store),
        timing_(timing.WithDefaults()),
        throttle_(config.throttle, timing_.now),
        cache_(config.cache_ttl, config.cache_entries, timing_.now),
        hash_slots_(static_cast<std::ptrdiff_t>(
            std::clamp<std::size_t>(config.max_concurrent_hashes, 1, kMaxSlots))) {}

  AuthMode mode() const override { return AuthMode::kCoral; }

  Result<Principal> Authenticate(const AuthRequest& request) override {
    auto parsed = ParseBasicAuthorization(request.authorization);
    if (!parsed.ok()) return parsed.error();
    const Credentials& credentials = parsed.value();
    auto user = store_.FindUserByName(credentials.user);
    if (!user.ok() && user.error().code != ErrorCode::kNotFound) {
      return Error{ErrorCode::kUnavailable,
                   "the user store is unavailable: " + user.error().message};
    }
    const bool has_password = user.ok() && !user.value().password_hash.empty();
    CredentialCache::Key key{};
    if (has_password) {
      key = cache_.MakeKey({credentials.user, credentials.password, user.value().password_hash});
      if (cache_.Contains(key)) return PrincipalOf(user.value());
    }

    const auto delay = throttle_.Begin(credentials.user, request.client_address);
    if (delay.count() > 0) timing_.sleep(delay);
    bool verified = false;
    {
      hash_slots_.acquire();
      // An unknown user costs the same as a known one, so that timing does not tell them apart.
      verified = has_password ? VerifyPassword(credentials.password, user.value().password_hash)
                              : (VerifyPassword(credentials.password, DummyHash()), false);
      hash_slots_.release();
    }
    if (!verified) {
      throttle_.End(credentials.user, request.client_address, LoginThrottle::Outcome::kFailed);
      return Error{ErrorCode::kUnauthenticated, "wrong user name or password"};
    }
    throttle_.End(credentials.user, request.client_address, LoginThrottle::Outcome::kSucceeded);
    cache_.Insert(key);
    return PrincipalOf(user.value());
  }

 private:
  static constexpr std::size_t kMaxSlots = 64;

  static const std::string& DummyHash() {
    static const std::string hash = [] {
      auto hashed = HashPassword("a password no one has, for unknown users");
      return hashed.ok() ? hashed.value() : std::string();
    }();
    return hash;
  }

  store::Store& store_;
  AuthTiming timing_;
  LoginThrottle throttle_;
  CredentialCache cache_;
  std::counting_semaphore<kMaxSlots> hash_slots_;
};

}  // namespace

std::string_view ToString(AuthMode mode) {
  switch (mode) {
    case AuthMode::kAcceptAll:
      return "accept-all";
    case AuthMode::kDenyAll:
      return "deny-all";
    case AuthMode::kCoral:
      return "coral";
    case AuthMode::kLdap:
      return "ldap";
  }
  return "coral";
}

Result<AuthMode> ParseAuthMode(std::string_view text) {
  for (AuthMode mode :
       {AuthMode::kAcceptAll, AuthMode::kDenyAll, AuthMode::kCoral, AuthMode::kLdap}) {
    if (text == ToString(mode)) return mode;
  }
  return Error{ErrorCode::kInvalidArgument, "unknown authentication mode '" + std::string(text) +
                                                "': use accept-all, deny-all, coral or ldap"};
}

Result<std::unique_ptr<Authenticator>> MakeAuthenticator(const AuthConfig& config,
                                                         store::Store& store, AuthTiming timing) {
  switch (config.mode) {
    case AuthMode::kAcceptAll:
      return std::unique_ptr<Authenticator>(std::make_unique<AcceptAllAuthenticator>(store));
    case AuthMode::kDenyAll:
      return std::unique_ptr<Authenticator>(std::make_unique<DenyAllAuthenticator>());
    case AuthMode::kCoral:
      return std::unique_ptr<Authenticator>(
          std::make_unique<CoralAuthenticator>(store, config, timing));
    case AuthMode::kLdap:
      return MakeLdapAuthenticator(config, store, timing);
  }
  return Error{ErrorCode::kInvalidArgument, "unknown authentication mode"};
}

}  // namespace coral::security
