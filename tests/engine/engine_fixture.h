// Small actors and a definition builder for engine tests, so that the engine is tested without
// the real actor types or the validator.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "definition/model.h"
#include "engine/engine.h"
#include "engine/runtime_copy.h"

namespace coral::testing {

using namespace std::chrono_literals;

inline Event E(std::string_view text) {
  return *Event::Parse(text);
}

inline std::chrono::steady_clock::time_point Deadline() {
  return std::chrono::steady_clock::now() + 10s;
}

// What test actors saw, shared with the test (thread-safe).
struct Probe {
  mutable std::mutex mutex;
  std::vector<std::string> events;  // bytes of every OnEvent, in arrival order
  std::vector<std::string> by;      // "<actor>.<copy>" per event
  int stops = 0;
  void Record(const actors::ActorEnv& env, const Event& event) {
    std::lock_guard lock(mutex);
    events.emplace_back(event.bytes());
    by.push_back(env.actor_name + "." + std::to_string(env.actor_copy));
  }
  std::vector<std::string> Events() const {
    std::lock_guard lock(mutex);
    return events;
  }
  std::size_t Size() const {
    std::lock_guard lock(mutex);
    return events.size();
  }
};

// Records and passes every event on; throws on {"boom": ...}.
class PassActor : public actors::Actor {
 public:
  PassActor(actors::ActorEnv env, std::shared_ptr<Probe> probe)
      : env_(std::move(env)), probe_(std::move(probe)) {}
  void OnEvent(const Event& event, actors::ActorContext& context) override {
    if (event.value().contains("boom")) throw std::runtime_error("boom!");
    if (probe_) probe_->Record(env_, event);
    context.Emit(event);
  }
  void OnStop(actors::ActorContext& /*context*/) override {
    if (!probe_) return;
    std::lock_guard lock(probe_->mutex);
    ++probe_->stops;
  }

 private:
  actors::ActorEnv env_;
  std::shared_ptr<Probe> probe_;
};

// Stateful: counts events and sums field `v`. State: {count, sum, copy}.
class CountActor : public actors::Actor {
 public:
  explicit CountActor(int copy) : copy_(copy) {}
  void OnEvent(const Event& /*event*/, actors::ActorContext& /*context*/) override {}
  void UpdateState(const Event& event) override {
    ++count_;
    sum_ += event.value().value("v", 0.0);
  }
  void ResetState() override { count_ = 0, sum_ = 0; }
  Json State() const override { return {{"count", count_}, {"sum", sum_}, {"copy", copy_}}; }

 private:
  int copy_;
  std::int64_t count_ = 0;
  double sum_ = 0;
};

// Emits the event plus `seen` = the collected `count` (null when there is none).
class CollectActor : public actors::Actor {
 public:
  void OnEvent(const Event& event, actors::ActorContext& context) override {
    Json out = event.value();
    auto count = context.Collect("count", event);
    if (!count) context.Ignore(actors::IgnoreReason::kNoCollectedState);
    out["seen"] = count ? *count : Json();
    context.Emit(Event::FromJson(std::move(out)));
  }
};

// A bounded generator on the engine timer: every second emits {"tick": n}; after `times`,
// calls Finished().
class TickActor : public actors::Actor {
 public:
  explicit TickActor(int times) : times_(times) {}
  void OnStart(actors::ActorContext& context) override { context.StartTimer(1s); }
  void OnEvent(const Event&, actors::ActorContext&) override {}
  void OnTimer(actors::ActorContext& context) override {
    context.Emit(Event::FromJson({{"tick", ++sent_}}));
    if (sent_ < times_) {
      context.StartTimer(1s);
    } else {
      context.Finished();
    }
  }
  Json State() const override { return {{"count", sent_}}; }

 private:
  int times_;
  int sent_ = 0;
};

// A sink whose OnEvent waits until the test opens the gate; counts what it took.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool open = false;
  std::int64_t taken = 0;
  void Open() {
    std::lock_guard lock(mutex);
    open = true;
    changed.notify_all();
  }
};

class GatedActor : public actors::Actor {
 public:
  explicit GatedActor(std::shared_ptr<Gate> gate) : gate_(std::move(gate)) {}
  void OnEvent(const Event&, actors::ActorContext&) override {
    std::unique_lock lock(gate_->mutex);
    gate_->changed.wait(lock, [&] { return gate_->open; });
    ++gate_->taken;
  }

 private:
  std::shared_ptr<Gate> gate_;
};

inline const actors::ActorType kStatelessType{.name = "test-stateless"};
inline const actors::ActorType kStatefulType{.name = "test-stateful", .stateful = true};

// Builds a RuntimeDefinition by hand.
class DefinitionBuilder {
 public:
  explicit DefinitionBuilder(std::string name = "test") { definition_.name = std::move(name); }
  definition::ActorDefinition& Actor(std::string name, actors::ActorCreator create,
                                     bool stateful = false) {
    definition::ActorDefinition actor;
    actor.name = std::move(name);
    actor.type = stateful ? &kStatefulType : &kStatelessType;
    actor.create = std::move(create);
    actor.state.calc_local = stateful;
    definition_.actors.push_back(std::move(actor));
    return definition_.actors.back();
  }
  DefinitionBuilder& Link(std::string from, std::string to) {
    definition_.links.push_back({std::move(from), std::move(to)});
    return *this;
  }
  std::shared_ptr<const definition::RuntimeDefinition> Build() {
    return std::make_shared<const definition::RuntimeDefinition>(definition_);
  }

 private:
  definition::RuntimeDefinition definition_;
};

inline actors::ActorCreator Pass(std::shared_ptr<Probe> probe) {
  return [probe](const actors::ActorEnv& env) { return std::make_unique<PassActor>(env, probe); };
}
inline actors::ActorCreator Count() {
  return [](const actors::ActorEnv& env) { return std::make_unique<CountActor>(env.actor_copy); };
}

inline std::unique_ptr<engine::RuntimeCopy> MakeCopy(
    engine::Engine& engine, std::shared_ptr<const definition::RuntimeDefinition> definition,
    engine::RuntimeCopyOptions options = {}) {
  auto made = engine::RuntimeCopy::Create(engine, std::move(definition), std::move(options));
  REQUIRE_MESSAGE(made.ok(), (made.ok() ? "" : made.error().message));
  auto copy = std::move(made).value();
  REQUIRE(copy->Start().ok());
  return copy;
}

}  // namespace coral::testing
