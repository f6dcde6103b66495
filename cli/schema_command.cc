#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "definition/schema.h"

namespace coral::cli {

CommandAction DefineSchema(CLI::App& command, const GlobalOptions& /*global*/) {
  command.footer("Point your editor's YAML/JSON language server at it, e.g.\n"
                 "  coral schema > ~/.config/coral/runtime.schema.json");
  return [] {
    std::cout << definition::RuntimeSchemaText();
    return kExitOk;
  };
}

}  // namespace coral::cli
