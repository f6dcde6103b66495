// corald's configuration: built-in defaults, overridden by the YAML file (--config), overridden by
// flags. Unknown keys and bad values are errors that name the key and say what is accepted.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace coral::daemon {

struct LdapConfig {
  std::string uri;               // ldap://127.0.0.1:389
  std::string bind_dn_template;  // uid={user},ou=people,dc=example,dc=org
  std::chrono::milliseconds timeout{5000};
};

struct Config {
  std::string api_interface = "0.0.0.0";
  int api_port = 8000;
  std::string bind = "127.0.0.1";
  int gossip_port = 2551;
  std::vector<std::string> seeds;
  bool no_cluster = false;
  std::filesystem::path data_dir = "/var/lib/coral";
  std::string auth_mode = "coral";        // accept-all | deny-all | coral | ldap
  std::string distribution = "round-robin";
  std::string log_level = "info";         // debug | info | warn | error
  std::vector<std::filesystem::path> log_dirs;  // where `log` actors may write absolute paths
  LdapConfig ldap;
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  std::chrono::seconds snapshot_interval{30};

  // The effective configuration as JSON, secrets masked (GET /api/platform/settings).
  nlohmann::ordered_json ToJson() const;
};

// Applies a YAML config document on top of `config`. Errors name the key ("api-port: expected a
// port from 1 to 65535, found \"x\"").
Status ApplyConfigText(std::string_view yaml, const std::string& source_name, Config& config);
Status ApplyConfigFile(const std::filesystem::path& file, Config& config);
// Checks cross-field rules after flags are applied (auth ldap needs ldap.uri, ...).
Status CheckConfig(const Config& config);

}  // namespace coral::daemon
