// PLACEHOLDER: the `stats` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kStatsType;
const ActorType kStatsType{.name = "stats", .summary = "(not yet implemented)"};

}  // namespace coral::actors
