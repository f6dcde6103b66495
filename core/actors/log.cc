// PLACEHOLDER: the `log` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kLogType;
const ActorType kLogType{.name = "log", .summary = "(not yet implemented)"};

}  // namespace coral::actors
