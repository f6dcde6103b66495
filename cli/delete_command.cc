// coral delete NAME...   DELETE /api/runtimes/<NAME> (each)
// coral delete --all     DELETE /api/runtimes (every runtime of the caller)
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/http_client.h"
#include "cli/output.h"

namespace coral::cli {
namespace {

struct DeleteOptions {
  std::vector<std::string> names;
  bool all = false;
};

int DeleteAll(HttpClient& client, const GlobalOptions& global) {
  Result<Json> answer = client.Delete(PathFor({"runtimes"}));
  if (!answer.ok()) return ReportError(answer.error());
  // The server may list what it deleted ({"deleted": [...]}) or count it.
  Json deleted = answer.value().is_object() && answer.value().contains("deleted")
                     ? answer.value()["deleted"]
                     : Json("all");
  if (!global.table()) {
    PrintDocument({{"deleted", deleted}}, global, std::cout);
  } else if (deleted.is_array()) {
    for (const Json& name : deleted) std::cout << CellText(name) << ": deleted\n";
    if (deleted.empty()) std::cerr << "coral: you had no runtimes\n";
  } else {
    std::cout << "all your runtimes: deleted\n";
  }
  return kExitOk;
}

int Run(const DeleteOptions& options, const GlobalOptions& global) {
  if (options.all == !options.names.empty()) {
    std::cerr << "coral delete: name the runtimes to delete, or give --all (not both)\n";
    return kExitUsage;
  }
  Result<HttpClient> client = MakeClient(global, std::cerr);
  if (!client.ok()) return ReportError(client.error());
  if (options.all) return DeleteAll(client.value(), global);
  Json deleted = Json::array();
  int exit_code = kExitOk;
  for (const std::string& name : options.names) {
    Result<Json> answer = client.value().Delete(PathFor({"runtimes", name}));
    if (!answer.ok()) {
      int code = ReportError(answer.error(), name);
      if (exit_code == kExitOk) exit_code = code;
      continue;
    }
    deleted.push_back(name);
    if (global.table()) std::cout << name << ": deleted\n";
  }
  if (!global.table()) PrintDocument({{"deleted", deleted}}, global, std::cout);
  return exit_code;
}

}  // namespace

CommandAction DefineDelete(CLI::App& command, const GlobalOptions& global) {
  auto options = std::make_shared<DeleteOptions>();
  command.add_option("NAME", options->names, "runtime names, <owner>-<name> or UUIDs");
  command.add_flag("--all", options->all, "delete every runtime you own");
  command.footer(
      "-o json prints {\"deleted\": [NAME...]}.\n"
      "Example:\n  coral delete hello\n  coral delete --all");
  return [options, &global] { return Run(*options, global); };
}

}  // namespace coral::cli
