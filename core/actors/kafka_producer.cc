// PLACEHOLDER: the `kafka-producer` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kKafkaProducerType;
const ActorType kKafkaProducerType{.name = "kafka-producer", .summary = "(not yet implemented)"};

}  // namespace coral::actors
