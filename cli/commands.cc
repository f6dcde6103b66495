#include "cli/commands.h"

#include <array>

namespace coral::cli {

std::span<const Command> Commands() {
  static constexpr std::array kCommands = {
      Command{"validate", "Check definition files offline; every problem with file:line:column",
              Needs::kFiles, DefineValidate},
      Command{"run", "Run a definition in this process, no daemon (a Unix filter for JSON lines)",
              Needs::kFiles, DefineRun},
      Command{"schema", "Print the JSON Schema of the definition language (for editors)",
              Needs::kNothing, DefineSchema},
  };
  return kCommands;
}

}  // namespace coral::cli
