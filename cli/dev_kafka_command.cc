// coral dev-kafka [--port P] [--topics t1:4,t2:1]
//
// A development Kafka broker in this process (kafka/dev_broker.h): in memory, loopback only,
// about 5 MB kept per partition, for trying pipelines and for tests; not for production. Prints
// the bootstrap address (127.0.0.1:PORT) as the first line on stdout, a banner on stderr, and
// runs until SIGINT or SIGTERM. SIGUSR1 takes the broker down (connections refused) and SIGUSR2
// brings it back, to try how a runtime rides out a broker outage.
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "kafka/dev_broker.h"

namespace coral::cli {
namespace {

struct DevKafkaOptions {
  int port = 9092;
  std::string topics;
};

// "t1:4,t2" -> {t1, 4}, {t2, 1}.
Result<std::vector<kafka::TopicSpec>> ParseTopics(const std::string& text) {
  std::vector<kafka::TopicSpec> topics;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(start, comma - start);
    start = comma + 1;
    if (item.empty()) continue;
    kafka::TopicSpec topic;
    std::size_t colon = item.find(':');
    topic.name = item.substr(0, colon);
    if (colon != std::string::npos) {
      std::string count = item.substr(colon + 1);
      bool digits = !count.empty() && count.size() <= 4 &&
                    count.find_first_not_of("0123456789") == std::string::npos;
      topic.partitions = digits ? std::stoi(count) : 0;
      if (topic.partitions < 1) {
        return Error{ErrorCode::kInvalidArgument,
                     fmt::format("--topics: `{}`: write NAME:PARTITIONS with 1 to 9999 "
                                 "partitions, such as clicks:4",
                                 item)};
      }
    }
    if (topic.name.empty()) {
      return Error{ErrorCode::kInvalidArgument,
                   fmt::format("--topics: `{}` has no topic name", item)};
    }
    topics.push_back(std::move(topic));
  }
  return topics;
}

int RunDevKafka(const DevKafkaOptions& options) {
  Result<std::vector<kafka::TopicSpec>> topics = ParseTopics(options.topics);
  if (!topics.ok()) {
    std::cerr << "coral dev-kafka: " << topics.error().message << "\n";
    return kExitUsage;
  }
  // Signals are taken by sigwait below; block them before librdkafka starts its threads.
  sigset_t signals;
  sigemptyset(&signals);
  for (int signal : {SIGINT, SIGTERM, SIGUSR1, SIGUSR2}) sigaddset(&signals, signal);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Result<std::unique_ptr<kafka::DevBroker>> broker =
      kafka::DevBroker::Start(options.port, topics.value());
  if (!broker.ok()) {
    std::cerr << "coral dev-kafka: " << broker.error().message << "\n";
    return ExitCodeFor(broker.error().code);
  }
  std::cout << broker.value()->bootstrap() << std::endl;
  std::cerr << fmt::format(
      "coral dev-kafka: DEVELOPMENT broker at {} (librdkafka's mock cluster).\n"
      "  In memory, loopback only, about 5 MB kept per partition (older messages are dropped):\n"
      "  for trying pipelines and tests, NOT for production. Ctrl-C stops it and loses "
      "everything.\n"
      "  Topics not listed with --topics are created on first use, with 4 partitions.\n",
      broker.value()->bootstrap());
  while (true) {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0) continue;
    if (signal == SIGUSR1) {
      broker.value()->SetDown(true);
      std::cerr << "coral dev-kafka: broker down (SIGUSR1); SIGUSR2 brings it back\n";
    } else if (signal == SIGUSR2) {
      broker.value()->SetDown(false);
      std::cerr << "coral dev-kafka: broker up again (SIGUSR2)\n";
    } else {
      break;
    }
  }
  std::cerr << "coral dev-kafka: stopping; the topics and their messages are gone\n";
  return kExitOk;
}

}  // namespace

CommandAction DefineDevKafka(CLI::App& command, const GlobalOptions& /*global*/) {
  auto options = std::make_shared<DevKafkaOptions>();
  command
      .add_option("--port", options->port,
                  "Bootstrap port on 127.0.0.1 (0: any free port; default 9092)")
      ->check(CLI::Range(0, 65535));
  command.add_option("--topics", options->topics,
                     "Topics to create, NAME[:PARTITIONS] separated by commas (t1:4,t2:1)");
  return [options] { return RunDevKafka(*options); };
}

}  // namespace coral::cli
