// PLACEHOLDER until the engine lands.
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace coral::cli {

CommandAction DefineRun(CLI::App& command, const GlobalOptions& /*global*/) {
  static std::string file;
  command.add_option("FILE", file, "definition to run")->required();
  return [] {
    std::cerr << "coral run: not available yet\n";
    return kExitFailed;
  };
}

}  // namespace coral::cli
