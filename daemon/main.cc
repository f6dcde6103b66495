// corald: the Coral daemon. `corald [--config FILE] [flags]` serves; `corald user add NAME`
// creates a user offline; `--check-config` only checks the configuration (systemd ExecStartPre).
// Flags override the YAML file, which overrides the built-in defaults.
#include <iostream>
#include <optional>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "common/version.h"
#include "daemon.h"
#include "daemon/config.h"
#include "user_add.h"

namespace {

using coral::daemon::Config;

// The flags of `corald`; each set only when given, so that they override the file.
struct Flags {
  std::string config_file;
  std::string api_interface, bind, seeds, data_dir, auth_mode, distribution, log_level;
  int api_port = 0, gossip_port = 0;
  bool no_cluster = false;
  bool check_config = false;
};

void AddServeFlags(CLI::App& app, Flags& flags) {
  app.add_option("--config", flags.config_file, "YAML configuration file");
  app.add_option("--api-interface", flags.api_interface,
                 "address the REST API listens on (default 0.0.0.0)");
  app.add_option("--api-port", flags.api_port, "REST API port (default 8000)")
      ->check(CLI::Range(1, 65535));
  app.add_option("--bind", flags.bind,
                 "address for gossip and node-to-node traffic, this node's identity "
                 "(default 127.0.0.1)");
  app.add_option("--gossip-port", flags.gossip_port, "gossip port (default 2551)")
      ->check(CLI::Range(1, 65535));
  app.add_option("--seeds", flags.seeds, "host:port,... of members to join");
  app.add_flag("--no-cluster", flags.no_cluster, "run alone: no gossip, placement always local");
  app.add_option("--data-dir", flags.data_dir, "SQLite store and runtime files");
  app.add_option("--auth-mode", flags.auth_mode, "accept-all, deny-all, coral or ldap");
  app.add_option("--distribution", flags.distribution, "default distribution mode");
  app.add_option("--log-level", flags.log_level, "debug, info, warn or error");
  app.add_flag("--check-config", flags.check_config,
               "check the configuration, print problems, exit 0 (fine) or 2");
}

// Defaults < file < flags given. Problems go to stderr; returns nullopt then.
std::optional<Config> BuildConfig(const CLI::App& app, const Flags& flags) {
  Config config;
  if (!flags.config_file.empty()) {
    coral::Status file = coral::daemon::ApplyConfigFile(flags.config_file, config);
    if (!file.ok()) {
      std::cerr << "corald: " << file.error().message << "\n";
      return std::nullopt;
    }
  }
  auto given = [&](const char* name) { return app.get_option(name)->count() > 0; };
  if (given("--api-interface")) config.api_interface = flags.api_interface;
  if (given("--api-port")) config.api_port = flags.api_port;
  if (given("--bind")) config.bind = flags.bind;
  if (given("--gossip-port")) config.gossip_port = flags.gossip_port;
  if (given("--seeds")) {
    config.seeds.clear();
    std::stringstream stream(flags.seeds);
    for (std::string seed; std::getline(stream, seed, ',');) {
      if (!seed.empty()) config.seeds.push_back(seed);
    }
  }
  if (given("--no-cluster")) config.no_cluster = true;
  if (given("--data-dir")) config.data_dir = flags.data_dir;
  if (given("--auth-mode")) config.auth_mode = flags.auth_mode;
  if (given("--distribution")) config.distribution = flags.distribution;
  if (given("--log-level")) config.log_level = flags.log_level;
  coral::Status checked = coral::daemon::CheckConfig(config);
  if (!checked.ok()) {
    std::cerr << "corald: " << checked.error().message << "\n";
    return std::nullopt;
  }
  return config;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"corald: the Coral daemon -- runs runtimes and serves the REST API."};
  app.name("corald");
  app.set_version_flag("--version", fmt::format("corald {}", coral::kVersion));
  Flags flags;
  AddServeFlags(app, flags);

  CLI::App* user = app.add_subcommand("user", "Manage users offline, on --data-dir");
  CLI::App* add = user->add_subcommand("add", "Create a user (the first admin, in particular)");
  user->require_subcommand(1);
  coral::daemon::UserAddOptions user_add;
  std::string user_data_dir;
  add->add_option("NAME", user_add.name, "user name")->required();
  add->add_flag("--admin", user_add.admin, "the user administers users");
  add->add_flag("--password-stdin", user_add.password_stdin,
                "read the password from the first line of standard input");
  add->add_option("--data-dir", user_data_dir, "data directory (default: the configuration's)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  std::optional<Config> config = BuildConfig(app, flags);
  if (!config) return 2;
  if (add->parsed()) {
    user_add.data_dir =
        user_data_dir.empty() ? config->data_dir : std::filesystem::path(user_data_dir);
    return coral::daemon::RunUserAdd(user_add);
  }
  if (flags.check_config) {
    std::cerr << "corald: configuration OK\n";
    return 0;
  }
  std::optional<std::filesystem::path> file;
  if (!flags.config_file.empty()) file = std::filesystem::path(flags.config_file);
  return coral::daemon::RunDaemon(*config, file);
}
