// coral state NAME ACTOR : GET /api/runtimes/<NAME>/actors/<ACTOR>/state -- what `collect` reads.
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/http_client.h"
#include "cli/output.h"

namespace coral::cli {

CommandAction DefineState(CLI::App& command, const GlobalOptions& global) {
  auto names = std::make_shared<std::pair<std::string, std::string>>();
  command.add_option("NAME", names->first, "runtime name, <owner>-<name> or UUID")->required();
  command.add_option("ACTOR", names->second, "actor name")->required();
  command.footer(
      "Prints the state as `field: value` lines; -o json or -o yaml prints it whole.\n"
      "Example:\n  coral state hello bpm-stats\n  coral -o json state hello bpm-stats | jq .avg");
  return [names, &global]() -> int {
    Result<HttpClient> client = MakeClient(global, std::cerr);
    if (!client.ok()) return ReportError(client.error());
    Result<Json> state =
        client.value().Get(PathFor({"runtimes", names->first, "actors", names->second, "state"}));
    if (!state.ok()) return ReportError(state.error());
    Json payload = Payload(state.value(), "state");
    if (!global.table()) {
      PrintDocument(payload, global, std::cout);
    } else if (payload.is_null() || (payload.is_structured() && payload.empty())) {
      std::cerr << "coral: " << names->second << " has no state\n";
    } else {
      PrintKeyValues(payload, std::cout);
    }
    return kExitOk;
  };
}

}  // namespace coral::cli
