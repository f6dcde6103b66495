// coral start NAME... : PATCH /api/runtimes/<NAME> {"status": "start"} (cli/lifecycle.h).
#include "cli/commands.h"
#include "cli/lifecycle.h"

namespace coral::cli {

CommandAction DefineStart(CLI::App& command, const GlobalOptions& global) {
  return DefineLifecycleCommand(command, global, Lifecycle::kStart);
}

}  // namespace coral::cli
