// Engine internals: the ActorContext of one turn (or one shunt, or one OnStop). Counts locally
// and publishes to the instance's counters once, at the end (no atomic per event).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "engine/actor_node.h"
#include "engine/runtime_copy.h"

namespace coral::engine::internal {

class TurnContext final : public actors::ActorContext {
 public:
  // Emitted events are appended to `outbox`.
  TurnContext(RuntimeCopy& copy, Instance& instance, std::vector<Event>& outbox)
      : copy_(copy), instance_(instance), outbox_(outbox) {}
  ~TurnContext() override { Publish(); }

  void Emit(Event event) override {
    outbox_.push_back(std::move(event));
    ++emitted_;
  }
  std::optional<Json> Collect(std::string_view alias, const Event& trigger) override {
    return copy_.Collect(*this, alias, trigger);
  }
  void Ignore(actors::IgnoreReason reason) override {
    auto index = static_cast<std::size_t>(reason);
    if (index < ignored_.size()) ++ignored_[index];
  }
  void Fail(std::string_view what) override {
    ++errors_;
    instance_.node->RecordError(what);
  }
  actors::Clock::time_point Now() override { return copy_.engine_.clock().Now(); }
  void StartTimer(std::chrono::nanoseconds delay) override;
  void Finished() override;
  void SetTrouble(std::string_view what) override {
    std::lock_guard lock(instance_.trouble_mutex);
    instance_.trouble.assign(what);
    instance_.troubled.store(!what.empty(), std::memory_order_release);
  }

  void CountReceived(std::uint64_t count) { received_ += count; }
  // Runs `body`; an exception thrown by the actor is counted as an error and kept as its last
  // error. Returns whether the body completed.
  template <typename Body>
  bool Guard(Body&& body) {
    try {
      body();
      return true;
    } catch (const std::exception& e) {
      Fail(e.what());
    } catch (...) {
      Fail("unknown exception");
    }
    return false;
  }
  // Collected states are read once per event: the cache is cleared before each event.
  void BeginEvent() { states_.clear(); }
  const Json* CachedState(const Instance* source) const {
    for (const auto& [instance, state] : states_) {
      if (instance == source) return &state;
    }
    return nullptr;
  }
  const Json& CacheState(const Instance* source, Json state) {
    states_.emplace_back(source, std::move(state));
    return states_.back().second;
  }
  Instance& instance() { return instance_; }
  std::uint64_t emitted() const { return emitted_; }
  void Publish();

 private:
  RuntimeCopy& copy_;
  Instance& instance_;
  std::vector<Event>& outbox_;
  std::uint64_t received_ = 0, emitted_ = 0, errors_ = 0;
  std::array<std::uint64_t, kIgnoreReasons> ignored_{};
  std::vector<std::pair<const Instance*, Json>> states_;
};

}  // namespace coral::engine::internal
