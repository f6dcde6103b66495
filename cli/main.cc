// coral: the command-line client. Parses global flags, picks a row of the command table
// (cli/commands.cc) and runs it. Exit codes: cli/exit_codes.h.
#include <cstdlib>
#include <iostream>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "common/text.h"
#include "common/version.h"

namespace {

std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return (value && *value) ? value : fallback;
}

// "coral stast" -> "did you mean `stats`?"
int UnknownCommand(const std::string& word) {
  std::vector<std::string_view> names;
  for (const auto& command : coral::cli::Commands()) names.push_back(command.name);
  std::string message = fmt::format("coral: unknown command `{}`", word);
  std::string_view nearest = coral::NearestWord(word, names);
  if (!nearest.empty()) message += fmt::format("; did you mean `{}`?", nearest);
  std::cerr << message << "\nRun `coral --help` for the list of commands.\n";
  return coral::cli::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace coral::cli;
  CLI::App app{"coral: describe stream-processing pipelines, validate them, run them.\n"};
  app.name("coral");
  app.set_version_flag("--version", fmt::format("coral {}", coral::kVersion));
  app.require_subcommand(1);
  app.fallthrough();

  GlobalOptions global;
  global.server = EnvOr("CORAL_SERVER", "http://127.0.0.1:8000");
  global.user = EnvOr("CORAL_USER", "");
  app.add_option("--server", global.server, "corald API address ($CORAL_SERVER)")
      ->capture_default_str();
  app.add_option("--user", global.user, "user name ($CORAL_USER)");
  app.add_option("--password-insecure", global.password_insecure,
                 "password on the command line, visible in ps; prefer $CORAL_PASSWORD or "
                 "~/.config/coral/credentials");
  app.add_option("-o,--output", global.output, "output format: table, json or yaml")
      ->check(CLI::IsMember({"table", "json", "yaml"}))
      ->capture_default_str();
  app.footer(
      "Exit codes: 0 success, 1 failed on the server, 2 usage, 3 invalid definition,\n"
      "4 not found, 5 not allowed, 6 cannot reach the server.\n"
      "The definition language: man 5 coral-runtime.");

  std::vector<std::pair<CLI::App*, CommandAction>> actions;
  for (const Command& command : Commands()) {
    CLI::App* sub = app.add_subcommand(std::string(command.name), std::string(command.summary));
    actions.emplace_back(sub, command.define(*sub, global));
  }

  if (argc >= 2 && argv[1][0] != '-') {
    bool known = false;
    for (const Command& command : Commands()) known = known || command.name == argv[1];
    if (!known) return UnknownCommand(argv[1]);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  for (auto& [sub, action] : actions) {
    if (sub->parsed()) {
      try {
        return action();
      } catch (const std::exception& e) {
        std::cerr << "coral: " << e.what() << "\n";
        return kExitFailed;
      }
    }
  }
  return kExitUsage;
}
