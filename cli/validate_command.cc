// PLACEHOLDER
#include "cli/commands.h"
#include "cli/exit_codes.h"
namespace coral::cli {
CommandAction DefineValidate(CLI::App&, const GlobalOptions&) { return [] { return kExitFailed; }; }
}  // namespace coral::cli
