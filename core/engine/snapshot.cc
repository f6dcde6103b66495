// Snapshots of actor state for daemon restarts (runtime_copy.h: SnapshotStates, RestoreStates).
#include <fmt/format.h>

#include "engine/actor_node.h"
#include "engine/runtime_copy.h"

namespace coral::engine {

using internal::ActorNode;
using internal::Instance;

Json RuntimeCopy::SnapshotStates() const {
  Json out = Json::array();
  for (const auto& node : nodes_) {
    for (const Instance* instance : node->AllInstances()) {
      Json state;
      {
        std::lock_guard turn(instance->turn_mutex);
        try {
          state = instance->actor->State();
        } catch (const std::exception&) {
          continue;  // an actor whose State() throws has nothing to restore
        }
      }
      Json entry = {{"actor", node->name()}, {"copy", instance->actor_copy}};
      if (node->grouped) entry["key"] = instance->group_key;
      entry["state"] = std::move(state);
      out.push_back(std::move(entry));
    }
  }
  return out;
}

Status RuntimeCopy::RestoreStates(const Json& snapshot) {
  if (started_.load()) {
    return Error{ErrorCode::kInternal, "RestoreStates called on a started runtime copy"};
  }
  if (!snapshot.is_array()) {
    return Error{ErrorCode::kInvalidArgument, "a snapshot is a JSON array"};
  }
  for (const Json& entry : snapshot) {
    if (!entry.is_object() || !entry.contains("actor") || !entry["actor"].is_string() ||
        !entry.contains("state")) {
      return Error{ErrorCode::kInvalidArgument,
                   "every snapshot entry needs \"actor\" (a string) and \"state\""};
    }
    ActorNode* node = FindNode(entry["actor"].get<std::string>());
    if (!node) continue;  // the actor is gone from the definition
    Instance* instance = nullptr;
    if (node->grouped) {
      if (!entry.contains("key") || !entry["key"].is_string()) continue;
      auto made = NewInstance(*node, 1, entry["key"].get<std::string>());
      if (!made.ok()) return made.error();
      instance = made.value();
    } else {
      // A snapshot is read back from the store: a damaged entry is skipped, never thrown on.
      if (entry.contains("copy") && !entry["copy"].is_number_integer()) continue;
      int actor_copy = entry.value("copy", 1);
      if (actor_copy < 1 || actor_copy > static_cast<int>(node->instances.size())) continue;
      instance = node->instances[static_cast<std::size_t>(actor_copy - 1)].get();
    }
    std::lock_guard turn(instance->turn_mutex);
    try {
      instance->actor->RestoreState(entry["state"]);
    } catch (const std::exception& e) {
      return Error{ErrorCode::kInternal,
                   fmt::format("actor `{}`: cannot restore its state: {}", node->name(), e.what())};
    }
  }
  return {};
}

}  // namespace coral::engine
