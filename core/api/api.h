// corald's REST API: the shared types of the server and its handlers.
//
// Every request goes through one chain (server.cc): normalise the path -> route (404 unknown
// path, 405 known path with another method) -> authenticate (401) -> find the runtime the path
// names -> authorize (403) -> 404 for an unknown runtime -> the handler -> JSON. Handlers return
// a Reply or an Error; the Error becomes `{"success": false, "reason", "details"}` with the
// status of HttpStatus(code) -- the one place where ErrorCode turns into an HTTP status.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>

#include "common/error.h"
#include "daemon/config.h"
#include "definition/model.h"
#include "node/runtime_manager.h"
#include "security/access_policy.h"
#include "security/authenticator.h"
#include "store/store.h"

namespace coral::api {

// What the handlers work with; owned by the daemon, outlives the server.
struct Services {
  const daemon::Config& config;
  store::Store& store;
  node::RuntimeManager& manager;
  security::Authenticator& authenticator;
  security::AccessPolicy policy;
  std::string node_address;  // bind:gossip-port, this node's identity
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::atomic<bool> ready{false};
};

struct Request {
  const httplib::Request& http;
  std::string path;                   // normalised: no "//", no trailing "/"
  std::vector<std::string> captures;  // the `*` segments of the route, in order
  security::Principal principal;
  std::optional<node::RuntimeView> runtime;  // the runtime named by the path, when there is one
  int copy = 0;                              // `<name>.<k>` in a stats path: k
};

struct Reply {
  int status = 200;
  Json body;         // sent as JSON unless `text` is set
  std::string text;  // a non-JSON body (metrics)
  std::string content_type = "application/json";
};

using Handler = Result<Reply> (*)(Services&, Request&);

// ErrorCode -> HTTP status and a short reason ("invalid definition", "not found", ...).
int HttpStatus(ErrorCode code);
std::string_view Reason(ErrorCode code);
Json ErrorBody(std::string_view reason, std::string_view details);

// The request body as JSON: JSON text, or YAML with Content-Type application/yaml (also
// application/x-yaml, text/yaml). kInvalidArgument saying what is wrong.
Result<Json> ParseBody(const httplib::Request& http);
// A runtime definition from the body (JSON or YAML); kInvalidDefinition with every diagnostic,
// one per line ("definition:3:5: error: actors[0].type: ...").
Result<std::shared_ptr<const definition::RuntimeDefinition>> ParseDefinition(
    const httplib::Request& http);

// The runtime summary the API returns: {id, owner, name, uniqueName, status, json, starttime,
// copies: [{name, machine, status}]}.
Json RuntimeJson(const node::RuntimeView& view, const std::string& machine);
// Stats of a runtime (every copy summed, or copy `copy` alone when > 0).
Json RuntimeStats(const node::RuntimeView& view, int copy);

// Handlers, one file per concept.
namespace handlers {
// runtime_handlers.cc
Result<Reply> ListRuntimes(Services&, Request&);
Result<Reply> CreateRuntime(Services&, Request&);
Result<Reply> DeleteAllRuntimes(Services&, Request&);
Result<Reply> GetRuntime(Services&, Request&);
Result<Reply> PutRuntime(Services&, Request&);
Result<Reply> PatchRuntime(Services&, Request&);
Result<Reply> DeleteRuntime(Services&, Request&);
Result<Reply> GetActors(Services&, Request&);
Result<Reply> GetLinks(Services&, Request&);
Result<Reply> GetRuntimeStats(Services&, Request&);
// actor_handlers.cc
Result<Reply> GetActor(Services&, Request&);
Result<Reply> InjectEvents(Services&, Request&);
Result<Reply> Shunt(Services&, Request&);
Result<Reply> GetActorStats(Services&, Request&);
Result<Reply> GetActorState(Services&, Request&);
// permission_handlers.cc
Result<Reply> ListPermissions(Services&, Request&);
Result<Reply> AddPermission(Services&, Request&);
Result<Reply> PatchPermission(Services&, Request&);
Result<Reply> DeletePermission(Services&, Request&);
// user_handlers.cc
Result<Reply> ListUsers(Services&, Request&);
Result<Reply> CreateUser(Services&, Request&);
Result<Reply> GetUser(Services&, Request&);
Result<Reply> DeleteUser(Services&, Request&);
// platform_handlers.cc
Result<Reply> GetCluster(Services&, Request&);
Result<Reply> GetClusterMachine(Services&, Request&);
Result<Reply> PostCluster(Services&, Request&);
Result<Reply> PlatformStats(Services&, Request&);
Result<Reply> PlatformSettings(Services&, Request&);
Result<Reply> Health(Services&, Request&);
// metrics.cc
Result<Reply> Metrics(Services&, Request&);
}  // namespace handlers

}  // namespace coral::api
