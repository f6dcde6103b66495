#include "security/access_policy.h"

#include <algorithm>
#include <vector>

namespace coral::security {
namespace {

constexpr std::string_view kRuntimesPrefix = "/api/runtimes/";

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

bool UnderPath(std::string_view path, std::string_view root) {
  return path == root ||
         (path.starts_with(root) && path.size() > root.size() && path[root.size()] == '/');
}

// The request path as written and with the runtime segment replaced by each alias of the
// runtime. `scoped`: whether the short name counts (only for permissions scoped to the runtime).
struct PathForms {
  std::vector<std::string> everyone;  // as written, by UUID, by unique name
  std::vector<std::string> scoped;    // by short name
};

PathForms FormsOf(const AccessRequest& request) {
  PathForms forms;
  forms.everyone.emplace_back(request.path);
  const store::Runtime* runtime = request.runtime;
  if (runtime == nullptr || !request.path.starts_with(kRuntimesPrefix)) return forms;
  const std::string_view rest = request.path.substr(kRuntimesPrefix.size());
  const std::size_t slash = rest.find('/');
  const std::string_view segment = rest.substr(0, slash);
  const std::string_view tail = slash == std::string_view::npos ? "" : rest.substr(slash);
  // Which alias was written, and what follows it in the segment (a copy suffix ".<k>").
  std::string_view suffix;
  bool known = false;
  for (std::string_view alias :
       {std::string_view(runtime->id), std::string_view(runtime->unique_name),
        std::string_view(runtime->name)}) {
    if (alias.empty() || !segment.starts_with(alias)) continue;
    std::string_view after = segment.substr(alias.size());
    if (after.empty() || after.front() == '.') {
      suffix = after;
      known = true;
      break;
    }
  }
  if (!known) return forms;
  // With the copy suffix, and without it: a permission on the runtime covers its copies.
  for (std::string_view copy : {suffix, std::string_view()}) {
    auto form = [&](std::string_view alias) {
      std::string path(kRuntimesPrefix);
      path.append(alias).append(copy).append(tail);
      return path;
    };
    forms.everyone.push_back(form(runtime->id));
    forms.everyone.push_back(form(runtime->unique_name));
    forms.scoped.push_back(form(runtime->name));
    if (suffix.empty()) break;
  }
  return forms;
}

bool Matches(const store::Permission& permission, const Principal& principal,
             const AccessRequest& request, const PathForms& forms) {
  if (permission.user_id != principal.user_id) return false;
  if (permission.method != "*" && !EqualsIgnoreCase(permission.method, request.method)) {
    return false;
  }
  const bool scoped = permission.runtime_id.has_value();
  if (scoped && (request.runtime == nullptr || *permission.runtime_id != request.runtime->id)) {
    return false;
  }
  auto matches = [&](const std::string& path) { return UrlMatches(permission.url, path); };
  return std::any_of(forms.everyone.begin(), forms.everyone.end(), matches) ||
         (scoped && std::any_of(forms.scoped.begin(), forms.scoped.end(), matches));
}

AccessDecision Allow(std::string reason) {
  return AccessDecision{true, std::move(reason)};
}
AccessDecision Deny(std::string reason) {
  return AccessDecision{false, std::move(reason)};
}

}  // namespace

bool UrlMatches(std::string_view pattern, std::string_view path) {
  if (pattern.empty()) return false;
  if (pattern.back() != '*') return pattern == path;
  const std::string_view prefix = pattern.substr(0, pattern.size() - 1);
  if (path.starts_with(prefix)) return true;
  // "/x/*" also covers "/x".
  return prefix.size() >= 2 && prefix.back() == '/' && path == prefix.substr(0, prefix.size() - 1);
}

AccessDecision AccessPolicy::Check(const Principal& principal,
                                   std::span<const store::Permission> permissions,
                                   const AccessRequest& request) const {
  if (mode_ == AuthMode::kAcceptAll) return Allow("authentication mode accept-all");
  if (mode_ == AuthMode::kDenyAll) return Deny("authentication mode deny-all");

  const PathForms forms = FormsOf(request);
  bool allowed_by_permission = false;
  for (const store::Permission& permission : permissions) {
    if (!Matches(permission, principal, request, forms)) continue;
    if (!permission.allowed) {
      return Deny("denied by permission " + permission.id + " (" + permission.method + " " +
                  permission.url + ")");
    }
    allowed_by_permission = true;
  }

  if (UnderPath(request.path, "/api/users")) {
    return principal.admin ? Allow("administrator") : Deny("only administrators manage users");
  }
  if (request.runtime != nullptr) {
    if (request.runtime->owner_id == principal.user_id) return Allow("owner of the runtime");
    if (allowed_by_permission) return Allow("allowed by a permission");
    return Deny("not the owner of runtime " + request.runtime->unique_name +
                " and no permission allows it");
  }
  if (UnderPath(request.path, "/api/runtimes")) return Allow("any user may list and create");
  if (EqualsIgnoreCase(request.method, "GET") || EqualsIgnoreCase(request.method, "HEAD")) {
    return Allow("any user may read");
  }
  if (principal.admin) return Allow("administrator");
  if (allowed_by_permission) return Allow("allowed by a permission");
  return Deny("only administrators change the platform");
}

}  // namespace coral::security
