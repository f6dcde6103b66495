// coral validate FILE... : offline check of definitions (exit 0 valid, 3 invalid, 2 usage).
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "actors/registry.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "definition/validator.h"

namespace coral::cli {
namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  bool strict = false;
  bool quiet = false;
  bool list_types = false;
};

nlohmann::ordered_json DiagnosticJson(const definition::Diagnostic& d) {
  nlohmann::ordered_json out;
  out["severity"] = d.severity == definition::Severity::kError ? "error" : "warning";
  out["path"] = d.path;
  out["line"] = d.position.line;
  out["column"] = d.position.column;
  out["message"] = d.message;
  return out;
}

int ListTypes() {
  for (const actors::ActorType* type : actors::AllActorTypes()) {
    std::cout << fmt::format("{:<18} {}\n", type->name, type->summary);
  }
  return kExitOk;
}

int Run(const ValidateOptions& options, const GlobalOptions& global) {
  if (options.list_types) return ListTypes();
  if (options.files.empty()) {
    std::cerr << "coral validate: name at least one definition file (or - for standard input)\n";
    return kExitUsage;
  }
  definition::ValidationOptions validation_options{.strict = options.strict};
  nlohmann::ordered_json report = {{"valid", true}, {"files", nlohmann::ordered_json::array()}};
  bool usage_problem = false;
  int invalid = 0;
  for (const std::string& file : options.files) {
    std::error_code error;
    if (file != "-" && !std::filesystem::is_regular_file(file, error)) {
      std::string why = std::filesystem::is_directory(file, error)
                            ? "is a directory; name the definition files inside it (dir/*.yaml)"
                            : "no such file";
      std::cerr << fmt::format("{}: error: {}\n", file, why);
      report["files"].push_back({{"file", file}, {"valid", false}, {"error", why}});
      report["valid"] = false;
      usage_problem = true;
      continue;
    }
    definition::Validation validation = definition::ValidateFile(file, validation_options);
    bool valid = validation.definition != nullptr;
    invalid += valid ? 0 : 1;
    const std::string shown = file == "-" ? "<stdin>" : file;
    if (global.json()) {
      nlohmann::ordered_json entry = {{"file", shown},
                                      {"valid", valid},
                                      {"errors", validation.diagnostics.errors()},
                                      {"warnings", validation.diagnostics.warnings()},
                                      {"diagnostics", nlohmann::ordered_json::array()}};
      for (const auto& d : validation.diagnostics.all()) entry["diagnostics"].push_back(DiagnosticJson(d));
      report["files"].push_back(std::move(entry));
      if (!valid) report["valid"] = false;
      continue;
    }
    for (const auto& d : validation.diagnostics.all()) {
      std::cerr << definition::FormatDiagnostic(d, shown) << "\n";
    }
    if (!options.quiet) {
      if (valid) {
        std::cerr << fmt::format("{}: valid ({} actors, {} links{})\n", shown,
                                 validation.definition->actors.size(),
                                 validation.definition->links.size(),
                                 validation.diagnostics.warnings()
                                     ? fmt::format(", {} warnings", validation.diagnostics.warnings())
                                     : "");
      } else {
        int errors = validation.diagnostics.errors();
        std::cerr << fmt::format("{}: invalid ({} error{})\n", shown, errors, errors == 1 ? "" : "s");
      }
    }
  }
  if (global.json()) std::cout << report.dump(2) << "\n";
  if (invalid > 0) return kExitInvalid;
  return usage_problem ? kExitUsage : kExitOk;
}

}  // namespace

CommandAction DefineValidate(CLI::App& command, const GlobalOptions& global) {
  auto options = std::make_shared<ValidateOptions>();
  command.add_option("FILE", options->files, "definition files (.yaml, .yml, .json; - for stdin)");
  command.add_flag("--strict", options->strict, "treat warnings (unknown fields...) as errors");
  command.add_flag("-q,--quiet", options->quiet, "print only problems");
  command.add_flag("--list-types", options->list_types, "list the actor types and exit");
  command.footer(
      "Problems are printed as FILE:LINE:COLUMN: error|warning: PATH: MESSAGE on stderr;\n"
      "-o json prints one JSON report on stdout. Exit: 0 valid, 3 invalid, 2 usage.");
  return [options, &global] { return Run(*options, global); };
}

}  // namespace coral::cli
