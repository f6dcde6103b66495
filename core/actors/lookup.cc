// PLACEHOLDER: the `lookup` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kLookupType;
const ActorType kLookupType{.name = "lookup", .summary = "(not yet implemented)"};

}  // namespace coral::actors
