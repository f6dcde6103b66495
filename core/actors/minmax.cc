// PLACEHOLDER: the `minmax` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kMinMaxType;
const ActorType kMinMaxType{.name = "minmax", .summary = "(not yet implemented)"};

}  // namespace coral::actors
