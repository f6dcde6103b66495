// Actor turns: trigger, state functions, timers, collect.
#include <algorithm>

#include "engine/actor_node.h"
#include "engine/runtime_copy.h"
#include "engine/turn_context.h"

namespace coral::engine {

using internal::ActorNode;
using internal::Instance;
using internal::TurnContext;
using Kind = definition::StateUpdate::Kind;

namespace internal {

void Instance::Run() {
  copy->RunTurn(*this);
}

void Instance::OnTimerDue(int kind) {
  copy->OnTimerDue(*this, kind);
}

void TurnContext::StartTimer(std::chrono::nanoseconds delay) {
  if (copy_.stopping_.load()) return;
  instance_.actor_timer_armed.store(true);
  copy_.engine_.timers().Schedule(&instance_, kActorTimer, Now() + delay, &copy_);
}

// Waiters learn of it when the copy next goes idle (FinishTurn): no state_mutex_ under a turn.
void TurnContext::Finished() {
  instance_.finished.store(true);
}

void TurnContext::Publish() {
  Counters& counters = instance_.counters;
  if (received_) counters.received.fetch_add(received_, std::memory_order_relaxed);
  if (emitted_) counters.emitted.fetch_add(emitted_, std::memory_order_relaxed);
  if (errors_) counters.errors.fetch_add(errors_, std::memory_order_relaxed);
  for (std::size_t i = 0; i < ignored_.size(); ++i) {
    if (ignored_[i]) counters.ignored[i].fetch_add(ignored_[i], std::memory_order_relaxed);
    ignored_[i] = 0;
  }
  received_ = emitted_ = errors_ = 0;
}

}  // namespace internal

void RuntimeCopy::RunTurn(Instance& instance) {
  // Reused across turns of this worker: no allocation per turn once warm.
  thread_local std::vector<Event> batch;
  thread_local std::vector<Event> outbox;
  std::int64_t consumed = 0;
  {
    std::lock_guard turn(instance.turn_mutex);
    TurnContext context(*this, instance, outbox);
    if (!instance.started) StartInstance(instance, context);
    bool acted = false;
    if (instance.state_timer_due.exchange(false)) {
      Recompute(instance, context);
      if (!stopping_.load()) {
        engine_.timers().Schedule(
            &instance, internal::kStateTimer,
            engine_.clock().Now() + instance.node->definition->state.collect_local.update.duration,
            this);
      }
    }
    if (instance.actor_timer_due.load() && !instance.parked.load()) {
      if (stopping_.load()) {
        instance.actor_timer_due.store(false);
      } else if (OverBudget()) {
        Park(instance);
      } else {
        instance.actor_timer_due.store(false);
        context.Guard([&] { instance.actor->OnTimer(context); });
        acted = true;
      }
    }
    {
      std::lock_guard lock(instance.mailbox_mutex);
      auto take = std::min<std::size_t>(instance.mailbox.size(), options_.max_batch);
      auto end = instance.mailbox.begin() + static_cast<std::ptrdiff_t>(take);
      batch.assign(std::make_move_iterator(instance.mailbox.begin()), std::make_move_iterator(end));
      instance.mailbox.erase(instance.mailbox.begin(), end);
      instance.queued.store(static_cast<std::int64_t>(instance.mailbox.size()));
    }
    for (const Event& event : batch) ProcessEvent(instance, context, event);
    consumed = static_cast<std::int64_t>(batch.size());
    if (consumed > 0 || acted) context.Guard([&] { instance.actor->OnTurnEnd(context); });
  }
  batch.clear();
  std::int64_t delivered = Deliver(*instance.node, outbox);
  if (delivered != consumed) AdjustQueued(delivered - consumed);
  FinishTurn(instance);
}

void RuntimeCopy::StartInstance(Instance& instance, TurnContext& context) {
  instance.started = true;
  context.Guard([&] { instance.actor->OnStart(context); });
  const definition::StateFunction& collect_local = instance.node->definition->state.collect_local;
  if (instance.node->stateful && collect_local.enabled &&
      collect_local.update.kind == Kind::kDuration && !stopping_.load()) {
    engine_.timers().Schedule(&instance, internal::kStateTimer,
                              engine_.clock().Now() + collect_local.update.duration, this);
  }
}

void RuntimeCopy::ProcessEvent(Instance& instance, TurnContext& context, const Event& event) {
  context.BeginEvent();
  context.CountReceived(1);
  bool ok = context.Guard([&] { instance.actor->OnEvent(event, context); });
  if (!ok || !instance.node->stateful) return;
  const definition::StateDefinition& state = instance.node->definition->state;
  if (state.calc_local) context.Guard([&] { instance.actor->UpdateState(event); });
  if (!state.collect_local.enabled) return;
  const definition::StateUpdate& update = state.collect_local.update;
  auto keep = [&](std::int64_t limit) {
    instance.recent.push_back(event);
    limit = std::min(limit, options_.max_state_events);
    while (static_cast<std::int64_t>(instance.recent.size()) > std::max<std::int64_t>(limit, 1)) {
      instance.recent.pop_front();
    }
  };
  switch (update.kind) {
    case Kind::kEveryEvent:
      // Recomputing over every event so far on each event is the incremental update.
      if (!state.calc_local) context.Guard([&] { instance.actor->UpdateState(event); });
      break;
    case Kind::kEventCount:
      keep(update.count);
      if (++instance.since_recompute >= update.count) {
        Recompute(instance, context);
        instance.recent.clear();
        instance.since_recompute = 0;
      }
      break;
    case Kind::kSlidingWindow:
      keep(update.size);
      if (++instance.since_recompute >= update.slide) {
        Recompute(instance, context);
        instance.since_recompute = 0;
      }
      break;
    case Kind::kDuration:
      keep(options_.max_state_events);
      break;
  }
}

// collect-local: the state becomes what the kept events make of a fresh one. A duration batch
// starts over after each recompute.
void RuntimeCopy::Recompute(Instance& instance, TurnContext& context) {
  context.Guard([&] {
    instance.actor->ResetState();
    for (const Event& event : instance.recent) instance.actor->UpdateState(event);
  });
  if (instance.node->definition->state.collect_local.update.kind == Kind::kDuration) {
    instance.recent.clear();
  }
}

void RuntimeCopy::OnTimerDue(Instance& instance, int kind) {
  if (stopping_.load()) return;
  if (kind == internal::kStateTimer) {
    instance.state_timer_due.store(true);
  } else {
    instance.actor_timer_due.store(true);  // before disarming: never seen as neither
    instance.actor_timer_armed.store(false);
  }
  Schedule(instance);
}

std::optional<Json> RuntimeCopy::Collect(TurnContext& context, std::string_view alias,
                                         const Event& trigger) {
  Instance& self = context.instance();
  for (const internal::ResolvedCollect& collect : self.node->collects) {
    if (collect.alias != alias) continue;
    ActorNode& source = *collect.source;
    Instance* from = nullptr;
    if (source.grouped) {
      from = InstanceForKey(source, trigger, /*create=*/false);
    } else {
      from =
          source.instances[static_cast<std::size_t>(self.actor_copy - 1) % source.instances.size()]
              .get();
    }
    if (!from) return std::nullopt;
    const Json* state = context.CachedState(from);
    if (!state) {
      Json value;
      try {
        if (from == &self) {
          value = self.actor->State();
        } else {
          std::lock_guard lock(from->turn_mutex);
          value = from->actor->State();
        }
      } catch (const std::exception& e) {
        source.RecordError(e.what());
        return std::nullopt;
      }
      state = &context.CacheState(from, std::move(value));
    }
    if (!state->is_object()) return std::nullopt;
    auto found = state->find(collect.field);
    if (found == state->end() || found->is_null()) return std::nullopt;
    return *found;
  }
  return std::nullopt;
}

}  // namespace coral::engine
