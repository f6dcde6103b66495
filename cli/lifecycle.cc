#include "cli/lifecycle.h"

#include <algorithm>
#include <cctype>
#include <iostream>

#include <fmt/format.h>

#include "cli/exit_codes.h"
#include "cli/output.h"

namespace coral::cli {
namespace {

bool IsInState(const Json& runtime, Lifecycle action) {
  if (!runtime.is_object() || !runtime.contains("status") || !runtime["status"].is_string()) {
    return false;
  }
  std::string status = runtime["status"].get<std::string>();
  std::transform(status.begin(), status.end(), status.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (action == Lifecycle::kStart) return status == "running" || status == "started";
  return status == "stopped" || status == "created";
}

}  // namespace

const char* StatusAfter(Lifecycle action) {
  return action == Lifecycle::kStart ? "running" : "stopped";
}

Result<bool> SetRuntimeStatus(HttpClient& client, const std::string& id, Lifecycle action) {
  std::string path = PathFor({"runtimes", id});
  // Already there? (corald answers 200 to starting a running runtime; the answer alone would not
  // tell.) Any failure here is left to the PATCH to report.
  Result<Json> before = client.Get(path);
  if (before.ok() && IsInState(Payload(before.value()), action)) return false;
  Json body = {{"status", action == Lifecycle::kStart ? "start" : "stop"}};
  Result<Json> patched = client.Patch(path, body);
  if (patched.ok()) {
    const Json& answer = patched.value();  // a server may say it did nothing: {"changed": false}
    if (answer.is_object() && answer.contains("changed") && answer["changed"].is_boolean()) {
      return answer["changed"].get<bool>();
    }
    return true;
  }
  if (patched.error().code != ErrorCode::kConflict) return patched.error();
  Result<Json> after = client.Get(path);  // 409: maybe someone else got there first
  if (after.ok() && IsInState(Payload(after.value()), action)) return false;
  return patched.error();
}

CommandAction DefineLifecycleCommand(CLI::App& command, const GlobalOptions& global,
                                     Lifecycle action) {
  auto names = std::make_shared<std::vector<std::string>>();
  command.add_option("NAME", *names, "runtime names, <owner>-<name> or UUIDs")->required();
  const char* verb = action == Lifecycle::kStart ? "start" : "stop";
  command.footer(fmt::format(
      "Prints NAME: {} (or NAME: already {}); -o json prints\n"
      "{{\"runtimes\": [{{\"id\": NAME, \"status\": \"{}\", \"changed\": true|false}}]}}.\n"
      "Example:\n  coral {} hello\n  coral {} hello heartbeat",
      action == Lifecycle::kStart ? "started" : "stopped", StatusAfter(action), StatusAfter(action),
      verb, verb));
  return [names, &global, action]() -> int {
    Result<HttpClient> client = MakeClient(global, std::cerr);
    if (!client.ok()) return ReportError(client.error());
    Json report = {{"runtimes", Json::array()}};
    int exit_code = kExitOk;
    for (const std::string& name : *names) {
      Result<bool> changed = SetRuntimeStatus(client.value(), name, action);
      if (!changed.ok()) {
        int code = ReportError(changed.error(), name);
        if (exit_code == kExitOk) exit_code = code;
        continue;
      }
      report["runtimes"].push_back(
          {{"id", name}, {"status", StatusAfter(action)}, {"changed", changed.value()}});
      if (global.table()) {
        std::cout << fmt::format("{}: {}\n", name,
                                 changed.value()
                                     ? (action == Lifecycle::kStart ? "started" : "stopped")
                                     : fmt::format("already {}", StatusAfter(action)));
      }
    }
    if (!global.table()) PrintDocument(report, global, std::cout);
    return exit_code;
  };
}

}  // namespace coral::cli
