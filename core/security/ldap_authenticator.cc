#include "security/ldap_authenticator.h"

#include <ldap.h>

#include <algorithm>

#include "security/basic_auth.h"
#include "security/credential_cache.h"

namespace coral::security {

std::string LdapBindDn(std::string_view bind_dn_template, std::string_view user) {
  std::string escaped;
  for (unsigned char c : user) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '@' || c == '-';
    if (plain) {
      escaped.push_back(static_cast<char>(c));
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      escaped += {'\\', kHex[c >> 4], kHex[c & 0x0F]};
    }
  }
  std::string dn;
  constexpr std::string_view kPlaceholder = "{user}";
  std::size_t from = 0;
  for (std::size_t at; (at = bind_dn_template.find(kPlaceholder, from)) != std::string_view::npos;
       from = at + kPlaceholder.size()) {
    dn.append(bind_dn_template.substr(from, at - from));
    dn += escaped;
  }
  dn.append(bind_dn_template.substr(from));
  return dn;
}

Status LdapSimpleBind(const LdapConfig& config, const std::string& dn, std::string_view password) {
  if (password.empty()) {
    return Error{ErrorCode::kUnauthenticated,
                 "an empty password is refused (to LDAP it is an anonymous bind)"};
  }
  LDAP* raw = nullptr;
  int rc = ldap_initialize(&raw, config.uri.c_str());
  if (rc != LDAP_SUCCESS || raw == nullptr) {
    return Error{ErrorCode::kUnavailable, "LDAP server " + config.uri + ": " + ldap_err2string(rc)};
  }
  std::unique_ptr<LDAP, void (*)(LDAP*)> ld(
      raw, [](LDAP* l) { ldap_unbind_ext_s(l, nullptr, nullptr); });
  int version = LDAP_VERSION3;
  ldap_set_option(ld.get(), LDAP_OPT_PROTOCOL_VERSION, &version);
  ldap_set_option(ld.get(), LDAP_OPT_REFERRALS, LDAP_OPT_OFF);  // never follow to other servers
  timeval timeout{};
  timeout.tv_sec = static_cast<time_t>(config.timeout.count() / 1000);
  timeout.tv_usec = static_cast<suseconds_t>(config.timeout.count() % 1000 * 1000);
  ldap_set_option(ld.get(), LDAP_OPT_NETWORK_TIMEOUT, &timeout);
  ldap_set_option(ld.get(), LDAP_OPT_TIMEOUT, &timeout);

  std::string secret(password);  // libldap wants a mutable buffer
  berval credentials{static_cast<ber_len_t>(secret.size()), secret.data()};
  rc = ldap_sasl_bind_s(ld.get(), dn.c_str(), LDAP_SASL_SIMPLE, &credentials, nullptr, nullptr,
                        nullptr);
  std::fill(secret.begin(), secret.end(), '\0');
  switch (rc) {
    case LDAP_SUCCESS:
      return {};
    case LDAP_INVALID_CREDENTIALS:
    case LDAP_INVALID_DN_SYNTAX:
    case LDAP_NO_SUCH_OBJECT:
    case LDAP_UNWILLING_TO_PERFORM:
    case LDAP_INAPPROPRIATE_AUTH:
    case LDAP_INSUFFICIENT_ACCESS:
    case LDAP_CONSTRAINT_VIOLATION:
      return Error{ErrorCode::kUnauthenticated,
                   std::string("LDAP bind refused: ") + ldap_err2string(rc)};
    default:
      return Error{ErrorCode::kUnavailable,
                   "LDAP server " + config.uri + ": " + ldap_err2string(rc)};
  }
}

namespace {

class LdapAuthenticator final : public Authenticator {
 public:
  LdapAuthenticator(store::Store& store, const AuthConfig& config, AuthTiming timing)
      : store_(store),
        config_(config.ldap),
        timing_(timing.WithDefaults()),
        throttle_(config.throttle, timing_.now),
        cache_(config.cache_ttl, config.cache_entries, timing_.now) {}

  AuthMode mode() const override { return AuthMode::kLdap; }

  Result<Principal> Authenticate(const AuthRequest& request) override {
    auto parsed = ParseBasicAuthorization(request.authorization);
    if (!parsed.ok()) return parsed.error();
    const Credentials& credentials = parsed.value();
    if (credentials.password.empty()) {
      return Error{ErrorCode::kUnauthenticated,
                   "an empty password is refused (to LDAP it is an anonymous bind)"};
    }
    // Only names a store user can have: also keeps odd characters out of the DN.
    if (!store::ValidateUserName(credentials.user).ok()) {
      return Error{ErrorCode::kUnauthenticated, "wrong user name or password"};
    }
    const auto key = cache_.MakeKey({credentials.user, credentials.password});
    if (cache_.Contains(key)) return MapToStoreUser(credentials.user);

    const auto delay = throttle_.Begin(credentials.user, request.client_address);
    if (delay.count() > 0) timing_.sleep(delay);
    Status bound = LdapSimpleBind(config_, LdapBindDn(config_.bind_dn_template, credentials.user),
                                  credentials.password);
    if (!bound.ok()) {
      const bool refused = bound.error().code == ErrorCode::kUnauthenticated;
      throttle_.End(
          credentials.user, request.client_address,
          refused ? LoginThrottle::Outcome::kFailed : LoginThrottle::Outcome::kInconclusive);
      if (refused) return Error{ErrorCode::kUnauthenticated, "wrong user name or password"};
      return bound.error();
    }
    throttle_.End(credentials.user, request.client_address, LoginThrottle::Outcome::kSucceeded);
    cache_.Insert(key);
    return MapToStoreUser(credentials.user);
  }

 private:
  bool ConfiguredAdmin(std::string_view name) const {
    return std::find(config_.admin_users.begin(), config_.admin_users.end(), name) !=
           config_.admin_users.end();
  }

  // The store user of that name, created (without a password) on first login.
  Result<Principal> MapToStoreUser(const std::string& name) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto user = store_.FindUserByName(name);
      if (user.ok()) {
        return Principal{user.value().id, user.value().name,
                         user.value().admin || ConfiguredAdmin(name)};
      }
      if (user.error().code != ErrorCode::kNotFound) return Unavailable(user.error());
      store::User created_user;
      created_user.name = name;
      created_user.admin = ConfiguredAdmin(name);
      auto created = store_.CreateUser(std::move(created_user));
      if (created.ok()) {
        return Principal{created.value().id, created.value().name, created.value().admin};
      }
      if (created.error().code != ErrorCode::kConflict) return Unavailable(created.error());
    }
    return Error{ErrorCode::kUnavailable, "cannot create the store user for an LDAP login"};
  }

  static Error Unavailable(const Error& error) {
    return Error{ErrorCode::kUnavailable, "the user store is unavailable: " + error.message};
  }

  store::Store& store_;
  LdapConfig config_;
  AuthTiming timing_;
  LoginThrottle throttle_;
  CredentialCache cache_;
};

}  // namespace

Result<std::unique_ptr<Authenticator>> MakeLdapAuthenticator(const AuthConfig& config,
                                                             store::Store& store,
                                                             AuthTiming timing) {
  const LdapConfig& ldap = config.ldap;
  if (!ldap.uri.starts_with("ldap://") && !ldap.uri.starts_with("ldaps://")) {
    return Error{ErrorCode::kInvalidArgument,
                 "auth.ldap.uri must be ldap://host:port or ldaps://host:port"};
  }
  if (ldap.bind_dn_template.find("{user}") == std::string::npos) {
    return Error{ErrorCode::kInvalidArgument,
                 "auth.ldap.bind-dn-template must contain {user}, e.g. "
                 "uid={user},ou=people,dc=example,dc=org"};
  }
  if (ldap.timeout.count() <= 0) {
    return Error{ErrorCode::kInvalidArgument, "auth.ldap.timeout must be positive"};
  }
  return std::unique_ptr<Authenticator>(std::make_unique<LdapAuthenticator>(store, config, timing));
}

}  // namespace coral::security
