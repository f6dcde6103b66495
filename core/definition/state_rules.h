// Validation of an actor's `state` section (rule 12 of the language): which state functions are
// on and when batch functions recompute. Fills `definition.state`; REQUIRES definition.type and
// definition.log_incoming to be set already (when valid).
#pragma once

#include <string>

#include "definition/diagnostics.h"
#include "definition/model.h"
#include "definition/node.h"

namespace coral::definition {

// What `collect-local: true` means when no `update` is given.
inline constexpr std::int64_t kDefaultCollectLocalEventCount = 100;

void CheckState(const Node& actor, const std::string& actor_path, ActorDefinition& definition,
                Diagnostics& diagnostics);

}  // namespace coral::definition
