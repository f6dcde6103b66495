// PLACEHOLDER: the `sample` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kSampleType;
const ActorType kSampleType{.name = "sample", .summary = "(not yet implemented)"};

}  // namespace coral::actors
