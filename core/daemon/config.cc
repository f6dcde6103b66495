#include "daemon/config.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/text.h"
#include "definition/param_reader.h"
#include "definition/reader.h"

namespace coral::daemon {
namespace {

using definition::Diagnostics;
using definition::Node;
using definition::ParamReader;

constexpr std::string_view kAuthModes[] = {"accept-all", "deny-all", "coral", "ldap"};
constexpr std::string_view kLogLevels[] = {"debug", "info", "warn", "error"};
constexpr std::string_view kDistributionModes[] = {
    "local", "predefined", "round-robin", "least-nr-runtimes", "least-nr-actors", "random"};

Status FirstError(const Diagnostics& diagnostics, const std::string& source_name) {
  std::string message;
  for (const auto& d : diagnostics.all()) {
    if (!message.empty()) message += "\n";
    message += definition::FormatDiagnostic(d, source_name);
  }
  return Error{ErrorCode::kInvalidArgument, message};
}

std::vector<std::string> StringList(ParamReader& reader, std::string_view key) {
  std::vector<std::string> out;
  const Node* node = reader.Get(key);
  if (!node) return out;
  if (node->IsScalar()) {  // "a:1,b:2" is accepted as well as a list
    std::stringstream stream(node->text());
    for (std::string item; std::getline(stream, item, ',');) {
      if (!item.empty()) out.push_back(item);
    }
    return out;
  }
  if (!node->IsSequence()) {
    reader.Error(key, fmt::format("expected a list, found {}", node->Describe()));
    return out;
  }
  for (const Node& item : node->items()) {
    if (item.IsScalar()) out.push_back(item.text());
    else reader.Error(key, "every entry must be a string");
  }
  return out;
}

}  // namespace

Status ApplyConfigText(std::string_view yaml, const std::string& source_name, Config& config) {
  Diagnostics diagnostics;
  auto document = definition::ReadDocument(yaml, diagnostics);
  if (!document) return FirstError(diagnostics, source_name);
  if (document->IsNull()) return {};
  ParamReader reader(&*document, "", {1, 1}, diagnostics);
  if (reader.Has("api-interface")) config.api_interface = reader.String("api-interface");
  if (reader.Has("api-port")) config.api_port = static_cast<int>(reader.Integer("api-port", 1, 65535));
  if (reader.Has("bind")) config.bind = reader.String("bind");
  if (reader.Has("gossip-port")) {
    config.gossip_port = static_cast<int>(reader.Integer("gossip-port", 1, 65535));
  }
  if (reader.Has("seeds")) config.seeds = StringList(reader, "seeds");
  config.no_cluster = reader.Bool("no-cluster", config.no_cluster);
  if (reader.Has("data-dir")) config.data_dir = reader.String("data-dir");
  if (reader.Has("auth-mode")) config.auth_mode = reader.Enum("auth-mode", {"accept-all", "deny-all", "coral", "ldap"});
  if (reader.Has("distribution")) {
    config.distribution = reader.Enum("distribution", {"local", "predefined", "round-robin",
                                                       "least-nr-runtimes", "least-nr-actors",
                                                       "random"});
  }
  if (reader.Has("log-level")) config.log_level = reader.Enum("log-level", {"debug", "info", "warn", "error"});
  if (reader.Has("log-dirs")) {
    config.log_dirs.clear();
    for (const std::string& dir : StringList(reader, "log-dirs")) config.log_dirs.emplace_back(dir);
  }
  if (reader.Has("max-body-bytes")) {
    config.max_body_bytes =
        static_cast<std::size_t>(reader.Integer("max-body-bytes", 1024, 1024LL * 1024 * 1024));
  }
  if (reader.Has("snapshot-interval")) {
    config.snapshot_interval = std::chrono::seconds(reader.Integer("snapshot-interval", 1, 86400));
  }
  ParamReader ldap = reader.Nested("ldap", false);
  if (ldap.Has("uri")) config.ldap.uri = ldap.String("uri");
  if (ldap.Has("bind-dn-template")) config.ldap.bind_dn_template = ldap.String("bind-dn-template");
  if (ldap.Has("timeout-ms")) {
    config.ldap.timeout = std::chrono::milliseconds(ldap.Integer("timeout-ms", 1, 600000));
  }
  ldap.Finish();
  reader.Finish();
  // In a config file an unknown key is an error (a typo silently ignored would be worse).
  diagnostics.PromoteWarningsToErrors();
  if (diagnostics.HasErrors()) return FirstError(diagnostics, source_name);
  return {};
}

Status ApplyConfigFile(const std::filesystem::path& file, Config& config) {
  std::ifstream in(file);
  if (!in) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("{}: cannot read the configuration file", file.string())};
  }
  std::stringstream text;
  text << in.rdbuf();
  return ApplyConfigText(text.str(), file.string(), config);
}

Status CheckConfig(const Config& config) {
  auto member = [](std::string_view value, std::span<const std::string_view> allowed) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
  };
  if (!member(config.auth_mode, kAuthModes)) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("auth-mode: expected {}, found \"{}\"", JoinAlternatives(kAuthModes),
                             config.auth_mode)};
  }
  if (!member(config.log_level, kLogLevels)) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("log-level: expected {}, found \"{}\"", JoinAlternatives(kLogLevels),
                             config.log_level)};
  }
  if (!member(config.distribution, kDistributionModes)) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("distribution: expected {}, found \"{}\"",
                             JoinAlternatives(kDistributionModes), config.distribution)};
  }
  if (config.auth_mode == "ldap" && (config.ldap.uri.empty() || config.ldap.bind_dn_template.empty())) {
    return Error{ErrorCode::kInvalidArgument,
                 "auth-mode ldap needs `ldap: {uri: ldap://host:port, bind-dn-template: "
                 "\"uid={user},ou=people,dc=example,dc=org\"}` in the configuration file"};
  }
  if (config.api_port < 1 || config.api_port > 65535 || config.gossip_port < 1 ||
      config.gossip_port > 65535) {
    return Error{ErrorCode::kInvalidArgument, "ports must be from 1 to 65535"};
  }
  for (const auto& dir : config.log_dirs) {
    if (!dir.is_absolute()) {
      return Error{ErrorCode::kInvalidArgument,
                   fmt::format("log-dirs: \"{}\" is not an absolute path", dir.string())};
    }
  }
  return {};
}

nlohmann::ordered_json Config::ToJson() const {
  nlohmann::ordered_json seeds_json = seeds;
  nlohmann::ordered_json dirs = nlohmann::ordered_json::array();
  for (const auto& dir : log_dirs) dirs.push_back(dir.string());
  return {{"api-interface", api_interface},
          {"api-port", api_port},
          {"bind", bind},
          {"gossip-port", gossip_port},
          {"seeds", seeds_json},
          {"no-cluster", no_cluster},
          {"data-dir", data_dir.string()},
          {"auth-mode", auth_mode},
          {"distribution", distribution},
          {"log-level", log_level},
          {"log-dirs", dirs},
          {"max-body-bytes", max_body_bytes},
          {"snapshot-interval", snapshot_interval.count()},
          {"ldap",
           {{"uri", ldap.uri},
            {"bind-dn-template", ldap.bind_dn_template},
            {"timeout-ms", ldap.timeout.count()}}}};
}

}  // namespace coral::daemon
