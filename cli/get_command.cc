// coral get runtimes        GET /api/runtimes
// coral get runtime NAME    GET /api/runtimes/<NAME>
#include <chrono>
#include <cstdint>
#include <iostream>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/http_client.h"
#include "cli/output.h"

namespace coral::cli {
namespace {

struct GetOptions {
  CLI::App* runtimes = nullptr;
  CLI::App* runtime = nullptr;
  std::string name;
  bool definition_only = false;
};

std::string Field(const Json& object, const char* key) {
  return object.is_object() && object.contains(key) ? CellText(object[key]) : "-";
}

// The definition inside a runtime answer: `json` is an object, or (as the original platform
// stored it) a string holding JSON.
Json DefinitionOf(const Json& runtime) {
  if (!runtime.is_object() || !runtime.contains("json")) return Json();
  const Json& definition = runtime["json"];
  if (definition.is_string()) {
    Json parsed = Json::parse(definition.get<std::string>(), nullptr, false);
    return parsed.is_discarded() ? definition : parsed;
  }
  return definition;
}

// `starttime` is milliseconds since the epoch in the API; people read UTC time.
std::string TimeField(const Json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_number_integer()) {
    return Field(object, key);
  }
  auto since_epoch = std::chrono::milliseconds(object[key].get<std::int64_t>());
  if (since_epoch.count() <= 0) return "-";
  auto seconds = std::chrono::floor<std::chrono::seconds>(std::chrono::sys_time(since_epoch));
  return fmt::format("{:%Y-%m-%d %H:%M:%S}Z", seconds);
}

// The status, with ", degraded" while an actor has a trouble (a broker that is down...).
std::string StatusText(const Json& runtime) {
  std::string status = Field(runtime, "status");
  if (runtime.is_object() && runtime.value("health", "") == "degraded") status += ", degraded";
  return status;
}

std::string CopiesText(const Json& runtime) {
  if (!runtime.is_object() || !runtime.contains("copies")) return "-";
  const Json& copies = runtime["copies"];
  return copies.is_array() ? std::to_string(copies.size()) : CellText(copies);
}

int ListRuntimes(HttpClient& client, const GlobalOptions& global) {
  Result<Json> answer = client.Get(PathFor({"runtimes"}));
  if (!answer.ok()) return ReportError(answer.error());
  if (!global.table()) {
    PrintDocument(Payload(answer.value()), global, std::cout);
    return kExitOk;
  }
  Json items = ListItems(answer.value(), {"runtimes", "data", "items"});
  if (items.empty()) {
    std::cerr << "coral: no runtimes (coral apply -f FILE creates one)\n";
    return kExitOk;
  }
  Table table{{"name", "owner", "status", "copies", "started", "id"}, {}};
  for (const Json& runtime : items) {
    table.rows.push_back({Field(runtime, "name"), Field(runtime, "owner"), StatusText(runtime),
                          CopiesText(runtime), TimeField(runtime, "starttime"),
                          Field(runtime, "id")});
  }
  PrintTable(table, std::cout);
  return kExitOk;
}

void PrintRuntime(const Json& runtime, std::ostream& out) {
  Json definition = DefinitionOf(runtime);
  std::vector<std::pair<std::string, std::string>> lines = {
      {"name", Field(runtime, "name")},
      {"owner", Field(runtime, "owner")},
      {"unique name", Field(runtime, "uniqueName")},
      {"id", Field(runtime, "id")},
      {"status", StatusText(runtime)},
      {"started", TimeField(runtime, "starttime")}};
  if (runtime.is_object() && runtime.contains("troubles") && runtime["troubles"].is_object()) {
    for (const auto& [actor, what] : runtime["troubles"].items()) {
      lines.emplace_back("trouble", fmt::format("{}: {}", actor, CellText(what)));
    }
  }
  if (definition.is_object()) {
    if (definition.contains("description")) {
      lines.emplace_back("description", CellText(definition["description"]));
    }
    std::string actors;
    for (const Json& actor : ListItems(definition, {"actors"})) {
      actors += fmt::format("{}{} ({})", actors.empty() ? "" : ", ", Field(actor, "name"),
                            Field(actor, "type"));
    }
    lines.emplace_back("actors", actors.empty() ? "-" : actors);
    std::string links;
    for (const Json& link : ListItems(definition, {"links"})) {
      links += fmt::format("{}{} -> {}", links.empty() ? "" : ", ", Field(link, "from"),
                           Field(link, "to"));
    }
    lines.emplace_back("links", links.empty() ? "-" : links);
  }
  for (const auto& [key, value] : lines) out << fmt::format("{:<12} {}\n", key + ":", value);
  Json copies = ListItems(runtime, {"copies"});
  if (!copies.empty()) {
    out << "\n";
    Table table{{"copy", "machine", "status"}, {}};
    for (const Json& copy : copies) {
      table.rows.push_back({Field(copy, "name"), Field(copy, "machine"), Field(copy, "status")});
    }
    PrintTable(table, out);
  }
}

int ShowRuntime(HttpClient& client, const GetOptions& options, const GlobalOptions& global) {
  Result<Json> answer = client.Get(PathFor({"runtimes", options.name}));
  if (!answer.ok()) return ReportError(answer.error());
  if (options.definition_only) {
    Json definition = DefinitionOf(answer.value());
    if (definition.is_null()) {
      std::cerr << "coral: the server's answer holds no definition (no `json` field)\n";
      return kExitFailed;
    }
    if (global.json()) {
      std::cout << definition.dump(2) << "\n";
    } else {
      std::cout << ToYaml(definition);  // table and yaml: YAML, ready for `coral apply -f`
    }
    return kExitOk;
  }
  if (!global.table()) {
    PrintDocument(Payload(answer.value()), global, std::cout);
    return kExitOk;
  }
  PrintRuntime(answer.value(), std::cout);
  return kExitOk;
}

}  // namespace

CommandAction DefineGet(CLI::App& command, const GlobalOptions& global) {
  auto options = std::make_shared<GetOptions>();
  command.require_subcommand(1);
  options->runtimes = command.add_subcommand("runtimes", "List the runtimes you may see");
  options->runtimes->footer("Example:\n  coral get runtimes\n  coral -o json get runtimes");
  options->runtime =
      command.add_subcommand("runtime", "One runtime: definition summary, status and copies");
  options->runtime->add_option("NAME", options->name, "runtime name, <owner>-<name> or UUID")
      ->required();
  options->runtime->add_flag("--definition", options->definition_only,
                             "print only the definition (YAML; JSON with -o json)");
  options->runtime->footer(
      "Example:\n  coral get runtime hello\n"
      "  coral get runtime hello --definition > hello.yaml   # then edit and coral apply");
  command.footer("Example:\n  coral get runtimes\n  coral -o yaml get runtime hello");
  return [options, &global]() -> int {
    Result<HttpClient> client = MakeClient(global, std::cerr);
    if (!client.ok()) return ReportError(client.error());
    if (options->runtimes->parsed()) return ListRuntimes(client.value(), global);
    return ShowRuntime(client.value(), *options, global);
  };
}

}  // namespace coral::cli
