// Runs one `coral` command in-process, as cli/main.cc would (global flags, the command table),
// with stdin, stdout and stderr captured. Credentials come only from what the test passes:
// $CORAL_PASSWORD is unset and the credentials file is looked for in an empty directory.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace coral::testing {

struct CommandRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline CommandRun RunCoral(std::vector<std::string> args, const std::string& stdin_text = "") {
  static const std::filesystem::path kNoConfig =
      std::filesystem::temp_directory_path() / "coral-cli-tests-no-config";
  std::filesystem::create_directories(kNoConfig);
  setenv("XDG_CONFIG_HOME", kNoConfig.c_str(), 1);
  unsetenv("CORAL_PASSWORD");

  CLI::App app{"coral"};
  app.require_subcommand(1);
  app.fallthrough();
  cli::GlobalOptions global;
  global.server = "http://127.0.0.1:8000";
  app.add_option("--server", global.server);
  app.add_option("--user", global.user);
  app.add_option("--password-insecure", global.password_insecure);
  app.add_option("-o,--output", global.output)->check(CLI::IsMember({"table", "json", "yaml"}));
  std::vector<std::pair<CLI::App*, cli::CommandAction>> actions;
  for (const cli::Command& command : cli::Commands()) {
    CLI::App* sub = app.add_subcommand(std::string(command.name), std::string(command.summary));
    actions.emplace_back(sub, command.define(*sub, global));
  }

  CommandRun run;
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  auto* old_in = std::cin.rdbuf(in.rdbuf());
  auto* old_out = std::cout.rdbuf(out.rdbuf());
  auto* old_err = std::cerr.rdbuf(err.rdbuf());
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
    for (auto& [sub, action] : actions) {
      if (sub->parsed()) run.exit_code = action();
    }
  } catch (const CLI::ParseError& e) {
    err << "parse error: " << e.what() << "\n";
    run.exit_code = cli::kExitUsage;
  }
  std::cin.rdbuf(old_in);
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

}  // namespace coral::testing
