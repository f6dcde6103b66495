// PLACEHOLDER: the `kafka-consumer` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kKafkaConsumerType;
const ActorType kKafkaConsumerType{.name = "kafka-consumer", .summary = "(not yet implemented)"};

}  // namespace coral::actors
