// The table of `coral` commands. Each command is one row: its name, a one-line summary, what it
// needs (nothing, files, a server), and a function that declares its options on a CLI11
// subcommand and returns the action to run once the command line is parsed.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace coral::cli {

// Flags every command accepts (spec: `coral [--server URL] [--user NAME] [-o FORMAT] COMMAND`).
struct GlobalOptions {
  std::string server;
  std::string user;
  std::string password_insecure;  // --password-insecure: only when the user insists (shows in ps)
  std::string output = "table";   // table | json | yaml
  bool json() const { return output == "json"; }
  bool yaml() const { return output == "yaml"; }
  bool table() const { return output == "table"; }
};

enum class Needs { kNothing, kFiles, kServer };

using CommandAction = std::function<int()>;

struct Command {
  std::string_view name;
  std::string_view summary;
  Needs needs;
  CommandAction (*define)(CLI::App& command, const GlobalOptions& global);
};

std::span<const Command> Commands();

// One command per file: cli/<name>_command.cc.
CommandAction DefineValidate(CLI::App& command, const GlobalOptions& global);
CommandAction DefineSchema(CLI::App& command, const GlobalOptions& global);
CommandAction DefineRun(CLI::App& command, const GlobalOptions& global);
CommandAction DefineDevKafka(CLI::App& command, const GlobalOptions& global);
// Commands that talk to corald (cli/http_client.h).
CommandAction DefineApply(CLI::App& command, const GlobalOptions& global);
CommandAction DefineGet(CLI::App& command, const GlobalOptions& global);
CommandAction DefineStart(CLI::App& command, const GlobalOptions& global);
CommandAction DefineStop(CLI::App& command, const GlobalOptions& global);
CommandAction DefineDelete(CLI::App& command, const GlobalOptions& global);
CommandAction DefineStats(CLI::App& command, const GlobalOptions& global);
CommandAction DefineState(CLI::App& command, const GlobalOptions& global);
CommandAction DefineSend(CLI::App& command, const GlobalOptions& global);
CommandAction DefineCluster(CLI::App& command, const GlobalOptions& global);
CommandAction DefineUser(CLI::App& command, const GlobalOptions& global);
CommandAction DefinePermission(CLI::App& command, const GlobalOptions& global);
CommandAction DefinePlatform(CLI::App& command, const GlobalOptions& global);

}  // namespace coral::cli
