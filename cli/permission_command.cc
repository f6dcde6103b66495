// coral permission add NAME --user U --method M --url URL [--deny]
//     POST   /api/runtimes/<NAME>/permissions {user, method, url, allowed}
// coral permission list NAME
//     GET    /api/runtimes/<NAME>/permissions
// coral permission remove NAME ID | --user U --method M --url URL
//     (without ID: GET /api/runtimes/<NAME>/permissions to find the rule's id, then)
//     DELETE /api/runtimes/<NAME>/permissions/<ID>
#include <algorithm>
#include <cctype>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/http_client.h"
#include "cli/output.h"

namespace coral::cli {
namespace {

struct PermissionOptions {
  CLI::App* add = nullptr;
  CLI::App* list = nullptr;
  CLI::App* remove = nullptr;
  std::string runtime;
  std::string user;
  std::string method;
  std::string url;
  std::string id;  // remove: the permission's id, instead of --user/--method/--url
  bool deny = false;
};

Json Rule(const PermissionOptions& options) {
  std::string method = options.method;
  std::transform(method.begin(), method.end(), method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return {{"user", options.user}, {"method", method}, {"url", options.url}};
}

std::string Describe(const Json& rule) {
  return fmt::format("{} {} {}", CellText(rule["user"]), CellText(rule["method"]),
                     CellText(rule["url"]));
}

int Add(HttpClient& client, const PermissionOptions& options, const GlobalOptions& global) {
  Json rule = Rule(options);
  rule["allowed"] = !options.deny;
  Result<Json> answer = client.Post(PathFor({"runtimes", options.runtime, "permissions"}), rule);
  if (!answer.ok()) return ReportError(answer.error(), options.runtime);
  if (global.table()) {
    std::cout << fmt::format("{}: {} {}\n", options.runtime, options.deny ? "denied" : "allowed",
                             Describe(rule));
  } else {
    PrintDocument(answer.value().is_object() ? Payload(answer.value(), "permission") : rule, global,
                  std::cout);
  }
  return kExitOk;
}

// The id of the permission that matches user, method and url exactly.
Result<std::string> FindPermissionId(HttpClient& client, const PermissionOptions& options) {
  Result<Json> answer = client.Get(PathFor({"runtimes", options.runtime, "permissions"}));
  if (!answer.ok()) return answer.error();
  Json wanted = Rule(options);
  for (const Json& rule : ListItems(answer.value(), {"permissions", "data", "items"})) {
    if (!rule.is_object() || !rule.contains("id")) continue;
    bool same = true;
    for (const char* key : {"user", "method", "url"}) {
      same = same && rule.contains(key) && rule[key] == wanted[key];
    }
    if (same) return CellText(rule["id"]);
  }
  return Error{ErrorCode::kNotFound,
               fmt::format("runtime `{}` has no permission for {} (coral permission list {})",
                           options.runtime, Describe(wanted), options.runtime)};
}

int Remove(HttpClient& client, const PermissionOptions& options, const GlobalOptions& global) {
  bool by_rule = !options.user.empty() || !options.method.empty() || !options.url.empty();
  if (options.id.empty() == !by_rule ||
      (by_rule && (options.user.empty() || options.method.empty() || options.url.empty()))) {
    std::cerr << "coral permission remove: name the permission by its ID, or by all of --user, "
                 "--method and --url\n";
    return kExitUsage;
  }
  std::string id = options.id;
  if (id.empty()) {
    Result<std::string> found = FindPermissionId(client, options);
    if (!found.ok()) return ReportError(found.error(), options.runtime);
    id = found.value();
  }
  Result<Json> answer = client.Delete(PathFor({"runtimes", options.runtime, "permissions", id}));
  if (!answer.ok()) return ReportError(answer.error(), options.runtime);
  std::string what = by_rule ? Describe(Rule(options)) : id;
  if (global.table()) {
    std::cout << fmt::format("{}: removed {}\n", options.runtime, what);
  } else {
    PrintDocument({{"removed", id}}, global, std::cout);
  }
  return kExitOk;
}

int List(HttpClient& client, const PermissionOptions& options, const GlobalOptions& global) {
  Result<Json> answer = client.Get(PathFor({"runtimes", options.runtime, "permissions"}));
  if (!answer.ok()) return ReportError(answer.error(), options.runtime);
  if (!global.table()) {
    PrintDocument(Payload(answer.value()), global, std::cout);
    return kExitOk;
  }
  Json items = ListItems(answer.value(), {"permissions", "data", "items"});
  if (items.empty()) {
    std::cerr << fmt::format(
        "coral: {} has no permissions; only its owner (and admins) may use "
        "it\n",
        options.runtime);
    return kExitOk;
  }
  Table table{{"id", "user", "method", "url", "allowed"}, {}};
  for (const Json& rule : items) {
    std::vector<std::string> row;
    for (const std::string& column : table.headers) {
      row.push_back(rule.is_object() && rule.contains(column) ? CellText(rule[column]) : "-");
    }
    table.rows.push_back(std::move(row));
  }
  PrintTable(table, std::cout);
  return kExitOk;
}

void AddRuleOptions(CLI::App& sub, PermissionOptions& options, bool required) {
  CLI::Option* user = sub.add_option("--user", options.user, "the user the rule is about");
  CLI::Option* method =
      sub.add_option("--method", options.method, "HTTP method: GET, POST, PUT, PATCH, DELETE");
  CLI::Option* url = sub.add_option("--url", options.url, "the API path the rule covers");
  if (required) {
    user->required();
    method->required();
    url->required();
  }
}

}  // namespace

CommandAction DefinePermission(CLI::App& command, const GlobalOptions& global) {
  auto options = std::make_shared<PermissionOptions>();
  command.require_subcommand(1);
  options->add = command.add_subcommand("add", "Allow (or with --deny, deny) a user a request");
  options->add->add_option("NAME", options->runtime, "runtime name, <owner>-<name> or UUID")
      ->required();
  AddRuleOptions(*options->add, *options, true);
  options->add->add_flag("--deny", options->deny, "deny instead of allow");
  options->add->footer(
      "Example:\n"
      "  coral permission add hello --user bob --method GET --url /api/runtimes/hello/stats\n"
      "  coral permission add hello --user eve --method DELETE --url /api/runtimes/hello --deny");
  options->list = command.add_subcommand("list", "List a runtime's permissions");
  options->list->add_option("NAME", options->runtime, "runtime name, <owner>-<name> or UUID")
      ->required();
  options->list->footer("Example:\n  coral permission list hello");
  options->remove = command.add_subcommand("remove", "Remove a permission");
  options->remove->add_option("NAME", options->runtime, "runtime name, <owner>-<name> or UUID")
      ->required();
  options->remove->add_option("ID", options->id, "the permission's id (coral permission list)");
  AddRuleOptions(*options->remove, *options, false);
  options->remove->footer(
      "Example:\n"
      "  coral permission remove hello --user bob --method GET --url /api/runtimes/hello/stats\n"
      "  coral permission remove hello 0b6c2d9e-...");
  command.footer(
      "The owner of a runtime may do anything on it unless denied; everyone else is denied\n"
      "unless allowed.\n"
      "Example:\n  coral permission list hello");
  return [options, &global]() -> int {
    Result<HttpClient> client = MakeClient(global, std::cerr);
    if (!client.ok()) return ReportError(client.error());
    if (options->add->parsed()) return Add(client.value(), *options, global);
    if (options->remove->parsed()) return Remove(client.value(), *options, global);
    return List(client.value(), *options, global);
  };
}

}  // namespace coral::cli
