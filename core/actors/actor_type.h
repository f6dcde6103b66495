// An actor type: its name, its traits for the validator, and a factory that validates `params`
// once, at definition time, into a creator of instances (one per actor copy or group key).
//
// Adding a type: write actors/<type>.cc defining `const ActorType k<Type>Type`, and add one line
// to actors/actor_types.def.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "actors/actor.h"
#include "definition/param_reader.h"

namespace coral::actors {

using ActorCreator = std::function<std::unique_ptr<Actor>(const ActorEnv& env)>;

struct ActorType {
  std::string_view name;
  std::string_view summary;  // one line, shown by `coral validate --list-types` and the man page
  // State derived from events: the `state` functions apply, calc-local is on by default, and
  // turning every function off is an error.
  bool stateful = false;
  // Fields of State() that other actors may `collect`.
  std::span<const std::string_view> state_fields;
  // Aliases this type needs in its `collect` list.
  std::span<const std::string_view> collect_aliases;
  // Validates params (nullptr when the definition has none). Reports every problem through the
  // reader; returns a creator only when there were none.
  ActorCreator (*configure)(definition::ParamReader& params) = nullptr;
};

}  // namespace coral::actors
