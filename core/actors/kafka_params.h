// Definition-time checks shared by the kafka-consumer and kafka-producer actor types: topic names
// and the `kafka` mapping of librdkafka properties.
//
// Every property name and value is checked by librdkafka itself (kafka::PropertyProblem), and
// the message names the property it rejects. Values must be scalars and are kept as text.
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

enum class KafkaRole { kConsumer, kProducer };

// Reads the required `kafka` mapping. `bootstrap.servers` is required, with `metadata.broker.list`
// accepted as its alias (the result always holds `bootstrap.servers`); `zookeeper.connect` is
// reported as obsolete. Properties Coral sets itself for at-least-once are refused with another
// value: a consumer's `enable.auto.commit` (Coral commits after events are handled) and a
// producer's `enable.idempotence`. Returns the properties as text (empty after a problem).
std::map<std::string, std::string> ReadKafkaProperties(definition::ParamReader& params,
                                                       KafkaRole role);

}  // namespace coral::actors
