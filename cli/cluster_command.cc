// coral cluster members [MEMBER]   GET  /api/platform/cluster[/<ip:port or alias>]
// coral cluster join SEED...       POST /api/platform/cluster {"action": "join", "seeds": [...]}
// coral cluster leave              POST /api/platform/cluster {"action": "leave"}
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/http_client.h"
#include "cli/output.h"

namespace coral::cli {
namespace {

struct ClusterOptions {
  CLI::App* members = nullptr;
  CLI::App* join = nullptr;
  CLI::App* leave = nullptr;
  std::string member;
  std::vector<std::string> seeds;
};

// host:port, [v6]:port -- the gossip address of a member (corald --bind / --gossip-port).
bool IsHostPort(const std::string& seed) {
  std::size_t colon = seed.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == seed.size()) return false;
  if (seed.find(':') != colon && (seed.front() != '[' || seed[colon - 1] != ']')) return false;
  int port = 0;
  for (char c : seed.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) return false;
    port = port * 10 + (c - '0');
  }
  return port >= 1 && port <= 65535;
}

std::string Field(const Json& object, const char* key) {
  return object.is_object() && object.contains(key) ? CellText(object[key]) : "-";
}

void PrintMembers(const Json& answer, std::ostream& out) {
  const Json cluster = answer.value("cluster", Json::object());
  std::string self = Field(cluster, "self");
  if (cluster.contains("enabled")) {
    out << fmt::format("cluster: {}; this node: {}\n\n",
                       cluster["enabled"] == true ? "enabled" : "disabled (--no-cluster)", self);
  }
  Table table{{"address", "alias", "status", "incarnation", "runtimes", "actors", ""}, {}};
  for (const Json& machine : ListItems(answer, {"machines"})) {
    std::string address = Field(machine, "address");
    table.rows.push_back({address, Field(machine, "alias"), Field(machine, "status"),
                          Field(machine, "incarnation"), Field(machine, "runtimes"),
                          Field(machine, "actors"), address == self ? "(this node)" : ""});
  }
  PrintTable(table, out);
}

int Members(HttpClient& client, const ClusterOptions& options, const GlobalOptions& global) {
  std::string path = options.member.empty() ? PathFor({"platform", "cluster"})
                                            : PathFor({"platform", "cluster", options.member});
  Result<Json> answer = client.Get(path);
  if (!answer.ok()) return ReportError(answer.error(), options.member);
  Json payload = Payload(answer.value(), options.member.empty() ? nullptr : "machine");
  if (!global.table()) {
    PrintDocument(payload, global, std::cout);
  } else if (options.member.empty()) {
    PrintMembers(payload, std::cout);
  } else {
    PrintKeyValues(payload, std::cout);
  }
  return kExitOk;
}

int Change(HttpClient& client, const Json& body, const std::string& done,
           const GlobalOptions& global) {
  Result<Json> answer = client.Post(PathFor({"platform", "cluster"}), body);
  if (!answer.ok()) return ReportError(answer.error());
  if (global.table()) {
    std::cout << done << "\n";
  } else {
    PrintDocument(answer.value().is_object() ? Payload(answer.value()) : body, global, std::cout);
  }
  return kExitOk;
}

}  // namespace

CommandAction DefineCluster(CLI::App& command, const GlobalOptions& global) {
  auto options = std::make_shared<ClusterOptions>();
  command.require_subcommand(1);
  options->members = command.add_subcommand("members", "The members as this node sees them");
  options->members->add_option("MEMBER", options->member, "one member: ip:port or alias");
  options->members->footer(
      "Status is alive, suspect, dead or left.\n"
      "Example:\n  coral cluster members\n  coral cluster members 10.0.0.2:2551");
  options->join =
      command.add_subcommand("join", "Join the cluster of a member (its gossip address)");
  options->join->add_option("SEED", options->seeds, "host:port of members to join")->required();
  options->join->footer(
      "Example:\n  coral --server http://10.0.0.3:8000 cluster join 10.0.0.1:2551");
  options->leave = command.add_subcommand("leave", "Leave the cluster gracefully");
  options->leave->footer("Example:\n  coral --server http://10.0.0.3:8000 cluster leave");
  command.footer("The node asked is the one --server names.\nExample:\n  coral cluster members");
  return [options, &global]() -> int {
    if (options->join->parsed()) {
      for (const std::string& seed : options->seeds) {
        if (!IsHostPort(seed)) {
          std::cerr << fmt::format("coral cluster join: {} is not host:port (e.g. 10.0.0.1:2551)\n",
                                   seed);
          return kExitUsage;
        }
      }
    }
    Result<HttpClient> client = MakeClient(global, std::cerr);
    if (!client.ok()) return ReportError(client.error());
    if (options->members->parsed()) return Members(client.value(), *options, global);
    if (options->join->parsed()) {
      Json body = {{"action", "join"}, {"seeds", options->seeds}};
      std::string seeds;
      for (const std::string& seed : options->seeds) seeds += (seeds.empty() ? "" : ", ") + seed;
      return Change(client.value(), body, "joining " + seeds, global);
    }
    return Change(client.value(), {{"action", "leave"}}, "leaving the cluster", global);
  };
}

}  // namespace coral::cli
