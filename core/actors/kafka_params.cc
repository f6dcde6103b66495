#include "actors/kafka_params.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/text.h"
#include "kafka/handles.h"

namespace coral::actors {
namespace {

using definition::Node;
using definition::ParamReader;

constexpr std::string_view kBootstrap = "bootstrap.servers";
constexpr std::string_view kBrokerListAlias = "metadata.broker.list";
constexpr std::string_view kZookeeper = "zookeeper.connect";

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool ValidPort(std::string_view port) {
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string_view::npos) {
    return false;
  }
  int value = std::stoi(std::string(port));
  return value >= 1 && value <= 65535;
}

// What is wrong with a broker list such as "host1:9092,PLAINTEXT://[::1]:9093", or empty.
std::string BrokerListProblem(std::string_view list) {
  if (Trim(list).empty()) {
    return "is empty; list the brokers to contact first, such as \"kafka1:9092,kafka2:9092\"";
  }
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view broker = Trim(list.substr(start, comma - start));
    start = comma + 1;
    if (broker.empty()) {
      return "has an empty entry; separate brokers with single commas, such as "
             "\"kafka1:9092,kafka2:9092\"";
    }
    if (std::size_t scheme = broker.find("://"); scheme != std::string_view::npos) {
      broker.remove_prefix(scheme + 3);
    }
    std::string_view host = broker;
    std::string_view port;
    if (!broker.empty() && broker.front() == '[') {  // [IPv6]:port
      std::size_t close = broker.find(']');
      if (close == std::string_view::npos) {
        return fmt::format("has {} with `[` but no `]`; write IPv6 brokers as [::1]:9092",
                           QuoteForMessage(broker));
      }
      host = broker.substr(1, close - 1);
      std::string_view rest = broker.substr(close + 1);
      if (!rest.empty()) {
        if (rest.front() != ':') {
          return fmt::format("has {}: expected `:port` after `]`", QuoteForMessage(broker));
        }
        port = rest.substr(1);
        if (!ValidPort(port)) {
          return fmt::format(
              "has {} with an invalid port; write host:port with a port from 1 to "
              "65535",
              QuoteForMessage(broker));
        }
      }
    } else if (std::size_t colon = broker.rfind(':');
               colon != std::string_view::npos && broker.find(':') == colon) {
      host = broker.substr(0, colon);
      port = broker.substr(colon + 1);
      if (!ValidPort(port)) {
        return fmt::format(
            "has {} with an invalid port; write host:port with a port from 1 to "
            "65535",
            QuoteForMessage(broker));
      }
    }
    if (host.empty() || host.find_first_of(" \t/") != std::string_view::npos) {
      return fmt::format("has {}, which is not host:port", QuoteForMessage(broker));
    }
  }
  return {};
}

}  // namespace

std::optional<std::string> ReadTopic(ParamReader& params, std::string_view key, bool required) {
  if (!required && !params.Has(key)) {
    params.Get(key);  // known, absent
    return std::nullopt;
  }
  int errors_before = params.diagnostics().errors();
  std::string topic = params.String(key);
  if (params.diagnostics().errors() != errors_before) return std::nullopt;
  bool legal = !topic.empty() && topic.size() <= 249 && topic != "." && topic != ".." &&
               topic.find_first_not_of(
                   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                   "0123456789._-") == std::string::npos;
  if (!legal) {
    params.Error(key, fmt::format("{} is not a valid Kafka topic name; use 1 to 249 letters, "
                                  "digits, '.', '_' or '-'",
                                  QuoteForMessage(topic)));
    return std::nullopt;
  }
  return topic;
}

namespace {

// What Coral needs of a property it manages itself, or empty.
std::string ManagedProblem(KafkaRole role, const std::string& name, const std::string& value) {
  auto is = [&](std::initializer_list<std::string_view> values) {
    return std::find(values.begin(), values.end(), value) != values.end();
  };
  if (role == KafkaRole::kConsumer &&
      (name == "enable.auto.commit" || name == "enable.auto.offset.store") &&
      !is({"false", "False", "FALSE"})) {
    return "Coral commits offsets itself, once every event a message caused is handled "
           "(at-least-once); remove this property";
  }
  if (role == KafkaRole::kProducer && name == "enable.idempotence" &&
      !is({"true", "True", "TRUE"})) {
    return "Coral's producer is always idempotent (retries never duplicate); remove this "
           "property";
  }
  return {};
}

}  // namespace

std::map<std::string, std::string> ReadKafkaProperties(ParamReader& params, KafkaRole role) {
  std::map<std::string, std::string> properties;
  const Node* kafka = params.Object("kafka");
  if (!kafka) return properties;
  std::string kafka_path = params.PathOf("kafka");
  bool ok = true;
  for (const Node::Entry& entry : kafka->entries()) {
    std::string path = definition::JoinPath(kafka_path, entry.key);
    if (entry.key == kZookeeper) {
      params.ErrorAt(entry.value, path,
                     "obsolete: Kafka clients no longer connect through ZooKeeper; write "
                     "`bootstrap.servers: \"<broker host>:9092\"` (the Kafka brokers) instead");
      ok = false;
      continue;
    }
    if (!entry.value.IsScalar() || entry.value.IsNull()) {
      params.ErrorAt(entry.value, path,
                     fmt::format("expected text, a number or true/false (librdkafka properties "
                                 "are text), found {}",
                                 entry.value.Describe()));
      ok = false;
      continue;
    }
    std::string problem = ManagedProblem(role, entry.key, entry.value.text());
    if (problem.empty()) problem = kafka::PropertyProblem(entry.key, entry.value.text());
    if (!problem.empty()) {
      params.ErrorAt(entry.value, path, problem);
      ok = false;
      continue;
    }
    properties.emplace(entry.key, entry.value.text());
  }

  const Node* bootstrap = kafka->Find(kBootstrap);
  const Node* alias = kafka->Find(kBrokerListAlias);
  if (bootstrap && alias && bootstrap->IsScalar() && alias->IsScalar()) {
    if (Trim(bootstrap->text()) != Trim(alias->text())) {
      params.ErrorAt(*alias, definition::JoinPath(kafka_path, std::string(kBrokerListAlias)),
                     "is another name for `bootstrap.servers`, which is also given with a "
                     "different value; keep only `bootstrap.servers`");
      ok = false;
    }
    properties.erase(std::string(kBrokerListAlias));
  } else if (alias && !bootstrap) {
    bootstrap = alias;  // the older name: accepted as it is
    properties.erase(std::string(kBrokerListAlias));
    if (alias->IsScalar()) properties[std::string(kBootstrap)] = alias->text();
  }
  if (!bootstrap) {
    if (!kafka->Find(kZookeeper)) {
      params.Error("kafka",
                   "`bootstrap.servers` is missing; add `bootstrap.servers: \"host:9092\"` "
                   "(the Kafka brokers to contact first)");
    }
    ok = false;
  } else if (bootstrap->IsScalar() && !bootstrap->IsNull()) {
    std::string problem = BrokerListProblem(bootstrap->text());
    if (!problem.empty()) {
      std::string_view name = bootstrap == alias ? kBrokerListAlias : kBootstrap;
      params.ErrorAt(*bootstrap, definition::JoinPath(kafka_path, std::string(name)), problem);
      ok = false;
    }
  }
  if (!ok) properties.clear();
  return properties;
}

}  // namespace coral::actors
