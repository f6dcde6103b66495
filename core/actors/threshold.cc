// PLACEHOLDER: the `threshold` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kThresholdType;
const ActorType kThresholdType{.name = "threshold", .summary = "(not yet implemented)"};

}  // namespace coral::actors
