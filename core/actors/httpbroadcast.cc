// PLACEHOLDER: the `httpbroadcast` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kHttpBroadcastType;
const ActorType kHttpBroadcastType{.name = "httpbroadcast", .summary = "(not yet implemented)"};

}  // namespace coral::actors
