// PLACEHOLDER: the `httpclient` actor type; params and behaviour still to be written.
#include "actors/actor_type.h"

namespace coral::actors {

extern const ActorType kHttpClientType;
const ActorType kHttpClientType{.name = "httpclient", .summary = "(not yet implemented)"};

}  // namespace coral::actors
