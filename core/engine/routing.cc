// Routing events to instances, scheduling turns, and the copy's queue budget.
#include <unordered_map>

#include "engine/actor_node.h"
#include "engine/runtime_copy.h"

namespace coral::engine {

using internal::ActorNode;
using internal::Instance;

namespace internal {

std::string GroupKey(const FieldPath& path, const Event& event) {
  // KeyAt reads only the path from the bytes: no whole-event parse per routed event.
  return event.KeyAt(path).value_or(std::string());
}

}  // namespace internal

// Hands the turn's emitted events to every link; clears `outbox`. Returns how many events were
// queued in all (an event sent on two links counts twice).
std::int64_t RuntimeCopy::Deliver(ActorNode& from, std::vector<Event>& outbox) {
  std::int64_t delivered = 0;
  if (!outbox.empty()) {
    for (std::size_t i = 0; i < from.targets.size(); ++i) {
      bool last = i + 1 == from.targets.size();
      delivered += Route(*from.targets[i], last ? std::move(outbox) : outbox);
    }
  }
  outbox.clear();
  return delivered;
}

// Puts `events` in the mailboxes of `target`'s instances. Returns how many were queued; the
// others (no group field, no instance) are counted on the node.
std::int64_t RuntimeCopy::Route(ActorNode& target, std::vector<Event> events) {
  auto count = static_cast<std::int64_t>(events.size());
  if (events.empty()) return 0;
  if (!target.grouped) {
    std::size_t copies = target.instances.size();
    if (copies == 1) {
      Push(*target.instances[0], events);
      return count;
    }
    std::uint64_t next = target.next_copy.fetch_add(events.size(), std::memory_order_relaxed);
    std::vector<std::vector<Event>> per_copy(copies);
    for (Event& event : events) per_copy[next++ % copies].push_back(std::move(event));
    for (std::size_t i = 0; i < copies; ++i) {
      if (!per_copy[i].empty()) Push(*target.instances[i], per_copy[i]);
    }
    return count;
  }
  // Grouped: keep each key's events in order, one push per instance.
  std::vector<Instance*> order;
  std::unordered_map<Instance*, std::vector<Event>> per_instance;
  std::int64_t queued = 0;
  for (Event& event : events) {
    Instance* instance = InstanceForKey(target, event, /*create=*/true);
    if (!instance) continue;
    auto [it, inserted] = per_instance.try_emplace(instance);
    if (inserted) order.push_back(instance);
    it->second.push_back(std::move(event));
    ++queued;
  }
  for (Instance* instance : order) Push(*instance, per_instance[instance]);
  return queued;
}

// The instance of a grouped `node` for `event`'s group value; with `create`, made on first
// sight (and counted on the node when the event has no group value or creation fails).
Instance* RuntimeCopy::InstanceForKey(ActorNode& node, const Event& event, bool create) {
  std::string key = internal::GroupKey(*node.definition->group_by, event);
  if (key.empty()) {
    if (create) node.missing_group_field.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  {
    std::shared_lock lock(node.group_mutex);
    auto found = node.by_key.find(key);
    if (found != node.by_key.end()) return found->second;
  }
  if (!create) return nullptr;
  auto made = NewInstance(node, 1, key);
  if (!made.ok()) {
    node.router_errors.fetch_add(1, std::memory_order_relaxed);
    node.RecordError(made.error().message);
    return nullptr;
  }
  return made.value();
}

void RuntimeCopy::Push(Instance& instance, std::vector<Event>& events) {
  {
    std::lock_guard lock(instance.mailbox_mutex);
    for (Event& event : events) instance.mailbox.push_back(std::move(event));
    instance.queued.store(static_cast<std::int64_t>(instance.mailbox.size()));
  }
  events.clear();
  Schedule(instance);
}

void RuntimeCopy::Schedule(Instance& instance) {
  if (instance.scheduled.exchange(true)) return;
  busy_.fetch_add(1);
  engine_.workers().Schedule(&instance);
}

bool RuntimeCopy::HasWork(const Instance& instance) const {
  return instance.queued.load() > 0 || instance.state_timer_due.load() ||
         (instance.actor_timer_due.load() && !instance.parked.load());
}

void RuntimeCopy::FinishTurn(Instance& instance) {
  instance.scheduled.store(false);
  if (HasWork(instance)) Schedule(instance);
  // The last touch of this copy by the turn: under state_mutex_, so that the destructor, which
  // waits for busy_ == 0 under the same mutex, cannot free the copy before we are out.
  std::lock_guard lock(state_mutex_);
  if (busy_.fetch_sub(1) == 1) state_changed_.notify_all();
}

void RuntimeCopy::AdjustQueued(std::int64_t delta) {
  std::int64_t now = queued_.fetch_add(delta) + delta;
  if (delta < 0 && now <= low_watermark_) {
    if (parked_count_.load() > 0) UnparkAll();
    if (state_waiters_.load() > 0) NotifyState();
  }
}

// Admits `count` events when they fit in the budget, else waits until they do (see the header).
bool RuntimeCopy::AdmitOrWait(std::int64_t count) {
  std::int64_t budget = options_.queue_budget;
  auto try_admit = [&] {
    std::int64_t current = queued_.load();
    while (current + count <= budget || current == 0) {
      if (queued_.compare_exchange_weak(current, current + count)) return true;
    }
    return false;
  };
  if (try_admit()) return !interrupted_.load();
  std::unique_lock lock(state_mutex_);
  state_waiters_.fetch_add(1);
  bool admitted = false;
  while (!interrupted_.load() && !(admitted = try_admit())) state_changed_.wait(lock);
  state_waiters_.fetch_sub(1);
  if (admitted && interrupted_.load()) {
    lock.unlock();
    AdjustQueued(-count);
    return false;
  }
  return admitted;
}

void RuntimeCopy::Park(Instance& instance) {
  {
    std::lock_guard lock(parked_mutex_);
    instance.parked.store(true);
    parked_.push_back(&instance);
    parked_count_.fetch_add(1);
  }
  // The queue may have drained between our check and the parking: do not sleep on a wake-up
  // that already went by.
  if (!OverBudget()) UnparkAll();
}

void RuntimeCopy::UnparkAll() {
  std::vector<Instance*> parked;
  {
    std::lock_guard lock(parked_mutex_);
    parked.swap(parked_);
    parked_count_.store(0);
    for (Instance* instance : parked) instance->parked.store(false);
  }
  for (Instance* instance : parked) Schedule(*instance);
}

void RuntimeCopy::NotifyState() {
  std::lock_guard lock(state_mutex_);
  state_changed_.notify_all();
}

}  // namespace coral::engine
