// The `kafka-consumer` actor type: reads a Kafka topic and emits each message as an event.
//
//   params: {topic: heartbeats, kafka: {bootstrap.servers: "127.0.0.1:9092", group.id: g},
//            dead-letter-topic: heartbeats-rejected}
//
// This version checks the parameters only (actors/kafka_params.h). Running the consumer arrives
// with Kafka support: until then creating an instance throws, and the engine reports that error
// for the runtime. `group.id` is optional (the running consumer will default it to the runtime's
// unique name).
#include <map>
#include <memory>
#include <stdexcept>

#include "actors/actor_type.h"
#include "actors/kafka_params.h"

namespace coral::actors {
namespace {

using definition::ParamReader;

struct ConsumerConfig {
  std::string topic;
  std::map<std::string, std::string> properties;
  std::optional<std::string> dead_letter_topic;
};

ActorCreator Configure(ParamReader& params) {
  auto config = std::make_shared<ConsumerConfig>();
  config->topic = ReadTopic(params, "topic", /*required=*/true).value_or("");
  config->properties = ReadKafkaProperties(params);
  config->dead_letter_topic = ReadTopic(params, "dead-letter-topic", /*required=*/false);
  if (config->dead_letter_topic && *config->dead_letter_topic == config->topic) {
    params.Error("dead-letter-topic",
                 "is the topic being read; name a different topic for the messages that are "
                 "rejected");
  }
  if (!params.Finish()) return nullptr;
  return [config = std::shared_ptr<const ConsumerConfig>(std::move(config))](
             const ActorEnv& /*env*/) -> std::unique_ptr<Actor> {
    throw std::runtime_error(
        "the kafka-consumer actor cannot run yet in this version of Coral; it arrives with Kafka "
        "support");
  };
}

}  // namespace

extern const ActorType kKafkaConsumerType;
const ActorType kKafkaConsumerType{
    .name = "kafka-consumer",
    .summary =
        "emits each message of a Kafka topic as an event (parameters checked; running "
        "arrives with Kafka support)",
    .configure = Configure,
};

}  // namespace coral::actors
