// PLACEHOLDER: the `filter` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kFilterType;
const ActorType kFilterType{.name = "filter", .summary = "(not yet implemented)"};

}  // namespace coral::actors
