// PLACEHOLDER: the `function` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kFunctionType;
const ActorType kFunctionType{.name = "function", .summary = "(not yet implemented)"};

}  // namespace coral::actors
