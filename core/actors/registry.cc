#include "actors/registry.h"

#include <array>

namespace coral::actors {

#define CORAL_ACTOR_TYPE(name, Symbol) extern const ActorType Symbol;
#include "actors/actor_types.def"
#undef CORAL_ACTOR_TYPE

namespace {

constexpr std::array kTypes = {
#define CORAL_ACTOR_TYPE(name, Symbol) &Symbol,
#include "actors/actor_types.def"
#undef CORAL_ACTOR_TYPE
};

constexpr std::array<std::string_view, kTypes.size()> kNames = {
#define CORAL_ACTOR_TYPE(name, Symbol) name,
#include "actors/actor_types.def"
#undef CORAL_ACTOR_TYPE
};

}  // namespace

const ActorType* FindActorType(std::string_view name) {
  for (const ActorType* type : kTypes) {
    if (type->name == name) return type;
  }
  return nullptr;
}

std::span<const ActorType* const> AllActorTypes() { return kTypes; }

std::span<const std::string_view> ActorTypeNames() { return kNames; }

std::string_view IgnoreReasonName(IgnoreReason reason) {
  switch (reason) {
    case IgnoreReason::kMissingField:
      return "missing field";
    case IgnoreReason::kWrongType:
      return "wrong type";
    case IgnoreReason::kNotFinite:
      return "not a finite number";
    case IgnoreReason::kMissingGroupField:
      return "missing group field";
    case IgnoreReason::kNoCollectedState:
      return "no collected state";
    case IgnoreReason::kCount:
      break;
  }
  return "unknown";
}

}  // namespace coral::actors
