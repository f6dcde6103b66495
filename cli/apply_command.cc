// coral apply -f FILE... : validate every file locally (any invalid: diagnostics, exit 3, nothing
// sent), then per runtime PUT /api/runtimes/<id> with its JSON form and, unless the PUT answer
// says it is running, start it (cli/lifecycle.h). The PUT answer's "result" says what changed:
// "created", "unchanged" or "replaced".
#include <filesystem>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/http_client.h"
#include "cli/lifecycle.h"
#include "cli/output.h"
#include "definition/validator.h"

namespace coral::cli {
namespace {

struct ApplyOptions {
  std::vector<std::string> files;
  bool strict = false;
  bool no_start = false;
};

struct Applied {
  std::string file;
  std::shared_ptr<const definition::RuntimeDefinition> definition;
  std::string id;
};

// The runtime's id in URLs: its name, or `<owner>-<name>` when the file names an owner (an admin
// applying for someone else), so the request never lands on the caller's runtime of that name.
std::string RuntimeId(const definition::RuntimeDefinition& definition) {
  return definition.owner ? fmt::format("{}-{}", *definition.owner, definition.name)
                          : definition.name;
}

// What the PUT answer says changed. Servers that only send `created` (as POST does) give
// created/replaced.
std::string ResultOf(const Json& answer) {
  if (answer.is_object()) {
    if (answer.contains("result") && answer["result"].is_string()) {
      return answer["result"].get<std::string>();
    }
    if (answer.contains("created") && answer["created"].is_boolean()) {
      return answer["created"].get<bool>() ? "created" : "replaced";
    }
  }
  return "applied";
}

int Run(const ApplyOptions& options, const GlobalOptions& global) {
  if (options.files.empty()) {
    std::cerr << "coral apply: name the definition files with -f FILE (or -f - for stdin)\n";
    return kExitUsage;
  }
  // 1. Everything is validated before anything is sent.
  std::vector<Applied> runtimes;
  std::map<std::string, std::string> file_of_id;
  int invalid = 0;
  bool usage_problem = false;
  for (const std::string& file : options.files) {
    std::error_code error;
    if (file != "-" && !std::filesystem::is_regular_file(file, error)) {
      std::cerr << fmt::format("{}: error: {}\n", file,
                               std::filesystem::is_directory(file, error)
                                   ? "is a directory; name the files inside it (dir/*.yaml)"
                                   : "no such file");
      usage_problem = true;
      continue;
    }
    const std::string shown = file == "-" ? "<stdin>" : file;
    definition::Validation validation =
        definition::ValidateFile(file, definition::ValidationOptions{.strict = options.strict});
    for (const auto& d : validation.diagnostics.all()) {
      std::cerr << definition::FormatDiagnostic(d, shown) << "\n";
    }
    if (!validation.definition) {
      ++invalid;
      continue;
    }
    std::string id = RuntimeId(*validation.definition);
    if (auto [it, inserted] = file_of_id.emplace(id, shown); !inserted) {
      std::cerr << fmt::format("{}: error: runtime `{}` is also defined in {}\n", shown, id,
                               it->second);
      usage_problem = true;
      continue;
    }
    runtimes.push_back({shown, validation.definition, id});
  }
  if (invalid > 0) {
    std::cerr << fmt::format("coral apply: {} invalid definition{}; nothing was sent\n", invalid,
                             invalid == 1 ? "" : "s");
    return kExitInvalid;
  }
  if (usage_problem) {
    std::cerr << "coral apply: nothing was sent\n";
    return kExitUsage;
  }

  // 2. Create or replace, then start, one runtime after the other; stop at the first failure.
  Result<HttpClient> client = MakeClient(global, std::cerr);
  if (!client.ok()) return ReportError(client.error());
  Json report = {{"runtimes", Json::array()}};
  for (std::size_t i = 0; i < runtimes.size(); ++i) {
    const Applied& runtime = runtimes[i];
    Result<Json> put = client.value().Put(PathFor({"runtimes", runtime.id}),
                                          runtime.definition->source, BodyKind::kDefinition);
    auto fail = [&](const Error& error) {
      int code = ReportError(error, runtime.file);
      if (i + 1 < runtimes.size()) {
        std::cerr << fmt::format("coral apply: {} later file{} not applied\n",
                                 runtimes.size() - i - 1, runtimes.size() - i - 1 == 1 ? "" : "s");
      }
      if (!global.table()) PrintDocument(report, global, std::cout);
      return code;
    };
    if (!put.ok()) return fail(put.error());
    std::string result = ResultOf(put.value());
    Json entry = {{"file", runtime.file}, {"id", runtime.id}, {"result", result}};
    bool started = false;
    // corald's PUT answer carries the status: a runtime still running needs no start.
    bool running = put.value().is_object() && put.value().value("status", "") == "running";
    if (!options.no_start && running) {
      entry["started"] = false;
      entry["status"] = "running";
    } else if (!options.no_start) {
      Result<bool> start = SetRuntimeStatus(client.value(), runtime.id, Lifecycle::kStart);
      if (!start.ok()) {
        entry["started"] = false;
        report["runtimes"].push_back(entry);
        if (global.table()) std::cout << fmt::format("{}: {}, not started\n", runtime.id, result);
        return fail(start.error());
      }
      started = start.value();
      entry["started"] = started;
      entry["status"] = "running";
    }
    report["runtimes"].push_back(entry);
    if (global.table()) {
      std::string status = options.no_start ? "" : started ? ", started" : ", running";
      std::cout << fmt::format("{}: {}{}\n", runtime.id, result, status);
    }
  }
  if (!global.table()) PrintDocument(report, global, std::cout);
  return kExitOk;
}

}  // namespace

CommandAction DefineApply(CLI::App& command, const GlobalOptions& global) {
  auto options = std::make_shared<ApplyOptions>();
  command
      .add_option("-f,--filename", options->files,
                  "definition files (.yaml, .yml, .json; - for stdin)")
      ->required()
      ->expected(1, -1);
  command.add_flag("--strict", options->strict, "treat warnings (unknown fields...) as errors");
  command.add_flag("--no-start", options->no_start, "create or replace, but do not start");
  command.footer(
      "Validates every file first; if any is invalid, prints the problems, sends nothing and\n"
      "exits 3. Then creates or replaces each runtime (PUT /api/runtimes/NAME) and starts it.\n"
      "Prints one line per runtime: NAME: created|unchanged|replaced, started|running.\n"
      "Applying the same file twice changes nothing.\n"
      "Example:\n"
      "  coral apply -f runtimes-examples/hello-world.yaml\n"
      "  coral --server http://node1:8000 -o json apply -f a.yaml -f b.json");
  return [options, &global] { return Run(*options, global); };
}

}  // namespace coral::cli
