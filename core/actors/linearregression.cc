// PLACEHOLDER: the `linearregression` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kLinearRegressionType;
const ActorType kLinearRegressionType{.name = "linearregression", .summary = "(not yet implemented)"};

}  // namespace coral::actors
