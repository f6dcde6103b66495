// /api/runtimes and /api/runtimes/<id>: list, create, create-or-replace, lifecycle, delete, and
// the definition's parts and counters.
#include <fmt/format.h>

#include "api/api.h"

namespace coral::api::handlers {
namespace {

Json Ok(Json body = Json::object()) {
  Json out = {{"success", true}};
  for (auto it = body.begin(); it != body.end(); ++it) out[it.key()] = it.value();
  return out;
}

node::Owner OwnerOf(const security::Principal& principal) {
  return node::Owner{principal.user_id, principal.name};
}

// The definition's `owner`, when given, must be the caller.
Status CheckOwner(const definition::RuntimeDefinition& definition,
                  const security::Principal& principal) {
  if (definition.owner && *definition.owner != principal.name) {
    return Error{ErrorCode::kPermissionDenied,
                 fmt::format("the definition says owner `{}` but you are `{}`; remove `owner` or "
                             "send it as that user",
                             *definition.owner, principal.name)};
  }
  return {};
}

// Whether the caller may see a runtime in a list (the policy's rule for GET on it).
bool Visible(Services& services, const security::Principal& principal,
             std::span<const store::Permission> permissions, const node::RuntimeView& view) {
  if (view.record.owner_id == principal.user_id) return true;
  std::string path = "/api/runtimes/" + view.record.unique_name;
  security::AccessRequest access{"GET", path, &view.record};
  return services.policy.Check(principal, permissions, access).allowed;
}

}  // namespace

Result<Reply> ListRuntimes(Services& services, Request& request) {
  std::vector<store::Permission> permissions;
  auto mode = services.authenticator.mode();
  if (mode == security::AuthMode::kCoral || mode == security::AuthMode::kLdap) {
    auto listed = services.store.ListPermissions({.user_id = request.principal.user_id});
    if (!listed.ok()) return listed.error();
    permissions = std::move(listed).value();
  }
  Json runtimes = Json::array();
  for (const node::RuntimeView& view : services.manager.List()) {
    if (!Visible(services, request.principal, permissions, view)) continue;
    runtimes.push_back(RuntimeJson(view, services.node_address));
  }
  return Reply{200, Ok({{"runtimes", std::move(runtimes)}})};
}

Result<Reply> CreateRuntime(Services& services, Request& request) {
  auto definition = ParseDefinition(request.http);
  if (!definition.ok()) return definition.error();
  Status owner = CheckOwner(*definition.value(), request.principal);
  if (!owner.ok()) return owner.error();
  auto created = services.manager.Create(OwnerOf(request.principal), definition.value());
  if (!created.ok()) return created.error();
  const node::RuntimeView& view = created.value();
  return Reply{201, Ok({{"created", true},
                        {"result", "created"},
                        {"id", view.record.id},
                        {"uniqueName", view.record.unique_name},
                        {"definition", view.definition->source}})};
}

Result<Reply> PutRuntime(Services& services, Request& request) {
  auto definition = ParseDefinition(request.http);
  if (!definition.ok()) return definition.error();
  Status owner = CheckOwner(*definition.value(), request.principal);
  if (!owner.ok()) return owner.error();
  const std::string& id = request.captures[0];
  const std::string& name = definition.value()->name;
  if (!request.runtime && id != name && id != request.principal.name + "-" + name) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("PUT /api/runtimes/{} carries a definition named `{}`; use "
                             "PUT /api/runtimes/{}",
                             id, name, name)};
  }
  auto put = services.manager.Put(OwnerOf(request.principal), request.runtime,
                                  std::move(definition).value());
  if (!put.ok()) return put.error();
  auto& [outcome, view] = put.value();
  Json body = Ok({{"result", node::ToString(outcome)},
                  {"created", outcome == node::PutOutcome::kCreated},
                  {"id", view.record.id},
                  {"uniqueName", view.record.unique_name},
                  {"status", store::ToString(view.record.status)},
                  {"definition", view.definition->source}});
  return Reply{outcome == node::PutOutcome::kCreated ? 201 : 200, std::move(body)};
}

Result<Reply> GetRuntime(Services& services, Request& request) {
  return Reply{200, Ok(RuntimeJson(*request.runtime, services.node_address))};
}

Result<Reply> PatchRuntime(Services& services, Request& request) {
  auto body = ParseBody(request.http);
  if (!body.ok()) return body.error();
  const Json& patch = body.value();
  std::string status = patch.is_object() && patch.contains("status") && patch["status"].is_string()
                           ? patch["status"].get<std::string>()
                           : "";
  Result<node::RuntimeView> done = Error{ErrorCode::kInternal, ""};
  if (status == "start")
    done = services.manager.Start(request.runtime->record.id);
  else if (status == "stop")
    done = services.manager.Stop(request.runtime->record.id);
  else {
    return Error{ErrorCode::kInvalidArgument,
                 "send {\"status\": \"start\"} or {\"status\": \"stop\"}"};
  }
  if (!done.ok()) return done.error();
  return Reply{200, Ok(RuntimeJson(done.value(), services.node_address))};
}

Result<Reply> DeleteRuntime(Services& services, Request& request) {
  Status deleted = services.manager.Delete(request.runtime->record.id);
  if (!deleted.ok()) return deleted.error();
  return Reply{200, Ok({{"deleted", request.runtime->record.unique_name},
                        {"id", request.runtime->record.id}})};
}

Result<Reply> DeleteAllRuntimes(Services& services, Request& request) {
  Json deleted = Json::array();
  for (const node::RuntimeView& view : services.manager.List()) {
    if (view.record.owner_id != request.principal.user_id) continue;
    Status done = services.manager.Delete(view.record.id);
    if (!done.ok() && done.error().code != ErrorCode::kNotFound) return done.error();
    deleted.push_back(view.record.unique_name);
  }
  return Reply{200, Ok({{"deleted", std::move(deleted)}})};
}

Result<Reply> GetActors(Services&, Request& request) {
  const Json& source = request.runtime->definition->source;
  return Reply{200, Ok({{"actors", source.contains("actors") ? source["actors"] : Json::array()}})};
}

Result<Reply> GetLinks(Services&, Request& request) {
  const Json& source = request.runtime->definition->source;
  return Reply{200, Ok({{"links", source.contains("links") ? source["links"] : Json::array()}})};
}

Result<Reply> GetRuntimeStats(Services&, Request& request) {
  return Reply{200, Ok(RuntimeStats(*request.runtime, request.copy))};
}

}  // namespace coral::api::handlers
