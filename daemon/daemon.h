// corald's serving life: open the store, restore runtimes, serve the API, tell systemd it is
// ready, and on SIGTERM/SIGINT stop cleanly (runtimes stopped and snapshotted, store closed).
// SIGHUP re-reads the configuration file's reloadable keys (log-level).
#pragma once

#include <filesystem>
#include <optional>

#include "daemon/config.h"

namespace coral::daemon {

// Returns the process exit code: 0 after a clean stop, 1 when the daemon could not start.
// `config_file`: re-read on SIGHUP, when given.
int RunDaemon(const Config& config, std::optional<std::filesystem::path> config_file);

}  // namespace coral::daemon
