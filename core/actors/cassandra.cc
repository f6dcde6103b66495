// PLACEHOLDER: the `cassandra` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kCassandraType;
const ActorType kCassandraType{.name = "cassandra", .summary = "(not yet implemented)"};

}  // namespace coral::actors
