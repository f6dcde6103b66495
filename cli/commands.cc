#include "cli/commands.h"

#include <array>

namespace coral::cli {

std::span<const Command> Commands() {
  static constexpr std::array kCommands = {
      Command{"validate", "Check definition files offline; every problem with file:line:column",
              Needs::kFiles, DefineValidate},
      Command{"run", "Run a definition in this process, no daemon (a Unix filter for JSON lines)",
              Needs::kFiles, DefineRun},
      Command{"dev-kafka",
              "A development Kafka broker in memory on loopback (for trying pipelines, tests)",
              Needs::kNothing, DefineDevKafka},
      Command{"schema", "Print the JSON Schema of the definition language (for editors)",
              Needs::kNothing, DefineSchema},
      Command{"apply", "Validate definitions, then create or replace and start them on corald",
              Needs::kServer, DefineApply},
      Command{"get", "List runtimes, or show one with its status and copies", Needs::kServer,
              DefineGet},
      Command{"start", "Start runtimes", Needs::kServer, DefineStart},
      Command{"stop", "Stop runtimes", Needs::kServer, DefineStop},
      Command{"delete", "Delete runtimes (--all: every runtime you own)", Needs::kServer,
              DefineDelete},
      Command{"stats", "Counters of a runtime, one copy (NAME.K) or one actor; --watch",
              Needs::kServer, DefineStats},
      Command{"state", "An actor's state (what `collect` reads)", Needs::kServer, DefineState},
      Command{"send", "Send events to an actor: one JSON argument, or JSON lines on stdin",
              Needs::kServer, DefineSend},
      Command{"cluster", "Cluster membership: members, join, leave", Needs::kServer, DefineCluster},
      Command{"user", "Users: add, remove, list (admins)", Needs::kServer, DefineUser},
      Command{"permission", "A runtime's permissions: add, list, remove", Needs::kServer,
              DefinePermission},
      Command{"platform", "Platform figures: stats, settings", Needs::kServer, DefinePlatform},
  };
  return kCommands;
}

}  // namespace coral::cli
