// The typed runtime definition: what the validator produces and the engine, `coral run` and
// corald consume. Immutable once built; shared by every copy of a runtime.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/actor_type.h"
#include "definition/node.h"
#include "event/field_path.h"

namespace coral::definition {

struct CollectDefinition {
  std::string alias;
  std::string from;   // actor name
  std::string field;  // a state field of `from`'s type
};

// When a batch state function recomputes the state.
struct StateUpdate {
  enum class Kind { kEveryEvent, kEventCount, kDuration, kSlidingWindow };
  Kind kind = Kind::kEveryEvent;
  std::int64_t count = 0;                    // kEventCount: recompute every `count` events
  std::chrono::milliseconds duration{0};     // kDuration: recompute this often
  std::int64_t size = 0, slide = 0;          // kSlidingWindow: last `size` events, every `slide`
};

struct StateFunction {
  bool enabled = false;
  StateUpdate update;
};

struct StateDefinition {
  bool calc_local = false;
  StateFunction collect_local;
  StateFunction log_batch;
  StateFunction spark_batch;
};

struct ActorDefinition {
  std::string name;
  const actors::ActorType* type = nullptr;
  actors::ActorCreator create;  // from the type's configure(params)
  Json params;
  int copies = 1;
  std::optional<FieldPath> group_by;
  std::vector<CollectDefinition> collect;
  StateDefinition state;
  bool log_incoming = false;
  bool log_outgoing = false;
  Position position;
};

struct LinkDefinition {
  std::string from;
  std::string to;
};

struct DistributionDefinition {
  std::optional<std::string> mode;  // absent: the daemon's default
  std::optional<std::string> machine;  // "ip:port" or an alias, for `predefined`
  int copies = 1;
  std::optional<FieldPath> partition_key;
};

struct RuntimeDefinition {
  std::string name;
  std::optional<std::string> owner;
  std::string description;
  std::optional<std::string> projectid;
  std::vector<ActorDefinition> actors;
  std::vector<LinkDefinition> links;
  DistributionDefinition distribution;
  Json source;  // the definition as JSON, field order kept, as the API returns it

  // nullptr when no actor has that name.
  const ActorDefinition* FindActor(std::string_view actor_name) const;
};

}  // namespace coral::definition
