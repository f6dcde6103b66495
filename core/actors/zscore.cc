// PLACEHOLDER: the `zscore` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kZscoreType;
const ActorType kZscoreType{.name = "zscore", .summary = "(not yet implemented)"};

}  // namespace coral::actors
