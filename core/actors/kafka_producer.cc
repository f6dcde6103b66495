// The `kafka-producer` actor type: writes each event to a Kafka topic. Emits nothing.
//
//   params: {topic: alerts, kafka: {bootstrap.servers: "127.0.0.1:9092"}, key: name}
//
// `key` is the event field whose value becomes the message key. This version checks the
// parameters only (actors/kafka_params.h). Running the producer arrives with Kafka support: until
// then creating an instance throws, and the engine reports that error for the runtime.
#include <map>
#include <memory>
#include <stdexcept>

#include "actors/actor_type.h"
#include "actors/kafka_params.h"

namespace coral::actors {
namespace {

using definition::ParamReader;

struct ProducerConfig {
  std::string topic;
  std::map<std::string, std::string> properties;
  std::optional<FieldPath> key;
};

ActorCreator Configure(ParamReader& params) {
  auto config = std::make_shared<ProducerConfig>();
  config->topic = ReadTopic(params, "topic", /*required=*/true).value_or("");
  config->properties = ReadKafkaProperties(params);
  config->key = params.OptionalPath("key");
  if (!params.Finish()) return nullptr;
  return [config = std::shared_ptr<const ProducerConfig>(std::move(config))](
             const ActorEnv& /*env*/) -> std::unique_ptr<Actor> {
    throw std::runtime_error(
        "the kafka-producer actor cannot run yet in this version of Coral; it arrives with Kafka "
        "support");
  };
}

}  // namespace

extern const ActorType kKafkaProducerType;
const ActorType kKafkaProducerType{
    .name = "kafka-producer",
    .summary =
        "writes each event to a Kafka topic (parameters checked; running arrives with "
        "Kafka support)",
    .configure = Configure,
};

}  // namespace coral::actors
