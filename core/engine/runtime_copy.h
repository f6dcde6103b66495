// One runtime copy: the actor instances of a definition, their mailboxes and links, running on an
// Engine's workers. Several copies of one definition live side by side, each independent.
//
// Per event an instance runs its trigger (OnEvent), then its state functions (types with
// `stateful`: calc-local -> UpdateState; collect-local -> ResetState + UpdateState over its own
// recent events, per the StateUpdate rule), and what it emitted goes on its links. A turn takes a
// batch of up to `max_batch` queued events, holds the instance's turn mutex for the batch (so
// State() reads -- collect, API -- are serialised with turns; no global lock), calls OnTurnEnd,
// then hands the emitted events on, one mailbox lock per destination instance per batch.
//
// Back-pressure (bounded memory, no deadlock): each copy has a budget of queued events (events
// admitted and not yet fully processed). Admission happens only at the sources: Inject waits
// while the copy is over budget, and an OnTimer (generators, windows) due while the copy is over
// budget is deferred until the queue has drained to half the budget. Sends between actors never
// block, so workers never wait on each other; the budget bounds what sources add, and internal
// fan-out can add at most the graph's amplification of it. Nothing is dropped silently: events
// an actor cannot take (a missing `group.by` field) are counted as ignored.
//
// Actor routing: `copies` sit behind a round-robin router, each copy with its own state; a
// grouped actor has one instance per distinct `group.by` value, created on first sight (for a
// grouped actor `copies` does not apply: each key has exactly one home). Collecting from an actor
// with copies reads the copy with the collector's copy number (modulo the source's copies).
//
// Not done here yet: log-batch / spark-batch state functions and `log.incoming/outgoing` (they
// need the store), and `distribution` placement (see copy_router.h for the seam).
//
// Thread-safety: every public method may be called from any thread, except where REQUIRES says.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "actors/actor.h"
#include "common/error.h"
#include "definition/model.h"
#include "engine/engine.h"
#include "event/event.h"

namespace coral::engine {

namespace internal {
struct ActorNode;
struct Instance;
class TurnContext;
}  // namespace internal

struct RuntimeCopyOptions {
  // The runtime's unique name `<owner>-<name>`, passed to every actor. Default: the definition's
  // name.
  std::string runtime_name;
  int copy = 1;  // 1-based index of this copy among the runtime's copies
  // Standard output for `log` actors without `file` (buffered, thread-safe). Default: none.
  std::shared_ptr<actors::LineSink> standard_output;
  // Turns a `log.file` into the path to open. Default: the path as written.
  std::function<Result<std::filesystem::path>(std::string_view file)> resolve_log_file;
  // Events queued in the copy above which sources wait (see above). Default: 32768.
  std::int64_t queue_budget = 32768;
  // Events an instance takes per turn. Default: 1024.
  int max_batch = 1024;
  // At most this many recent events are kept per instance for collect-local (the oldest go
  // first when an event-count, window or duration batch is larger). Default: 100000.
  std::int64_t max_state_events = 100000;
  // Actors fed from outside (e.g. `coral run --into`): not waited for by AllSourcesFinished.
  std::vector<std::string> fed_actors;
};

class RuntimeCopy {
 public:
  // Builds every instance (not grouped ones: those come on first sight). Returns an error when
  // an actor's create throws or returns nothing (its message, naming the actor), or when actors
  // collect from each other in a cycle (such reads could deadlock).
  // REQUIRES: `definition` is validated; `engine` outlives the copy.
  static Result<std::unique_ptr<RuntimeCopy>> Create(
      Engine& engine, std::shared_ptr<const definition::RuntimeDefinition> definition,
      RuntimeCopyOptions options);
  // Stops the copy if it is running, then waits until no turn of it runs.
  ~RuntimeCopy();
  RuntimeCopy(const RuntimeCopy&) = delete;
  RuntimeCopy& operator=(const RuntimeCopy&) = delete;

  // Runs OnStart of every instance (each in its first turn); timers start. Once only.
  Status Start();
  // Stops taking input and firing actor timers, drains every queue, then calls OnStop on each
  // actor in link order (sources first), delivering what each emits before the next stops.
  // Idempotent. A copy cannot be started again.
  void Stop();
  // Wakes every caller blocked in Inject or WaitFinished; from then on Inject fails. Safe from
  // a signal-handling thread (not from a signal handler).
  void Interrupt();

  // Queues `events` as triggers of `actor`, waiting while the copy is over its budget. Fails
  // with kNotFound for an unknown actor, kUnavailable once stopping or interrupted (events not
  // yet admitted are then not queued). REQUIRES: started.
  Status Inject(std::string_view actor, std::vector<Event> events);
  // Triggers `actor` with `event` in the caller's thread (in the instance's turn order, state
  // functions included) and returns what it emitted instead of sending it on its links.
  Result<std::vector<Event>> Shunt(std::string_view actor, const Event& event);

  // The actor's State(): one object; for copies > 1 an array (one per copy); for a grouped actor
  // an object from group value to state.
  Result<Json> ActorState(std::string_view actor) const;
  // The actor's counters summed over its instances:
  // {instances, received, emitted, ignored, ignoredBy: {reason: n}, errors, queued[, trouble]
  // [, lastError]}.
  Result<Json> ActorStats(std::string_view actor) const;
  // {totalActors, totalMessages, totalExceptions, counters: {<actor>: {...}, total: {...}}}:
  // instances, events received, errors (Fail and exceptions) -- the API's runtime stats shape.
  Json Stats() const;
  // The actors that have a trouble set (SetTrouble), actor name -> what; empty when all is well.
  // Cheap: no lock unless an instance has a trouble.
  std::vector<std::pair<std::string, std::string>> Troubles() const;

  // Snapshots for daemon restarts (snapshot.cc). Every instance's State():
  // [{"actor", "copy" (1-based actor copy), "key" (grouped: the group value's JSON text),
  // "state"}].
  Json SnapshotStates() const;
  // Calls RestoreState on the instances named in a SnapshotStates() array, creating grouped
  // instances by key; entries of actors not in the definition (or out-of-range copies) are
  // skipped. REQUIRES: not started.
  Status RestoreStates(const Json& snapshot);

  // Events admitted and not fully processed (what the budget bounds).
  std::int64_t queued() const { return queued_.load(); }
  // No queued event and no turn running or scheduled (pending timers do not count).
  bool Idle() const;
  // Blocks until Idle() or `deadline`; returns Idle().
  bool WaitIdle(std::chrono::steady_clock::time_point deadline =
                    std::chrono::steady_clock::time_point::max());
  // Every source actor (no link leads to it; not in `fed_actors`) is done in every instance: it
  // called Finished() (a bounded generator), or it has started and has no timer pending or due
  // (a passive actor produces nothing by itself). A source that produces from outside input must
  // keep a timer armed (e.g. to poll) until it is done.
  bool AllSourcesFinished() const;
  // Blocks until AllSourcesFinished() and Idle(), Interrupt() or `deadline`. Returns true when
  // finished and idle.
  bool WaitFinished(std::chrono::steady_clock::time_point deadline =
                        std::chrono::steady_clock::time_point::max());

  const definition::RuntimeDefinition& definition() const { return *definition_; }
  const RuntimeCopyOptions& options() const { return options_; }

 private:
  friend struct internal::Instance;
  friend class internal::TurnContext;

  RuntimeCopy(Engine& engine, std::shared_ptr<const definition::RuntimeDefinition> definition,
              RuntimeCopyOptions options);
  Status Build();
  internal::ActorNode* FindNode(std::string_view actor) const;
  Result<internal::Instance*> NewInstance(internal::ActorNode& node, int actor_copy,
                                          std::string group_key);

  // Turns (turn.cc).
  void RunTurn(internal::Instance& instance);
  void StartInstance(internal::Instance& instance, internal::TurnContext& context);
  void ProcessEvent(internal::Instance& instance, internal::TurnContext& context,
                    const Event& event);
  void Recompute(internal::Instance& instance, internal::TurnContext& context);
  void OnTimerDue(internal::Instance& instance, int kind);
  std::optional<Json> Collect(internal::TurnContext& context, std::string_view alias,
                              const Event& trigger);

  // Routing and scheduling (routing.cc).
  std::int64_t Route(internal::ActorNode& target, std::vector<Event> events);
  std::int64_t Deliver(internal::ActorNode& from, std::vector<Event>& outbox);
  void Push(internal::Instance& instance, std::vector<Event>& events);
  internal::Instance* InstanceForKey(internal::ActorNode& node, const Event& event, bool create);
  void Schedule(internal::Instance& instance);
  void FinishTurn(internal::Instance& instance);
  bool HasWork(const internal::Instance& instance) const;
  void AdjustQueued(std::int64_t delta);
  bool OverBudget() const { return queued_.load() >= options_.queue_budget; }
  bool AdmitOrWait(std::int64_t count);
  void Park(internal::Instance& instance);
  void UnparkAll();
  void NotifyState();

  Engine& engine_;
  std::shared_ptr<const definition::RuntimeDefinition> definition_;
  RuntimeCopyOptions options_;
  std::vector<std::unique_ptr<internal::ActorNode>> nodes_;  // definition order
  std::vector<internal::ActorNode*> stop_order_;             // sources first
  // Shared with every actor (ActorEnv): kafka-producers register, kafka-consumers wait on them.
  std::shared_ptr<actors::PendingOutputs> pending_outputs_ =
      std::make_shared<actors::PendingOutputs>();

  std::atomic<std::int64_t> queued_{0};
  std::atomic<std::int64_t> busy_{0};  // instances scheduled or running
  std::int64_t low_watermark_ = 0;

  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> interrupted_{false};
  std::mutex stop_mutex_;
  bool stopped_ = false;

  mutable std::mutex state_mutex_;  // with state_changed_: idle, finished, budget waits
  std::condition_variable state_changed_;
  std::atomic<int> state_waiters_{0};

  std::mutex parked_mutex_;
  std::vector<internal::Instance*> parked_;
  std::atomic<int> parked_count_{0};
};

}  // namespace coral::engine
