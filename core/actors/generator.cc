// PLACEHOLDER: the `generator` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kGeneratorType;
const ActorType kGeneratorType{.name = "generator", .summary = "(not yet implemented)"};

}  // namespace coral::actors
