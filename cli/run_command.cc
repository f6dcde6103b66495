// `coral run FILE [--input FILE|-] [--into ACTOR] [--stats table|json] [--state FILE|-]
// [--strict]`: runs a definition in this process, a Unix filter for JSON lines. Events from the
// input go to the entry actor; `log` actors without a file write to stdout; the run ends when the
// input and every bounded generator are done and the pipeline is drained (or on SIGINT/SIGTERM:
// exit 130), then the counters go to stderr and, with --state, every actor's final state (one
// JSON object, actor name -> state; an array per actor when the runtime has several copies) to
// the file named. Exit: 0; 1 when an input line was skipped or the runtime could not
// be created; 2 usage; 3 invalid definition.
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "definition/validator.h"
#include "engine/copy_router.h"
#include "engine/engine.h"
#include "engine/line_reader.h"
#include "engine/line_sink.h"
#include "engine/runtime_copy.h"
#include "engine/stats.h"

namespace coral::cli {
namespace {

struct RunOptions {
  std::string file;
  std::string input;
  std::string into;
  std::string stats = "table";
  std::string state;  // where the final actor states go; empty: nowhere
  bool strict = false;
};

constexpr std::size_t kBatch = 1024;
constexpr int kMaxInputMessages = 20;
constexpr std::size_t kMaxLine = 16 << 20;

int Usage(const std::string& message) {
  std::cerr << "coral run: " << message << "\n";
  return kExitUsage;
}

std::string ActorList(const definition::RuntimeDefinition& runtime) {
  std::string names;
  for (const auto& actor : runtime.actors)
    names += (names.empty() ? "`" : ", `") + actor.name + "`";
  return names;
}

// The actor the input goes to: --into, else the one actor no link leads to that is not a
// generator. Empty when the runtime takes no input; an error message for usage problems.
Result<std::string> EntryActor(const definition::RuntimeDefinition& runtime,
                               const std::string& into) {
  if (!into.empty()) {
    if (runtime.FindActor(into)) return into;
    return Error{
        ErrorCode::kInvalidArgument,
        fmt::format("--into: no actor is named `{}`; the actors are {}", into, ActorList(runtime))};
  }
  std::vector<std::string> candidates;
  for (const auto& actor : runtime.actors) {
    bool linked = false;
    for (const auto& link : runtime.links) linked = linked || link.to == actor.name;
    // Sources that produce on their own (a kafka-consumer reads its topic) take no input.
    bool generator =
        actor.type && (actor.type->name == "generator" || actor.type->name == "kafka-consumer");
    if (!linked && !generator) candidates.push_back(actor.name);
  }
  if (candidates.size() > 1) {
    std::string names;
    for (const auto& name : candidates) names += (names.empty() ? "`" : ", `") + name + "`";
    return Error{
        ErrorCode::kInvalidArgument,
        fmt::format("several actors could take the input ({}); choose one with --into", names)};
  }
  return candidates.empty() ? std::string() : candidates[0];
}

// SIGINT/SIGTERM, taken by a thread of their own (sigwait) so that every other thread runs with
// them blocked: the first interrupts the copies and wakes the input reader; a second one exits.
sigset_t TerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

// Call before any thread starts, so that every thread inherits the mask.
void BlockTerminationSignals() {
  sigset_t signals = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

class SignalWatcher {
 public:
  // REQUIRES: BlockTerminationSignals() was called before any thread started.
  SignalWatcher() : signals_(TerminationSignals()) {
    if (pipe(wake_) != 0) wake_[0] = wake_[1] = -1;
  }
  ~SignalWatcher() {
    if (thread_.joinable()) {
      done_.store(true);
      pthread_kill(thread_.native_handle(), SIGTERM);
      thread_.join();
    }
    for (int fd : wake_) {
      if (fd >= 0) close(fd);
    }
  }
  // Starts watching; `on_signal` runs in the watcher thread on the first signal.
  void Watch(std::function<void()> on_signal) {
    thread_ = std::thread([this, on_signal = std::move(on_signal)] {
      while (true) {
        int signal = 0;
        if (sigwait(&signals_, &signal) != 0 || done_.load()) return;
        if (interrupted_.exchange(true)) {
          std::cerr << "coral run: interrupted again; exiting without draining\n";
          std::_Exit(130);
        }
        if (wake_[1] >= 0) {
          [[maybe_unused]] auto ignored = write(wake_[1], "x", 1);
        }
        on_signal();
      }
    });
  }
  bool interrupted() const { return interrupted_.load(); }
  int wake_fd() const { return wake_[0]; }

 private:
  sigset_t signals_;
  int wake_[2] = {-1, -1};
  std::atomic<bool> done_{false};
  std::atomic<bool> interrupted_{false};
  std::thread thread_;
};

// Reads the input as JSON lines into `entry`. Returns the number of skipped lines.
std::int64_t FeedInput(int fd, const std::string& input_name, int wake_fd,
                       engine::CopyRouter& router, const std::string& entry) {
  engine::LineReader reader(fd, {.max_line = kMaxLine, .wake_fd = wake_fd});
  std::vector<Event> batch;
  batch.reserve(kBatch);
  std::int64_t skipped = 0;
  auto report = [&](std::int64_t line_number, const std::string& message) {
    if (++skipped <= kMaxInputMessages) {
      std::cerr << fmt::format("{}:{}: {}; line skipped\n", input_name, line_number, message);
    }
  };
  std::string error;
  std::string_view line;
  std::int64_t line_number = 0;
  bool delivering = true;
  while (delivering) {
    auto result = reader.Next(&line, &line_number);
    if (result == engine::LineReader::Result::kLine) {
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;  // blank
      auto event = Event::Parse(line, &error);
      if (!event) {
        report(line_number, error);
        continue;
      }
      batch.push_back(std::move(*event));
      if (batch.size() < kBatch) continue;
    } else if (result == engine::LineReader::Result::kTooLong) {
      report(line_number, fmt::format("longer than {} bytes", kMaxLine));
      continue;
    } else if (result == engine::LineReader::Result::kError) {
      std::cerr << fmt::format("coral run: reading {}: {}\n", input_name, reader.error());
      delivering = false;
    } else {
      delivering = false;  // end of input or interrupted
    }
    if (!batch.empty()) {
      if (!router.Deliver(entry, std::move(batch)).ok()) break;  // interrupted
      batch.clear();
      batch.reserve(kBatch);
    }
  }
  if (skipped > kMaxInputMessages) {
    std::cerr << fmt::format("coral run: {} more input lines skipped (not shown)\n",
                             skipped - kMaxInputMessages);
  }
  return skipped;
}

// {actor: state} of one copy, or {actor: [state per copy]} for several.
Json FinalStates(const definition::RuntimeDefinition& runtime,
                 const std::vector<std::unique_ptr<engine::RuntimeCopy>>& copies) {
  Json states = Json::object();
  for (const auto& actor : runtime.actors) {
    Json per_copy = Json::array();
    for (const auto& copy : copies) {
      auto state = copy->ActorState(actor.name);
      per_copy.push_back(state.ok() ? std::move(state).value() : Json());
    }
    states[actor.name] = copies.size() == 1 ? per_copy[0] : per_copy;
  }
  return states;
}

int Run(const RunOptions& options) {
  if (!std::filesystem::exists(options.file)) {
    return Usage(fmt::format("{}: no such file", options.file));
  }
  definition::ValidationOptions validation_options;
  validation_options.strict = options.strict;
  definition::Validation validation = definition::ValidateFile(options.file, validation_options);
  for (const auto& diagnostic : validation.diagnostics.all()) {
    std::cerr << definition::FormatDiagnostic(diagnostic, options.file) << "\n";
  }
  if (!validation.definition) return kExitInvalid;
  const definition::RuntimeDefinition& runtime = *validation.definition;

  auto entry = EntryActor(runtime, options.into);
  if (!entry.ok()) return Usage(entry.error().message);
  int input_fd = -1;
  std::string input_name;
  if (!entry.value().empty()) {
    if (options.input.empty() || options.input == "-") {
      input_fd = STDIN_FILENO;
      input_name = "stdin";
    } else {
      input_fd = open(options.input.c_str(), O_RDONLY | O_CLOEXEC);
      if (input_fd < 0) {
        return Usage(fmt::format("--input {}: {}", options.input, std::strerror(errno)));
      }
      input_name = options.input;
    }
  } else if (!options.input.empty()) {
    return Usage(
        "--input given, but every actor is a generator or receives events on a link; name the "
        "actor that takes the input with --into");
  }

  // Opened before the run, so that a path that cannot be written fails now, not after the input.
  std::ofstream state_file;
  if (!options.state.empty() && options.state != "-") {
    state_file.open(options.state, std::ios::binary | std::ios::trunc);
    if (!state_file) {
      return Usage(fmt::format("--state {}: {}", options.state, std::strerror(errno)));
    }
  }

  BlockTerminationSignals();
  int exit_code = kExitOk;
  {
    engine::Engine engine;
    auto standard_output = std::make_shared<engine::FdLineSink>(STDOUT_FILENO);
    std::vector<std::unique_ptr<engine::RuntimeCopy>> copies;
    std::vector<std::shared_ptr<engine::CopyEndpoint>> endpoints;
    std::string unique_name =
        runtime.owner ? fmt::format("{}-{}", *runtime.owner, runtime.name) : runtime.name;
    for (int k = 1; k <= std::max(runtime.distribution.copies, 1); ++k) {
      engine::RuntimeCopyOptions copy_options;
      copy_options.runtime_name = unique_name;
      copy_options.copy = k;
      copy_options.standard_output = standard_output;
      if (!entry.value().empty()) copy_options.fed_actors = {entry.value()};
      auto made = engine::RuntimeCopy::Create(engine, validation.definition, copy_options);
      if (!made.ok()) {
        std::cerr << "coral run: " << made.error().message << "\n";
        return ExitCodeFor(made.error().code);
      }
      copies.push_back(std::move(made).value());
      endpoints.push_back(std::make_shared<engine::LocalCopyEndpoint>(*copies.back()));
    }
    SignalWatcher signals;  // destroyed (joined) before the copies
    signals.Watch([&copies] {
      for (auto& copy : copies) copy->Interrupt();
    });
    for (auto& copy : copies) {
      Status started = copy->Start();
      if (!started.ok()) {
        std::cerr << "coral run: " << started.error().message << "\n";
        return kExitFailed;
      }
    }
    engine::CopyRouter router(endpoints, runtime.distribution.partition_key);
    std::int64_t skipped = 0;
    if (input_fd >= 0) {
      skipped = FeedInput(input_fd, input_name, signals.wake_fd(), router, entry.value());
      if (input_fd != STDIN_FILENO) close(input_fd);
    }
    for (auto& copy : copies) {
      if (!signals.interrupted()) copy->WaitFinished();
    }
    std::vector<Json> stats;
    for (auto& copy : copies) {
      copy->Stop();
      stats.push_back(copy->Stats());
    }
    standard_output->Flush();
    if (!options.state.empty()) {
      std::ostream& out = options.state == "-" ? std::cout : state_file;
      out << FinalStates(runtime, copies).dump() << "\n" << std::flush;
      if (!out) {
        std::cerr << fmt::format("coral run: --state {}: could not write\n", options.state);
        exit_code = kExitFailed;
      }
    }
    Json total = stats.size() == 1 ? stats[0] : engine::SumStats(stats);
    if (options.stats == "json") {
      std::cerr << total.dump() << "\n";
    } else {
      std::cerr << engine::FormatStatsTable(total);
    }
    if (signals.interrupted()) {
      exit_code = 130;
    } else if (skipped > 0 || exit_code != kExitOk) {
      exit_code = kExitFailed;
    }
  }
  return exit_code;
}

}  // namespace

CommandAction DefineRun(CLI::App& command, const GlobalOptions& /*global*/) {
  auto options = std::make_shared<RunOptions>();
  command.add_option("FILE", options->file, "definition to run (YAML or JSON)")->required();
  command.add_option("--input", options->input,
                     "events, one JSON object per line; - for standard input (the default)");
  command.add_option("--into", options->into,
                     "the actor that takes the input (default: the one actor no link leads to "
                     "that is not a generator)");
  command.add_option("--stats", options->stats, "counters at the end, on stderr: table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  command.add_option("--state", options->state,
                     "at the end, write every actor's final state as one JSON object (actor -> "
                     "state) to this file; - for standard output");
  command.add_flag("--strict", options->strict, "unknown fields are errors, not warnings");
  return [options] { return Run(*options); };
}

}  // namespace coral::cli
