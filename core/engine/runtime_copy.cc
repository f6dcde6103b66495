#include "engine/runtime_copy.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "engine/actor_node.h"
#include "engine/stats.h"
#include "engine/turn_context.h"

namespace coral::engine {

using internal::ActorNode;
using internal::Instance;
using internal::TurnContext;

RuntimeCopy::RuntimeCopy(Engine& engine,
                         std::shared_ptr<const definition::RuntimeDefinition> definition,
                         RuntimeCopyOptions options)
    : engine_(engine), definition_(std::move(definition)), options_(std::move(options)) {
  if (options_.runtime_name.empty()) options_.runtime_name = definition_->name;
  options_.queue_budget = std::max<std::int64_t>(options_.queue_budget, 2);
  options_.max_batch = std::max(options_.max_batch, 1);
  options_.max_state_events = std::max<std::int64_t>(options_.max_state_events, 1);
  low_watermark_ = options_.queue_budget / 2;
}

Result<std::unique_ptr<RuntimeCopy>> RuntimeCopy::Create(
    Engine& engine, std::shared_ptr<const definition::RuntimeDefinition> definition,
    RuntimeCopyOptions options) {
  std::unique_ptr<RuntimeCopy> copy(
      new RuntimeCopy(engine, std::move(definition), std::move(options)));
  Status built = copy->Build();
  if (!built.ok()) return built.error();
  return copy;
}

namespace {

// Names the actors of a collect cycle, or returns empty when there is none.
std::string CollectCycle(const std::vector<std::unique_ptr<ActorNode>>& nodes) {
  enum Mark { kNew, kOpen, kDone };
  std::vector<Mark> marks(nodes.size(), kNew);
  std::vector<const ActorNode*> path;
  std::string cycle;
  std::function<bool(const ActorNode&)> visit = [&](const ActorNode& node) {
    marks[node.index] = kOpen;
    path.push_back(&node);
    for (const auto& collect : node.collects) {
      if (marks[collect.source->index] == kOpen) {
        auto start = std::find(path.begin(), path.end(), collect.source);
        for (auto it = start; it != path.end(); ++it) cycle += "`" + (*it)->name() + "` -> ";
        cycle += "`" + collect.source->name() + "`";
        return true;
      }
      if (marks[collect.source->index] == kNew && visit(*collect.source)) return true;
    }
    path.pop_back();
    marks[node.index] = kDone;
    return false;
  };
  for (const auto& node : nodes) {
    if (marks[node->index] == kNew && visit(*node)) break;
  }
  return cycle;
}

}  // namespace

Status RuntimeCopy::Build() {
  const auto& actors = definition_->actors;
  std::map<std::string, ActorNode*, std::less<>> by_name;
  for (std::size_t i = 0; i < actors.size(); ++i) {
    auto node = std::make_unique<ActorNode>();
    node->definition = &actors[i];
    node->index = i;
    node->stateful = actors[i].type && actors[i].type->stateful;
    node->grouped = actors[i].group_by.has_value();
    node->source = true;
    node->fed = std::find(options_.fed_actors.begin(), options_.fed_actors.end(), actors[i].name) !=
                options_.fed_actors.end();
    by_name[actors[i].name] = node.get();
    nodes_.push_back(std::move(node));
  }
  for (const definition::LinkDefinition& link : definition_->links) {
    auto from = by_name.find(link.from);
    auto to = by_name.find(link.to);
    if (from == by_name.end() || to == by_name.end()) {
      return Error{ErrorCode::kInvalidDefinition,
                   fmt::format("link {} -> {} names an unknown actor", link.from, link.to)};
    }
    from->second->targets.push_back(to->second);
    to->second->source = false;
  }
  for (const auto& node : nodes_) {
    for (const definition::CollectDefinition& collect : node->definition->collect) {
      auto source = by_name.find(collect.from);
      if (source == by_name.end()) {
        return Error{
            ErrorCode::kInvalidDefinition,
            fmt::format("actor `{}` collects from unknown actor `{}`", node->name(), collect.from)};
      }
      node->collects.push_back({collect.alias, source->second, collect.field});
    }
  }
  if (std::string cycle = CollectCycle(nodes_); !cycle.empty()) {
    return Error{ErrorCode::kInvalidDefinition,
                 fmt::format("actors collect from each other in a cycle ({}); a collect chain "
                             "must end at an actor that collects nothing",
                             cycle)};
  }
  // Stop order: Kahn's topological order over links; actors on link cycles come last, in
  // definition order.
  std::vector<int> incoming(nodes_.size(), 0);
  for (const auto& node : nodes_) {
    for (ActorNode* target : node->targets) ++incoming[target->index];
  }
  std::vector<bool> placed(nodes_.size(), false);
  for (bool progress = true; progress;) {
    progress = false;
    for (const auto& node : nodes_) {
      if (placed[node->index] || incoming[node->index] > 0) continue;
      placed[node->index] = true;
      progress = true;
      stop_order_.push_back(node.get());
      for (ActorNode* target : node->targets) --incoming[target->index];
    }
  }
  for (const auto& node : nodes_) {
    if (!placed[node->index]) stop_order_.push_back(node.get());
  }
  // Instances (grouped actors get theirs on first sight).
  for (const auto& node : nodes_) {
    if (node->grouped) continue;
    int copies = std::max(node->definition->copies, 1);
    for (int c = 1; c <= copies; ++c) {
      auto made = NewInstance(*node, c, {});
      if (!made.ok()) return made.error();
    }
  }
  return {};
}

Result<Instance*> RuntimeCopy::NewInstance(ActorNode& node, int actor_copy, std::string group_key) {
  const definition::ActorDefinition& definition = *node.definition;
  if (!definition.create) {
    return Error{ErrorCode::kInternal,
                 fmt::format("actor `{}`: type `{}` cannot create instances", definition.name,
                             definition.type ? definition.type->name : "?")};
  }
  actors::ActorEnv env;
  env.runtime_name = options_.runtime_name;
  env.actor_name = definition.name;
  env.runtime_copy = options_.copy;
  env.actor_copy = actor_copy;
  env.standard_output = options_.standard_output;
  env.resolve_log_file = options_.resolve_log_file;
  env.queued_events = [this] { return queued_.load(); };
  env.queue_budget = options_.queue_budget;
  env.pending_outputs = pending_outputs_;
  if (!env.resolve_log_file) {
    env.resolve_log_file = [](std::string_view file) -> Result<std::filesystem::path> {
      return std::filesystem::path(file);
    };
  }
  std::unique_lock<std::shared_mutex> group_lock;
  if (node.grouped) {
    group_lock = std::unique_lock(node.group_mutex);
    auto found = node.by_key.find(group_key);
    if (found != node.by_key.end()) return found->second;
  }
  auto instance = std::make_unique<Instance>();
  instance->copy = this;
  instance->node = &node;
  instance->actor_copy = actor_copy;
  instance->group_key = std::move(group_key);
  try {
    instance->actor = definition.create(env);
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInternal, fmt::format("actor `{}`: {}", definition.name, e.what())};
  }
  if (!instance->actor) {
    return Error{ErrorCode::kInternal,
                 fmt::format("actor `{}`: its type created no instance", definition.name)};
  }
  Instance* raw = instance.get();
  if (node.grouped) {
    node.by_key.emplace(raw->group_key, raw);
    node.grouped_instances.push_back(std::move(instance));
  } else {
    node.instances.push_back(std::move(instance));
  }
  return raw;
}

RuntimeCopy::~RuntimeCopy() {
  Stop();
  engine_.timers().CancelOwner(this);
  std::unique_lock lock(state_mutex_);
  state_changed_.wait(lock, [&] { return busy_.load() == 0; });
}

ActorNode* RuntimeCopy::FindNode(std::string_view actor) const {
  for (const auto& node : nodes_) {
    if (node->name() == actor) return node.get();
  }
  return nullptr;
}

Status RuntimeCopy::Start() {
  if (started_.exchange(true)) {
    return Error{ErrorCode::kConflict, "the runtime copy was already started"};
  }
  for (const auto& node : nodes_) {
    for (Instance* instance : node->AllInstances()) Schedule(*instance);
  }
  return {};
}

void RuntimeCopy::Interrupt() {
  interrupted_.store(true);
  NotifyState();
}

void RuntimeCopy::Stop() {
  std::lock_guard stop_lock(stop_mutex_);
  if (stopped_ || !started_.load()) return;
  stopping_.store(true);
  Interrupt();
  engine_.timers().CancelOwner(this);
  {
    std::lock_guard lock(parked_mutex_);
    for (Instance* instance : parked_) instance->parked.store(false);
    parked_.clear();
    parked_count_.store(0);
  }
  WaitIdle();
  std::vector<Event> outbox;
  for (ActorNode* node : stop_order_) {
    for (Instance* instance : node->AllInstances()) {
      {
        std::lock_guard turn(instance->turn_mutex);
        TurnContext context(*this, *instance, outbox);
        if (!instance->started) StartInstance(*instance, context);
        context.Guard([&] { instance->actor->OnStop(context); });
      }
      std::int64_t delivered = Deliver(*node, outbox);
      if (delivered) AdjustQueued(delivered);
    }
    WaitIdle();
  }
  engine_.timers().CancelOwner(this);
  stopped_ = true;
}

Status RuntimeCopy::Inject(std::string_view actor, std::vector<Event> events) {
  if (!started_.load()) return Error{ErrorCode::kConflict, "the runtime copy is not started"};
  ActorNode* node = FindNode(actor);
  if (!node) return Error{ErrorCode::kNotFound, fmt::format("no actor is named `{}`", actor)};
  auto chunk = static_cast<std::size_t>(std::max<std::int64_t>(options_.queue_budget / 2, 1));
  for (std::size_t begin = 0; begin < events.size(); begin += chunk) {
    std::size_t end = std::min(events.size(), begin + chunk);
    auto count = static_cast<std::int64_t>(end - begin);
    if (!AdmitOrWait(count)) {
      return Error{ErrorCode::kUnavailable,
                   fmt::format("runtime `{}` is stopping", options_.runtime_name)};
    }
    std::vector<Event> part;
    if (begin == 0 && end == events.size()) {
      part = std::move(events);
    } else {
      part.assign(std::make_move_iterator(events.begin() + static_cast<std::ptrdiff_t>(begin)),
                  std::make_move_iterator(events.begin() + static_cast<std::ptrdiff_t>(end)));
    }
    std::int64_t queued = Route(*node, std::move(part));
    if (queued != count) AdjustQueued(queued - count);
    if (begin == 0 && end == events.size()) break;  // `events` was moved from
  }
  return {};
}

Result<std::vector<Event>> RuntimeCopy::Shunt(std::string_view actor, const Event& event) {
  if (!started_.load() || stopping_.load()) {
    return Error{ErrorCode::kConflict, "the runtime copy is not running"};
  }
  ActorNode* node = FindNode(actor);
  if (!node) return Error{ErrorCode::kNotFound, fmt::format("no actor is named `{}`", actor)};
  Instance* instance = nullptr;
  if (node->grouped) {
    instance = InstanceForKey(*node, event, /*create=*/true);
    if (!instance) return std::vector<Event>{};  // counted on the node
  } else {
    std::uint64_t next = node->next_copy.fetch_add(1, std::memory_order_relaxed);
    instance = node->instances[next % node->instances.size()].get();
  }
  std::vector<Event> emitted;
  std::lock_guard turn(instance->turn_mutex);
  TurnContext context(*this, *instance, emitted);
  if (!instance->started) StartInstance(*instance, context);
  ProcessEvent(*instance, context, event);
  context.Guard([&] { instance->actor->OnTurnEnd(context); });
  return emitted;
}

namespace {

std::string DisplayKey(const std::string& key) {
  Json value = Json::parse(key, nullptr, /*allow_exceptions=*/false);
  return value.is_string() ? value.get<std::string>() : key;
}

Json StateOf(const Instance& instance) {
  std::lock_guard turn(instance.turn_mutex);
  try {
    return instance.actor->State();
  } catch (const std::exception& e) {
    return Json{{"error", e.what()}};
  }
}

// The first trouble among `instances`; "" when none has one.
std::string NodeTrouble(const std::vector<Instance*>& instances) {
  for (const Instance* instance : instances) {
    if (!instance->troubled.load(std::memory_order_acquire)) continue;
    std::lock_guard lock(instance->trouble_mutex);
    if (!instance->trouble.empty()) return instance->trouble;
  }
  return {};
}

Json NodeStats(const ActorNode& node) {
  std::uint64_t received = node.missing_group_field.load() + node.router_errors.load();
  std::uint64_t emitted = 0, errors = node.router_errors.load(), ignored_total = 0;
  std::int64_t queued = 0;
  std::array<std::uint64_t, internal::kIgnoreReasons> ignored{};
  ignored[static_cast<std::size_t>(actors::IgnoreReason::kMissingGroupField)] =
      node.missing_group_field.load();
  std::vector<Instance*> instances = node.AllInstances();
  for (const Instance* instance : instances) {
    received += instance->counters.received.load(std::memory_order_relaxed);
    emitted += instance->counters.emitted.load(std::memory_order_relaxed);
    errors += instance->counters.errors.load(std::memory_order_relaxed);
    queued += instance->queued.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < ignored.size(); ++i) {
      ignored[i] += instance->counters.ignored[i].load(std::memory_order_relaxed);
    }
  }
  Json by_reason = Json::object();
  for (std::size_t i = 0; i < ignored.size(); ++i) {
    ignored_total += ignored[i];
    if (ignored[i]) {
      by_reason[std::string(actors::IgnoreReasonName(static_cast<actors::IgnoreReason>(i)))] =
          ignored[i];
    }
  }
  Json stats = {{"instances", instances.size()},
                {"received", received},
                {"emitted", emitted},
                {"ignored", ignored_total},
                {"ignoredBy", by_reason},
                {"errors", errors},
                {"queued", queued}};
  if (std::string trouble = NodeTrouble(instances); !trouble.empty()) stats["trouble"] = trouble;
  if (node.has_error.load(std::memory_order_acquire)) {
    std::lock_guard lock(node.error_mutex);
    stats["lastError"] = node.last_error;
  }
  return stats;
}

}  // namespace

Result<Json> RuntimeCopy::ActorState(std::string_view actor) const {
  ActorNode* node = FindNode(actor);
  if (!node) return Error{ErrorCode::kNotFound, fmt::format("no actor is named `{}`", actor)};
  if (node->grouped) {
    Json states = Json::object();
    for (const Instance* instance : node->AllInstances()) {
      states[DisplayKey(instance->group_key)] = StateOf(*instance);
    }
    return states;
  }
  if (node->instances.size() == 1) return StateOf(*node->instances[0]);
  Json states = Json::array();
  for (const auto& instance : node->instances) states.push_back(StateOf(*instance));
  return states;
}

Result<Json> RuntimeCopy::ActorStats(std::string_view actor) const {
  ActorNode* node = FindNode(actor);
  if (!node) return Error{ErrorCode::kNotFound, fmt::format("no actor is named `{}`", actor)};
  return NodeStats(*node);
}

std::vector<std::pair<std::string, std::string>> RuntimeCopy::Troubles() const {
  std::vector<std::pair<std::string, std::string>> troubles;
  for (const auto& node : nodes_) {
    std::string trouble = NodeTrouble(node->AllInstances());
    if (!trouble.empty()) troubles.emplace_back(node->name(), std::move(trouble));
  }
  return troubles;
}

Json RuntimeCopy::Stats() const {
  Json counters = Json::object();
  Json total = ZeroActorStats();
  for (const auto& node : nodes_) {
    Json stats = NodeStats(*node);
    for (const char* key : {"instances", "received", "emitted", "ignored", "errors", "queued"}) {
      total[key] = total[key].get<std::int64_t>() + stats[key].get<std::int64_t>();
    }
    for (const auto& [reason, count] : stats["ignoredBy"].items()) {
      total["ignoredBy"][reason] =
          total["ignoredBy"].value(reason, std::int64_t{0}) + count.get<std::int64_t>();
    }
    counters[node->name()] = std::move(stats);
  }
  Json result = {{"totalActors", total["instances"]},
                 {"totalMessages", total["received"]},
                 {"totalExceptions", total["errors"]}};
  counters["total"] = std::move(total);
  result["counters"] = std::move(counters);
  return result;
}

namespace {

// condition_variable::wait_until with "no deadline" spelled as time_point::max().
template <typename Predicate>
bool WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
               std::chrono::steady_clock::time_point deadline, Predicate predicate) {
  if (deadline == std::chrono::steady_clock::time_point::max()) {
    cv.wait(lock, predicate);
    return true;
  }
  return cv.wait_until(lock, deadline, predicate);
}

}  // namespace

bool RuntimeCopy::Idle() const {
  return busy_.load() == 0 && queued_.load() == 0;
}

bool RuntimeCopy::WaitIdle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(state_mutex_);
  state_waiters_.fetch_add(1);
  bool idle = WaitUntil(state_changed_, lock, deadline, [&] { return Idle(); });
  state_waiters_.fetch_sub(1);
  return idle;
}

bool RuntimeCopy::AllSourcesFinished() const {
  for (const auto& node : nodes_) {
    if (!node->source || node->fed) continue;
    for (const Instance* instance : node->AllInstances()) {
      if (instance->finished.load()) continue;
      // Under the turn mutex a turn is not half-way between taking a due timer and arming the
      // next one.
      std::lock_guard turn(instance->turn_mutex);
      if (instance->finished.load()) continue;
      if (!instance->started || instance->actor_timer_armed.load() ||
          instance->actor_timer_due.load()) {
        return false;
      }
    }
  }
  return true;
}

bool RuntimeCopy::WaitFinished(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(state_mutex_);
  state_waiters_.fetch_add(1);
  WaitUntil(state_changed_, lock, deadline,
            [&] { return interrupted_.load() || (AllSourcesFinished() && Idle()); });
  state_waiters_.fetch_sub(1);
  return AllSourcesFinished() && Idle();
}

}  // namespace coral::engine
