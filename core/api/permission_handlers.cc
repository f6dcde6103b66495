// /api/runtimes/<id>/permissions: who else may do what on a runtime.
// A permission is {id, user, method, url, allowed}; `url` defaults to the runtime's whole
// subtree (/api/runtimes/<owner>-<name>/*) and `method` to "*".
#include <fmt/format.h>

#include "api/api.h"

namespace coral::api::handlers {
namespace {

Json PermissionJson(Services& services, const store::Permission& permission) {
  auto user = services.store.GetUser(permission.user_id);
  return Json{{"id", permission.id},
              {"user", user.ok() ? user.value().name : permission.user_id},
              {"method", permission.method},
              {"url", permission.url},
              {"allowed", permission.allowed}};
}

// The permission a PATCH or DELETE names: a path segment, `?id=`, or `"id"` in the body; it must
// be one of this runtime's.
Result<store::Permission> NamedPermission(Services& services, const Request& request,
                                          const Json& body) {
  std::string id;
  if (request.captures.size() > 1)
    id = request.captures[1];
  else if (request.http.has_param("id"))
    id = request.http.get_param_value("id");
  else if (body.is_object() && body.contains("id") && body["id"].is_string()) {
    id = body["id"].get<std::string>();
  }
  if (id.empty()) {
    return Error{ErrorCode::kInvalidArgument,
                 "name the permission: .../permissions/<id>, ?id=<id> or {\"id\": ...}"};
  }
  auto permission = services.store.GetPermission(id);
  if (!permission.ok() || permission.value().runtime_id != request.runtime->record.id) {
    return Error{ErrorCode::kNotFound, fmt::format("runtime `{}` has no permission `{}`",
                                                   request.runtime->record.unique_name, id)};
  }
  return permission;
}

}  // namespace

Result<Reply> ListPermissions(Services& services, Request& request) {
  auto listed = services.store.ListPermissions({.runtime_id = request.runtime->record.id});
  if (!listed.ok()) return listed.error();
  Json out = Json::array();
  for (const auto& permission : listed.value()) out.push_back(PermissionJson(services, permission));
  return Reply{200, Json{{"success", true}, {"permissions", std::move(out)}}};
}

Result<Reply> AddPermission(Services& services, Request& request) {
  auto body = ParseBody(request.http);
  if (!body.ok()) return body.error();
  const Json& in = body.value();
  if (!in.is_object() || !in.contains("user") || !in["user"].is_string()) {
    return Error{ErrorCode::kInvalidArgument,
                 "send {\"user\": NAME, \"method\": \"GET\"|\"*\"|..., \"url\": PATH, "
                 "\"allowed\": true|false}"};
  }
  auto user = services.store.FindUserByName(in["user"].get<std::string>());
  if (!user.ok()) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("there is no user `{}`", in["user"].get<std::string>())};
  }
  store::Permission permission;
  permission.user_id = user.value().id;
  permission.runtime_id = request.runtime->record.id;
  permission.method =
      in.contains("method") && in["method"].is_string() ? in["method"].get<std::string>() : "*";
  permission.url = in.contains("url") && in["url"].is_string()
                       ? in["url"].get<std::string>()
                       : fmt::format("/api/runtimes/{}/*", request.runtime->record.unique_name);
  if (in.contains("allowed") && !in["allowed"].is_boolean()) {
    return Error{ErrorCode::kInvalidArgument, "\"allowed\" is true or false"};
  }
  permission.allowed = in.value("allowed", true);
  auto added = services.store.AddPermission(std::move(permission));
  if (!added.ok()) return added.error();
  return Reply{201,
               Json{{"success", true}, {"permission", PermissionJson(services, added.value())}}};
}

Result<Reply> PatchPermission(Services& services, Request& request) {
  auto body = ParseBody(request.http);
  if (!body.ok()) return body.error();
  auto permission = NamedPermission(services, request, body.value());
  if (!permission.ok()) return permission.error();
  if (!body.value().is_object() || !body.value().contains("allowed") ||
      !body.value()["allowed"].is_boolean()) {
    return Error{ErrorCode::kInvalidArgument, "send {\"allowed\": true|false}"};
  }
  auto set = services.store.SetPermissionAllowed(permission.value().id,
                                                 body.value()["allowed"].get<bool>());
  if (!set.ok()) return set.error();
  return Reply{200, Json{{"success", true}, {"permission", PermissionJson(services, set.value())}}};
}

Result<Reply> DeletePermission(Services& services, Request& request) {
  Json body = Json::object();
  if (!request.http.body.empty()) {
    auto parsed = ParseBody(request.http);
    if (!parsed.ok()) return parsed.error();
    body = std::move(parsed).value();
  }
  auto permission = NamedPermission(services, request, body);
  if (!permission.ok()) return permission.error();
  Status deleted = services.store.DeletePermission(permission.value().id);
  if (!deleted.ok()) return deleted.error();
  return Reply{200, Json{{"success", true}, {"deleted", permission.value().id}}};
}

}  // namespace coral::api::handlers
