// coral platform stats      GET /api/platform/stats     totals over the cluster
// coral platform settings   GET /api/platform/settings  every node's effective configuration
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/http_client.h"
#include "cli/output.h"

namespace coral::cli {

CommandAction DefinePlatform(CLI::App& command, const GlobalOptions& global) {
  command.require_subcommand(1);
  CLI::App* stats = command.add_subcommand("stats", "Totals over the whole cluster");
  stats->footer("Example:\n  coral platform stats");
  CLI::App* settings =
      command.add_subcommand("settings", "The effective configuration of every node");
  settings->footer(
      "Secrets are masked by the server.\nExample:\n  coral -o yaml platform settings");
  command.footer("Example:\n  coral platform stats\n  coral platform settings");
  return [stats, &global]() -> int {
    Result<HttpClient> client = MakeClient(global, std::cerr);
    if (!client.ok()) return ReportError(client.error());
    Result<Json> answer =
        client.value().Get(PathFor({"platform", stats->parsed() ? "stats" : "settings"}));
    if (!answer.ok()) return ReportError(answer.error());
    if (global.table()) {
      PrintKeyValues(Payload(answer.value()), std::cout);
    } else {
      PrintDocument(Payload(answer.value()), global, std::cout);
    }
    return kExitOk;
  };
}

}  // namespace coral::cli
