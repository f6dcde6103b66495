// /api/users: user administration (admins only: the access policy refuses anyone else).
// Passwords are hashed (argon2id) before they reach the store; hashes are never returned.
#include <fmt/format.h>

#include "api/api.h"
#include "security/password.h"

namespace coral::api::handlers {
namespace {

Json UserJson(const store::User& user) {
  return Json{{"id", user.id},       {"name", user.name},      {"fullname", user.fullname},
              {"email", user.email}, {"mobile", user.mobile},  {"department", user.department},
              {"admin", user.admin}, {"created", user.created}};
}

Result<store::User> FindUser(Services& services, const std::string& id_or_name) {
  auto by_id = services.store.GetUser(id_or_name);
  if (by_id.ok()) return by_id;
  auto by_name = services.store.FindUserByName(id_or_name);
  if (by_name.ok()) return by_name;
  return Error{ErrorCode::kNotFound, fmt::format("there is no user `{}`", id_or_name)};
}

std::string Text(const Json& in, const char* key) {
  return in.contains(key) && in[key].is_string() ? in[key].get<std::string>() : "";
}

}  // namespace

Result<Reply> ListUsers(Services& services, Request&) {
  auto users = services.store.ListUsers();
  if (!users.ok()) return users.error();
  Json out = Json::array();
  for (const auto& user : users.value()) out.push_back(UserJson(user));
  return Reply{200, Json{{"success", true}, {"users", std::move(out)}}};
}

Result<Reply> CreateUser(Services& services, Request& request) {
  auto body = ParseBody(request.http);
  if (!body.ok()) return body.error();
  const Json& in = body.value();
  if (!in.is_object() || Text(in, "name").empty()) {
    return Error{ErrorCode::kInvalidArgument,
                 "send {\"name\", \"fullname\", \"email\", \"mobile\", \"department\", "
                 "\"password\"[, \"admin\": true]}"};
  }
  store::User user;
  user.name = Text(in, "name");
  user.fullname = Text(in, "fullname");
  user.email = Text(in, "email");
  user.mobile = Text(in, "mobile");
  user.department = Text(in, "department");
  user.admin = in.contains("admin") && in["admin"].is_boolean() && in["admin"].get<bool>();
  std::string password = Text(in, "password");
  if (!password.empty()) {
    Status policy = security::CheckPasswordPolicy(password);
    if (!policy.ok()) return policy.error();
    auto hash = security::HashPassword(password);
    if (!hash.ok()) return hash.error();
    user.password_hash = std::move(hash).value();
  }
  auto created = services.store.CreateUser(std::move(user));
  if (!created.ok()) return created.error();
  return Reply{201, Json{{"success", true}, {"user", UserJson(created.value())}}};
}

Result<Reply> GetUser(Services& services, Request& request) {
  auto user = FindUser(services, request.captures[0]);
  if (!user.ok()) return user.error();
  return Reply{200, Json{{"success", true}, {"user", UserJson(user.value())}}};
}

Result<Reply> DeleteUser(Services& services, Request& request) {
  auto user = FindUser(services, request.captures[0]);
  if (!user.ok()) return user.error();
  if (user.value().id == request.principal.user_id) {
    return Error{ErrorCode::kConflict, "you cannot delete yourself"};
  }
  Status deleted = services.store.DeleteUser(user.value().id);
  if (!deleted.ok()) return deleted.error();
  return Reply{200, Json{{"success", true}, {"deleted", user.value().name}}};
}

}  // namespace coral::api::handlers
