#include "api/routes.h"

namespace coral::api {

using namespace handlers;  // NOLINT(google-build-using-namespace): the table reads better

namespace {

const Route kRoutes[] = {
    {"GET", "/api/health", Health, false, false, false, /*authenticate=*/false},
    {"GET", "/metrics", Metrics},
    {"GET", "/api/runtimes", ListRuntimes},
    {"POST", "/api/runtimes", CreateRuntime},
    {"DELETE", "/api/runtimes", DeleteAllRuntimes},
    {"GET", "/api/runtimes/*", GetRuntime, true},
    {"PUT", "/api/runtimes/*", PutRuntime, true, false, /*must_exist=*/false},
    {"PATCH", "/api/runtimes/*", PatchRuntime, true},
    {"DELETE", "/api/runtimes/*", DeleteRuntime, true},
    {"GET", "/api/runtimes/*/actors", GetActors, true},
    {"GET", "/api/runtimes/*/links", GetLinks, true},
    {"GET", "/api/runtimes/*/stats", GetRuntimeStats, true, /*copy=*/true},
    {"GET", "/api/runtimes/*/actors/*", GetActor, true},
    {"POST", "/api/runtimes/*/actors/*", InjectEvents, true},
    {"POST", "/api/runtimes/*/actors/*/shunt", Shunt, true},
    {"GET", "/api/runtimes/*/actors/*/stats", GetActorStats, true, /*copy=*/true},
    {"GET", "/api/runtimes/*/actors/*/state", GetActorState, true, /*copy=*/true},
    {"GET", "/api/runtimes/*/permissions", ListPermissions, true},
    {"POST", "/api/runtimes/*/permissions", AddPermission, true},
    {"PATCH", "/api/runtimes/*/permissions", PatchPermission, true},
    {"DELETE", "/api/runtimes/*/permissions", DeletePermission, true},
    {"PATCH", "/api/runtimes/*/permissions/*", PatchPermission, true},
    {"DELETE", "/api/runtimes/*/permissions/*", DeletePermission, true},
    {"GET", "/api/users", ListUsers},
    {"POST", "/api/users", CreateUser},
    {"GET", "/api/users/*", GetUser},
    {"DELETE", "/api/users/*", DeleteUser},
    {"GET", "/api/platform/cluster", GetCluster},
    {"POST", "/api/platform/cluster", PostCluster},
    {"GET", "/api/platform/cluster/*", GetClusterMachine},
    {"GET", "/api/platform/stats", PlatformStats},
    {"GET", "/api/platform/settings", PlatformSettings},
};

}  // namespace

std::span<const Route> Routes() {
  return kRoutes;
}

bool MatchRoute(std::string_view pattern, std::span<const std::string> segments,
                std::vector<std::string>& captures) {
  captures.clear();
  std::size_t i = 0;
  std::size_t start = 1;  // patterns start with "/"
  while (start <= pattern.size()) {
    std::size_t end = pattern.find('/', start);
    if (end == std::string_view::npos) end = pattern.size();
    std::string_view part = pattern.substr(start, end - start);
    if (i >= segments.size()) return false;
    if (part == "*")
      captures.push_back(segments[i]);
    else if (part != segments[i])
      return false;
    ++i;
    start = end + 1;
  }
  return i == segments.size();
}

}  // namespace coral::api
