// coral send NAME ACTOR JSON   POST /api/runtimes/<NAME>/actors/<ACTOR> with JSON as it is
// coral send NAME ACTOR [-]    JSON lines from stdin, POSTed as arrays of up to --batch events
// A line that is not JSON is reported with its number and skipped; the exit code is then 1.
#include <unistd.h>

#include <iostream>
#include <string>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/http_client.h"
#include "cli/output.h"

namespace coral::cli {
namespace {

// Below corald's default body limit (max-body-bytes, 8 MiB), so batches are never refused.
constexpr std::size_t kMaxBatchBytes = 4 * 1024 * 1024;

struct SendOptions {
  std::string runtime;
  std::string actor;
  std::string event = "-";
  int batch = 500;
};

// "column 7: syntax error while parsing value - invalid literal; last read: 'x'"
std::string WhyNotJson(const std::string& text) {
  try {
    Json parsed = Json::parse(text);
    return parsed.is_discarded() ? "not JSON" : "valid JSON";
  } catch (const Json::parse_error& e) {
    std::string message = e.what();
    std::size_t at = message.find("line 1, ");
    return at == std::string::npos ? message : message.substr(at + 8);
  }
  return "not JSON";
}

class Sender {
 public:
  Sender(HttpClient& client, std::string path, std::size_t batch_size)
      : client_(client), path_(std::move(path)), batch_size_(batch_size) {}

  // Adds one event (valid JSON text); sends the batch when it is full.
  Status Add(std::string_view event) {
    body_ += body_.empty() ? "[" : ",";
    body_ += event;
    ++pending_;
    if (pending_ >= batch_size_ || body_.size() >= kMaxBatchBytes) return Flush();
    return Status();
  }

  Status Flush() {
    if (pending_ == 0) return Status();
    body_ += "]";
    Result<Json> answer = client_.PostText(path_, std::move(body_));
    body_.clear();
    std::size_t batch = pending_;
    pending_ = 0;
    if (!answer.ok()) return answer.error();
    sent_ += batch;
    ++requests_;
    return Status();
  }

  std::size_t sent() const { return sent_; }
  std::size_t requests() const { return requests_; }

 private:
  HttpClient& client_;
  std::string path_;
  std::size_t batch_size_;
  std::string body_;
  std::size_t pending_ = 0;
  std::size_t sent_ = 0;
  std::size_t requests_ = 0;
};

int SendOne(HttpClient& client, const std::string& path, const SendOptions& options,
            const GlobalOptions& global) {
  if (!Json::accept(options.event)) {
    std::cerr << fmt::format("coral send: the event is not JSON: {}\n", WhyNotJson(options.event));
    return kExitUsage;
  }
  Result<Json> answer = client.PostText(path, options.event);
  if (!answer.ok()) return ReportError(answer.error());
  Json parsed = Json::parse(options.event);
  std::size_t events = parsed.is_array() ? parsed.size() : 1;
  if (global.table()) {
    std::cerr << fmt::format("coral: sent {} event{} to {}/{}\n", events, events == 1 ? "" : "s",
                             options.runtime, options.actor);
  } else {
    PrintDocument({{"sent", events}, {"skipped", 0}, {"requests", 1}}, global, std::cout);
  }
  return kExitOk;
}

int SendLines(HttpClient& client, const std::string& path, const SendOptions& options,
              const GlobalOptions& global) {
  if (isatty(STDIN_FILENO)) {
    std::cerr << "coral: reading JSON lines from the terminal; end with Ctrl-D\n";
  }
  Sender sender(client, path, static_cast<std::size_t>(options.batch));
  std::size_t skipped = 0;
  std::size_t line_number = 0;
  std::string line;
  Status status;
  while (status.ok() && std::getline(std::cin, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    // corald takes objects only, and one bad event would fail its whole batch.
    std::string why;
    if (!Json::accept(line)) {
      why = fmt::format("not JSON: {}", WhyNotJson(line));
    } else if (line[first] != '{') {
      why = "not a JSON object; every event must be an object";
    }
    if (!why.empty()) {
      std::cerr << fmt::format("coral send: <stdin>:{}: {}; line skipped\n", line_number, why);
      ++skipped;
      continue;
    }
    status = sender.Add(line);
  }
  if (status.ok()) status = sender.Flush();
  if (!status.ok()) {
    int code = ReportError(status.error());
    std::cerr << fmt::format("coral send: stopped at line {}; {} events were sent before\n",
                             line_number, sender.sent());
    return code;
  }
  if (global.table()) {
    std::cerr << fmt::format("coral: sent {} event{} to {}/{} in {} request{}", sender.sent(),
                             sender.sent() == 1 ? "" : "s", options.runtime, options.actor,
                             sender.requests(), sender.requests() == 1 ? "" : "s")
              << (skipped ? fmt::format("; {} line{} skipped", skipped, skipped == 1 ? "" : "s")
                          : "")
              << "\n";
  } else {
    PrintDocument({{"sent", sender.sent()}, {"skipped", skipped}, {"requests", sender.requests()}},
                  global, std::cout);
  }
  return skipped > 0 ? kExitFailed : kExitOk;
}

}  // namespace

CommandAction DefineSend(CLI::App& command, const GlobalOptions& global) {
  auto options = std::make_shared<SendOptions>();
  command.add_option("NAME", options->runtime, "runtime name, <owner>-<name> or UUID")->required();
  command.add_option("ACTOR", options->actor, "the actor the events trigger")->required();
  command.add_option("EVENT", options->event,
                     "one JSON event or a JSON array of events; - (the default) reads JSON "
                     "lines from stdin");
  command.add_option("--batch", options->batch, "events per request when reading stdin")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  command.footer(
      "Lines that are not JSON are reported (<stdin>:LINE) and skipped; then the exit code is 1.\n"
      "-o json prints {\"sent\": N, \"skipped\": N, \"requests\": N}.\n"
      "Example:\n"
      "  coral send hello out '{\"user\": \"ann\", \"bpm\": 72}'\n"
      "  coral send hello out - < events.jsonl\n"
      "  kafkacat -C -t beats | coral send hello out");
  return [options, &global]() -> int {
    Result<HttpClient> client = MakeClient(global, std::cerr);
    if (!client.ok()) return ReportError(client.error());
    std::string path = PathFor({"runtimes", options->runtime, "actors", options->actor});
    if (options->event == "-") return SendLines(client.value(), path, *options, global);
    return SendOne(client.value(), path, *options, global);
  };
}

}  // namespace coral::cli
