// /api/platform/* and /api/health. Until the cluster issue lands, the cluster is this node alone.
#include <fmt/format.h>

#include "api/api.h"

namespace coral::api::handlers {
namespace {

Json MachineJson(Services& services) {
  auto totals = services.manager.totals();
  const std::string& address = services.node_address;
  std::size_t colon = address.rfind(':');
  return Json{{"address", address},
              {"ip", address.substr(0, colon)},
              {"port", services.config.gossip_port},
              {"alias", address},
              {"status", "alive"},
              {"incarnation", 0},
              {"runtimes", totals.running},
              {"actors", totals.actors}};
}

double UptimeSeconds(const Services& services) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - services.started).count();
}

}  // namespace

Result<Reply> GetCluster(Services& services, Request&) {
  return Reply{
      200,
      Json{{"success", true},
           {"cluster", {{"enabled", !services.config.no_cluster}, {"self", services.node_address}}},
           {"machines", Json::array({MachineJson(services)})}}};
}

Result<Reply> GetClusterMachine(Services& services, Request& request) {
  const std::string& wanted = request.captures[0];
  if (wanted != services.node_address && wanted != services.config.bind) {
    return Error{ErrorCode::kNotFound, fmt::format("no machine `{}` in the cluster", wanted)};
  }
  return Reply{200, Json{{"success", true}, {"machine", MachineJson(services)}}};
}

Result<Reply> PostCluster(Services& services, Request& request) {
  auto body = ParseBody(request.http);
  if (!body.ok()) return body.error();
  std::string action = body.value().is_object() ? body.value().value("action", "") : "";
  if (action != "join" && action != "leave") {
    return Error{ErrorCode::kInvalidArgument,
                 "send {\"action\": \"join\", \"seeds\": [\"host:port\", ...]} or "
                 "{\"action\": \"leave\"}"};
  }
  if (services.config.no_cluster) {
    return Error{ErrorCode::kConflict, "this node runs with --no-cluster: it cannot " + action};
  }
  return Error{ErrorCode::kUnavailable,
               "cluster membership is not available in this version: every node runs alone"};
}

Result<Reply> PlatformStats(Services& services, Request&) {
  auto totals = services.manager.totals();
  std::int64_t messages = 0, exceptions = 0;
  for (const node::RuntimeView& view : services.manager.List()) {
    if (!view.running() || !view.copies) continue;
    for (const auto& copy : view.copies->copies) {
      Json stats = copy->Stats();
      messages += stats.value("totalMessages", std::int64_t{0});
      exceptions += stats.value("totalExceptions", std::int64_t{0});
    }
  }
  return Reply{200, Json{{"success", true},
                         {"machines", 1},
                         {"runtimes", totals.runtimes},
                         {"runningRuntimes", totals.running},
                         {"actors", totals.actors},
                         {"totalMessages", messages},
                         {"totalExceptions", exceptions},
                         {"uptimeSeconds", UptimeSeconds(services)}}};
}

Result<Reply> PlatformSettings(Services& services, Request&) {
  return Reply{200, Json{{"success", true},
                         {"nodes", Json::array({{{"address", services.node_address},
                                                 {"settings", services.config.ToJson()}}})}}};
}

Result<Reply> Health(Services& services, Request&) {
  bool ready = services.ready.load();
  return Reply{ready ? 200 : 503, Json{{"success", ready},
                                       {"status", ready ? "ok" : "starting"},
                                       {"live", true},
                                       {"ready", ready},
                                       {"node", services.node_address},
                                       {"uptimeSeconds", UptimeSeconds(services)}}};
}

}  // namespace coral::api::handlers
