// The table of built-in actor types (actors/actor_types.def).
#pragma once

#include <span>
#include <string_view>

#include "actors/actor_type.h"

namespace coral::actors {

// nullptr when no type has that name.
const ActorType* FindActorType(std::string_view name);
// All types, in table order.
std::span<const ActorType* const> AllActorTypes();
// The names of all types, for "did you mean" and messages.
std::span<const std::string_view> ActorTypeNames();

}  // namespace coral::actors
