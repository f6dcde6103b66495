// RAII owners of librdkafka objects, and building a client configuration from properties.
//
// Every unique_ptr here frees its object with the matching librdkafka destroy call. MakeConfig
// checks each property with librdkafka itself (names and values), so the message names the
// property librdkafka rejects and says why.
#pragma once

#include <librdkafka/rdkafka.h>

#include <map>
#include <memory>
#include <string>

#include "common/error.h"

namespace coral::kafka {

struct ConfigDeleter {
  void operator()(rd_kafka_conf_t* config) const { rd_kafka_conf_destroy(config); }
};
struct ClientDeleter {
  void operator()(rd_kafka_t* client) const { rd_kafka_destroy(client); }
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* queue) const { rd_kafka_queue_destroy(queue); }
};
struct PartitionsDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
struct MessageDeleter {
  void operator()(rd_kafka_message_t* message) const { rd_kafka_message_destroy(message); }
};

using Config = std::unique_ptr<rd_kafka_conf_t, ConfigDeleter>;
using Client = std::unique_ptr<rd_kafka_t, ClientDeleter>;
using Queue = std::unique_ptr<rd_kafka_queue_t, QueueDeleter>;
using Partitions = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionsDeleter>;
using Message = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

// What librdkafka says is wrong with setting `name` to `value` (unknown property, invalid
// value), or empty when it accepts it. Sets nothing anywhere.
std::string PropertyProblem(const std::string& name, const std::string& value);

// A configuration holding every property. Fails (kInvalidDefinition) naming the first property
// librdkafka rejects.
Result<Config> MakeConfig(const std::map<std::string, std::string>& properties);

// Creates a consumer or producer from `config` (consumed, also on failure). Fails (kUnavailable
// or kInvalidDefinition) with librdkafka's reason.
Result<Client> MakeClient(rd_kafka_type_t type, Config config);

}  // namespace coral::kafka
