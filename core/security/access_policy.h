// Authorization: may this principal make this request? Pure functions over records.
//
// In auth mode accept-all everything is allowed, in deny-all nothing. In modes coral and ldap,
// in this order:
//   1. A matching permission with allowed = false denies (a deny wins over everything below,
//      over ownership and over admin rights).
//   2. /api/users and everything under it: admins only (no permission grants it).
//   3. A request about a runtime: its owner is allowed; anyone else only with a matching
//      permission with allowed = true. Admins get no implicit access to other users' runtimes.
//   4. Other requests under /api/runtimes (list, create, PUT of a runtime that does not exist
//      yet, delete all of one's own): allowed -- the API filters lists and the new runtime will
//      be the caller's.
//   5. Anything else: GET and HEAD allowed (platform figures, health, metrics); other methods
//      (cluster join/leave) for admins, or with a matching allow.
//
// A permission matches when it is the principal's, its method is the request's (any case) or
// "*", and its url matches the path: exactly, or as a prefix when it ends in "*" ("*" alone
// matches every path; "/x/*" also matches "/x" itself). A permission with a runtime_id applies
// only to requests about that runtime; one without is platform-wide. Because a runtime can be
// named several ways, its segment in the path (after /api/runtimes/) is tried as written, as its
// UUID and as its unique name `<owner>-<name>`, and, for permissions scoped to that runtime, as
// its short name too; a copy suffix `.<k>` is tried kept and dropped (a permission on a runtime
// covers its copies).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "security/authenticator.h"
#include "store/records.h"

namespace coral::security {

struct AccessRequest {
  std::string_view method;  // the HTTP method
  // The request path without the query string, percent-decoded and normalised by the router
  // (no "//", no "." or ".." segments, no trailing "/").
  std::string_view path;
  // The runtime the request is about, resolved by the caller; nullptr when there is none (or it
  // does not exist).
  const store::Runtime* runtime = nullptr;
};

struct AccessDecision {
  bool allowed = false;
  std::string reason;  // for the log and the 403 details; names no secret
};

// True when a permission url pattern matches a path (see above).
bool UrlMatches(std::string_view pattern, std::string_view path);

// Immutable, so thread-safe.
class AccessPolicy {
 public:
  explicit AccessPolicy(AuthMode mode) : mode_(mode) {}

  // `permissions`: the principal's permissions (others are ignored), e.g.
  // store.ListPermissions({.user_id = principal.user_id}).
  AccessDecision Check(const Principal& principal, std::span<const store::Permission> permissions,
                       const AccessRequest& request) const;

 private:
  AuthMode mode_;
};

}  // namespace coral::security
