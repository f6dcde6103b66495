// Definition-time checks shared by the kafka-consumer and kafka-producer actor types: topic names
// and the `kafka` mapping of librdkafka properties.
//
// Property names other than the broker list are not checked here (librdkafka does that when the
// client is created); values must be scalars and are kept as text, as librdkafka takes them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "definition/param_reader.h"

namespace coral::actors {

// Reads a Kafka topic name at `key`: 1 to 249 of letters, digits, '.', '_' and '-', not "." or
// "..". Returns nullopt when absent and not required, or when reported as invalid.
std::optional<std::string> ReadTopic(definition::ParamReader& params, std::string_view key,
                                     bool required);

// Reads the required `kafka` mapping. `bootstrap.servers` is required, with `metadata.broker.list`
// accepted as its alias (the result always holds `bootstrap.servers`); `zookeeper.connect` is
// reported as obsolete. Returns the properties as text (empty after reporting a problem).
std::map<std::string, std::string> ReadKafkaProperties(definition::ParamReader& params);

}  // namespace coral::actors
