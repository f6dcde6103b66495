// Engine internals: an actor of a runtime copy (ActorNode: its router and instances) and one
// instance (its actor, mailbox, turn mutex, timers and counters). Private to core/engine.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/actor.h"
#include "definition/model.h"
#include "engine/timer_service.h"
#include "engine/worker_pool.h"
#include "event/event.h"

namespace coral::engine {
class RuntimeCopy;
}

namespace coral::engine::internal {

constexpr int kActorTimer = 0;  // ActorContext::StartTimer -> OnTimer
constexpr int kStateTimer = 1;  // collect-local duration recompute

constexpr std::size_t kIgnoreReasons = static_cast<std::size_t>(actors::IgnoreReason::kCount);

// Published once per turn by the instance's worker; read by stats at any time.
struct Counters {
  std::atomic<std::uint64_t> received{0};
  std::atomic<std::uint64_t> emitted{0};
  std::atomic<std::uint64_t> errors{0};
  std::array<std::atomic<std::uint64_t>, kIgnoreReasons> ignored{};
};

struct ActorNode;

struct Instance final : Task, TimerTarget {
  RuntimeCopy* copy = nullptr;
  ActorNode* node = nullptr;
  int actor_copy = 1;
  std::string group_key;  // the group value as JSON text; empty when not grouped
  std::unique_ptr<actors::Actor> actor;

  // Mailbox. `queued` mirrors mailbox.size() for readers without the lock.
  std::mutex mailbox_mutex;
  std::deque<Event> mailbox;
  std::atomic<std::int64_t> queued{0};

  // Scheduling: at most one turn queued or running (`scheduled`); timers set `*_due`.
  std::atomic<bool> scheduled{false};
  std::atomic<bool> actor_timer_due{false};
  std::atomic<bool> state_timer_due{false};
  std::atomic<bool> actor_timer_armed{false};  // StartTimer pending in the timer service
  std::atomic<bool> parked{false};  // an actor timer deferred while the copy is over budget
  std::atomic<bool> finished{false};

  // Held for a whole turn, and by whoever reads State() from outside the turn.
  mutable std::mutex turn_mutex;
  bool started = false;              // guarded by turn_mutex
  std::deque<Event> recent;          // collect-local batch; guarded by turn_mutex
  std::int64_t since_recompute = 0;  // guarded by turn_mutex

  Counters counters;

  // SetTrouble: written in the instance's turn, read by stats without the turn lock.
  std::atomic<bool> troubled{false};
  mutable std::mutex trouble_mutex;
  std::string trouble;  // guarded by trouble_mutex

  void Run() override;
  void OnTimerDue(int kind) override;
};

struct ResolvedCollect {
  std::string alias;
  ActorNode* source = nullptr;
  std::string field;
};

struct ActorNode {
  const definition::ActorDefinition* definition = nullptr;
  std::size_t index = 0;
  bool stateful = false;
  bool grouped = false;
  bool source = false;  // no link leads here
  bool fed = false;     // in RuntimeCopyOptions::fed_actors
  std::vector<ActorNode*> targets;
  std::vector<ResolvedCollect> collects;

  // Ungrouped: `copies` instances, fixed at creation.
  std::vector<std::unique_ptr<Instance>> instances;
  std::atomic<std::uint64_t> next_copy{0};  // round-robin position

  // Grouped: one instance per key, created on first sight.
  mutable std::shared_mutex group_mutex;
  std::unordered_map<std::string, Instance*> by_key;         // guarded by group_mutex
  std::vector<std::unique_ptr<Instance>> grouped_instances;  // guarded by group_mutex

  // Events the router could not hand to any instance.
  std::atomic<std::uint64_t> missing_group_field{0};
  std::atomic<std::uint64_t> router_errors{0};  // an instance could not be created

  mutable std::mutex error_mutex;
  std::string last_error;              // guarded by error_mutex
  std::atomic<bool> has_error{false};  // set once last_error is: stats readers skip the lock

  void RecordError(std::string_view what) {
    std::lock_guard lock(error_mutex);
    last_error.assign(what);
    has_error.store(true, std::memory_order_release);
  }
  // Every instance, stable pointers (instances are never removed before the copy goes).
  std::vector<Instance*> AllInstances() const {
    std::vector<Instance*> all;
    if (!grouped) {
      for (const auto& instance : instances) all.push_back(instance.get());
    } else {
      std::shared_lock lock(group_mutex);
      for (const auto& instance : grouped_instances) all.push_back(instance.get());
    }
    return all;
  }
  const std::string& name() const { return definition->name; }
};

// The group key of `event` for a node grouped by `path`: the value's JSON text, or empty when
// the event has no such field.
std::string GroupKey(const FieldPath& path, const Event& event);

}  // namespace coral::engine::internal
