// Auth mode ldap (see authenticator.h), and the one LDAP operation it needs.
// Thread-safety: both functions may be called from any thread (one LDAP connection per call).
#pragma once

#include <memory>
#include <string_view>

#include "common/error.h"
#include "security/authenticator.h"

namespace coral::security {

// A simple bind to `config.uri` as `dn` with `password`, then unbind. OK when the server accepts;
// kUnauthenticated when it refuses the credentials (wrong password, unknown DN, unwilling);
// kUnavailable when it cannot be reached in `config.timeout`. An empty password is refused
// without contacting the server: to LDAP that is an unauthenticated bind, which many servers
// accept.
Status LdapSimpleBind(const LdapConfig& config, const std::string& dn, std::string_view password);

// Checks config.ldap (kInvalidArgument) and makes the authenticator.
Result<std::unique_ptr<Authenticator>> MakeLdapAuthenticator(const AuthConfig& config,
                                                             store::Store& store,
                                                             AuthTiming timing);

}  // namespace coral::security
