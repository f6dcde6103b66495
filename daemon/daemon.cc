#include "daemon.h"

#include <pthread.h>
#include <signal.h>
#include <systemd/sd-daemon.h>

#include <fmt/format.h>

#include "api/server.h"
#include "common/log.h"
#include "engine/engine.h"
#include "node/runtime_manager.h"
#include "security/access_policy.h"
#include "security/authenticator.h"
#include "store/sqlite_store.h"

namespace coral::daemon {
namespace {

// SIGHUP: only the log level can change while running; other keys that changed in the file
// (compared with the file as last read, so that flags do not count as changes) are reported.
void Reload(Config& last_read, const std::filesystem::path& file) {
  Config fresh;
  Status applied = ApplyConfigFile(file, fresh);
  if (applied.ok()) applied = CheckConfig(fresh);
  if (!applied.ok()) {
    log::Error("reload: {} (configuration unchanged)", applied.error().message);
    return;
  }
  auto before = last_read.ToJson();
  auto after = fresh.ToJson();
  for (auto it = after.begin(); it != after.end(); ++it) {
    if (before[it.key()] == it.value()) continue;
    if (it.key() == "log-level") {
      log::SetLevel(fresh.log_level);
      log::Info("reload: log-level is now {}", fresh.log_level);
    } else {
      log::Warn(
          "reload: {} changed in {}; reload does not support it: it takes effect when "
          "corald restarts",
          it.key(), file.string());
    }
  }
  last_read = fresh;
}

security::AuthConfig AuthConfigOf(const Config& config, security::AuthMode mode) {
  security::AuthConfig auth;
  auth.mode = mode;
  auth.ldap.uri = config.ldap.uri;
  auth.ldap.bind_dn_template = config.ldap.bind_dn_template;
  auth.ldap.timeout = config.ldap.timeout;
  return auth;
}

}  // namespace

int RunDaemon(const Config& initial, std::optional<std::filesystem::path> config_file) {
  Config config = initial;
  log::SetLevel(config.log_level);
  // Signals are taken by sigwait in this thread; every thread started from here inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  for (int signal : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, signal);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  std::string node_address = fmt::format("{}:{}", config.bind, config.gossip_port);
  auto opened = store::SqliteStore::Open(config.data_dir, {.node_id = node_address});
  if (!opened.ok()) {
    log::Error("cannot open the store in {}: {}", config.data_dir.string(), opened.error().message);
    return 1;
  }
  std::unique_ptr<store::SqliteStore> store = std::move(opened).value();
  auto mode = security::ParseAuthMode(config.auth_mode);
  if (!mode.ok()) {
    log::Error("{}", mode.error().message);
    return 1;
  }
  auto made = security::MakeAuthenticator(AuthConfigOf(config, mode.value()), *store);
  if (!made.ok()) {
    log::Error("auth: {}", made.error().message);
    return 1;
  }
  std::unique_ptr<security::Authenticator> authenticator = std::move(made).value();

  engine::Engine engine;
  node::RuntimeManager manager(engine, *store, node::LogPaths(config.data_dir, config.log_dirs),
                               {});
  Status loaded = manager.Load();
  if (!loaded.ok()) {
    log::Error("cannot load runtimes: {}", loaded.error().message);
    manager.Shutdown();
    return 1;
  }
  api::Services services{
      config, *store, manager, *authenticator, security::AccessPolicy(mode.value()), node_address};
  api::ApiServer server(services);
  Status listening = server.Start();
  if (!listening.ok()) {
    log::Error("{}", listening.error().message);
    manager.Shutdown();
    return 1;
  }
  services.ready.store(true);
  manager.StartPeriodicSnapshots(config.snapshot_interval);
  log::Info("corald listening on {}:{} (node {}, auth {}, data {})", config.api_interface,
            config.api_port, node_address, config.auth_mode, config.data_dir.string());
  sd_notify(0, "READY=1");

  Config file_as_read;  // what SIGHUP compares the file with
  if (config_file && !ApplyConfigFile(*config_file, file_as_read).ok()) file_as_read = Config{};
  for (;;) {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0) continue;
    if (signal == SIGHUP) {
      if (config_file)
        Reload(file_as_read, *config_file);
      else
        log::Info("reload: no --config file to re-read");
      sd_notify(0, "READY=1");
      continue;
    }
    log::Info("{}: stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    break;
  }
  sd_notify(0, "STOPPING=1");
  services.ready.store(false);
  server.Stop();
  manager.Shutdown();
  log::Info("corald stopped");
  return 0;
}

}  // namespace coral::daemon
