// coral stats NAME[.K]          GET /api/runtimes/<NAME[.K]>/stats
// coral stats NAME[.K] ACTOR    GET /api/runtimes/<NAME[.K]>/actors/<ACTOR>/stats
// --watch redraws every --interval seconds until Ctrl-C (or --count refreshes).
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <ctime>
#include <iostream>
#include <set>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/http_client.h"
#include "cli/output.h"

namespace coral::cli {
namespace {

struct StatsOptions {
  std::string runtime;
  std::string actor;
  bool watch = false;
  double interval = 2.0;
  int count = 0;  // refreshes; 0: until Ctrl-C
};

volatile std::sig_atomic_t g_interrupted = 0;

void OnInterrupt(int) {
  g_interrupted = 1;
}

// Ctrl-C ends a watch cleanly (exit 0): the handler only sets a flag, and without SA_RESTART
// the sleep (or the request) in progress returns early.
void CatchInterrupts() {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

// Sleeps `seconds` unless interrupted first.
void SleepInterruptibly(double seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!g_interrupted) {
    auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return;
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
    timespec request{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
    if (nanosleep(&request, nullptr) == 0) return;
    if (errno != EINTR) return;
  }
}

double Number(const Json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_number()) return -1;
  return object[key].get<double>();
}

// The per-actor table: one row per actor (the `total` row last), one column per counter name
// in order of first appearance.
Table CountersTable(const Json& counters) {
  std::vector<std::string> columns;
  std::set<std::string> seen;
  for (const auto& [actor, values] : counters.items()) {
    if (!values.is_object()) continue;
    for (const auto& [key, value] : values.items()) {
      if (seen.insert(key).second) columns.push_back(key);
    }
  }
  Table table;
  table.headers.push_back("actor");
  for (const std::string& column : columns) table.headers.push_back(column);
  auto add_row = [&](const std::string& actor, const Json& values) {
    std::vector<std::string> row{actor};
    for (const std::string& column : columns) {
      row.push_back(values.is_object() && values.contains(column) ? CellText(values[column]) : "-");
    }
    table.rows.push_back(std::move(row));
  };
  for (const auto& [actor, values] : counters.items()) {
    if (actor != "total") add_row(actor, values);
  }
  if (counters.contains("total")) add_row("total", counters["total"]);
  return table;
}

void PrintRuntimeStats(const std::string& runtime, const Json& stats, double rate,
                       std::ostream& out) {
  std::string summary = fmt::format("{}: {} actors, {} messages, {} exceptions", runtime,
                                    CellText(stats.value("totalActors", Json())),
                                    CellText(stats.value("totalMessages", Json())),
                                    CellText(stats.value("totalExceptions", Json())));
  if (rate >= 0) summary += fmt::format(" ({:.1f} messages/s)", rate);
  if (stats.contains("status") && stats["status"].is_string()) {
    summary += "; " + stats["status"].get<std::string>();
  }
  out << summary << "\n";
  if (stats.value("health", "") == "degraded" && stats.contains("troubles")) {
    for (const auto& [actor, what] : stats["troubles"].items()) {
      out << fmt::format("degraded: {}: {}\n", actor, CellText(what));
    }
  }
  if (stats.contains("counters") && stats["counters"].is_object() && !stats["counters"].empty()) {
    out << "\n";
    PrintTable(CountersTable(stats["counters"]), out);
  }
}

class Watcher {
 public:
  Watcher(const StatsOptions& options, const GlobalOptions& global, HttpClient& client)
      : options_(options), global_(global), client_(client) {}

  int Run() {
    bool watching = options_.watch || options_.count > 0;
    if (watching) CatchInterrupts();
    const std::string path =
        options_.actor.empty()
            ? PathFor({"runtimes", options_.runtime, "stats"})
            : PathFor({"runtimes", options_.runtime, "actors", options_.actor, "stats"});
    for (int frame = 0; !watching || options_.count == 0 || frame < options_.count; ++frame) {
      if (frame > 0) SleepInterruptibly(options_.interval);
      if (g_interrupted) break;
      Result<Json> answer = client_.Get(path);
      if (g_interrupted) break;
      if (!answer.ok()) return ReportError(answer.error());
      Draw(Payload(answer.value(), options_.actor.empty() ? nullptr : "stats"), watching, frame);
      if (!watching) break;
    }
    return kExitOk;
  }

 private:
  void Draw(const Json& stats, bool watching, int frame) {
    auto now = std::chrono::steady_clock::now();
    double rate = -1;
    double messages = Number(stats, "totalMessages");
    if (frame > 0 && messages >= 0 && last_messages_ >= 0) {
      double seconds = std::chrono::duration<double>(now - last_time_).count();
      if (seconds > 0) rate = (messages - last_messages_) / seconds;
    }
    last_messages_ = messages;
    last_time_ = now;
    if (global_.json()) {  // one document per refresh: JSON lines when watching
      std::cout << (watching ? stats.dump() : stats.dump(2)) << std::endl;
      return;
    }
    if (global_.yaml()) {
      if (watching && frame > 0) std::cout << "---\n";
      std::cout << ToYaml(stats) << std::flush;
      return;
    }
    if (watching) {
      std::string clock = fmt::format("{:%H:%M:%S}", fmt::localtime(std::time(nullptr)));
      if (isatty(STDOUT_FILENO)) {
        std::cout << "\x1b[H\x1b[2J"
                  << fmt::format("Every {}s: coral stats {}{}    {}\n\n", options_.interval,
                                 options_.runtime,
                                 options_.actor.empty() ? "" : " " + options_.actor, clock);
      } else {
        std::cout << (frame > 0 ? "\n" : "") << fmt::format("# {}\n", clock);
      }
    }
    if (options_.actor.empty()) {
      PrintRuntimeStats(options_.runtime, stats, rate, std::cout);
    } else {
      PrintKeyValues(stats, std::cout);
    }
    std::cout << std::flush;
  }

  const StatsOptions& options_;
  const GlobalOptions& global_;
  HttpClient& client_;
  double last_messages_ = -1;
  std::chrono::steady_clock::time_point last_time_;
};

}  // namespace

CommandAction DefineStats(CLI::App& command, const GlobalOptions& global) {
  auto options = std::make_shared<StatsOptions>();
  command.add_option("NAME", options->runtime, "runtime name, or NAME.K for its copy K")
      ->required();
  command.add_option("ACTOR", options->actor, "one actor's counters only");
  command.add_flag("-w,--watch", options->watch, "redraw until Ctrl-C");
  command.add_option("--interval", options->interval, "seconds between refreshes when watching")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  command.add_option("--count", options->count, "stop after N refreshes (implies --watch)")
      ->check(CLI::PositiveNumber);
  command.footer(
      "Counters are summed over all copies of the runtime; NAME.K shows copy K (from 1) alone.\n"
      "With --watch, -o json prints one JSON document per line (one per refresh).\n"
      "Example:\n  coral stats hello\n  coral stats hello.1 pulse\n"
      "  coral stats hello --watch --interval 1");
  return [options, &global]() -> int {
    Result<HttpClient> client = MakeClient(global, std::cerr);
    if (!client.ok()) return ReportError(client.error());
    return Watcher(*options, global, client.value()).Run();
  };
}

}  // namespace coral::cli
