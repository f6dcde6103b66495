#include "kafka/handles.h"

#include <fmt/format.h>

#include <array>

namespace coral::kafka {

std::string PropertyProblem(const std::string& name, const std::string& value) {
  Config config(rd_kafka_conf_new());
  std::array<char, 512> reason{};
  rd_kafka_conf_res_t result =
      rd_kafka_conf_set(config.get(), name.c_str(), value.c_str(), reason.data(), reason.size());
  if (result == RD_KAFKA_CONF_OK) return {};
  if (result == RD_KAFKA_CONF_UNKNOWN) {
    return "is not a librdkafka property; see the property list in librdkafka's "
           "CONFIGURATION.md (names are case-sensitive, such as `bootstrap.servers`)";
  }
  return fmt::format("librdkafka rejects this value: {}", reason.data());
}

Result<Config> MakeConfig(const std::map<std::string, std::string>& properties) {
  Config config(rd_kafka_conf_new());
  std::array<char, 512> reason{};
  for (const auto& [name, value] : properties) {
    if (rd_kafka_conf_set(config.get(), name.c_str(), value.c_str(), reason.data(),
                          reason.size()) != RD_KAFKA_CONF_OK) {
      return Error{ErrorCode::kInvalidDefinition,
                   fmt::format("Kafka property `{}`: {}", name, reason.data())};
    }
  }
  return config;
}

Result<Client> MakeClient(rd_kafka_type_t type, Config config) {
  std::array<char, 512> reason{};
  // rd_kafka_new takes the configuration only when it succeeds.
  rd_kafka_t* client = rd_kafka_new(type, config.get(), reason.data(), reason.size());
  if (!client) {
    return Error{ErrorCode::kInvalidDefinition,
                 fmt::format("cannot create the Kafka {}: {}",
                             type == RD_KAFKA_CONSUMER ? "consumer" : "producer", reason.data())};
  }
  config.release();
  return Client(client);
}

}  // namespace coral::kafka
