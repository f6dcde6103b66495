// coral stop NAME... : PATCH /api/runtimes/<NAME> {"status": "stop"} (cli/lifecycle.h).
#include "cli/commands.h"
#include "cli/lifecycle.h"

namespace coral::cli {

CommandAction DefineStop(CLI::App& command, const GlobalOptions& global) {
  return DefineLifecycleCommand(command, global, Lifecycle::kStop);
}

}  // namespace coral::cli
