// corald: the Coral daemon. For now it answers --help and --version; the REST API, the store and
// the cluster arrive with their issues.
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common/version.h"

int main(int argc, char** argv) {
  CLI::App app{"corald: the Coral daemon -- runs runtimes and serves the REST API."};
  app.name("corald");
  app.set_version_flag("--version", fmt::format("corald {}", coral::kVersion));
  std::string config;
  app.add_option("--config", config, "YAML configuration file");
  CLI11_PARSE(app, argc, argv);
  std::cerr << "corald: the daemon is not implemented yet; see `coral run` to run a definition.\n";
  return 1;
}
