// What an actor is, seen from the engine, and what the engine offers an actor.
//
// Threading contract: the engine calls an Actor from one thread at a time (its turn), so an actor
// needs no locks of its own. State() may be called from another actor's turn (collect) and from
// API threads; the engine serialises those calls with the actor's turn.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "actors/pending_outputs.h"
#include "common/error.h"
#include "event/event.h"

namespace coral::actors {

// Why an actor could not act on an event. Counted per actor; shown in stats.
enum class IgnoreReason {
  kMissingField,       // a field the actor needs is absent
  kWrongType,          // present but of the wrong type (a string where a number is needed, null)
  kNotFinite,          // NaN or infinity where a number is needed
  kMissingGroupField,  // `group.by` field absent: no instance can take the event
  kNoCollectedState,   // a collected value is not available (yet)
  kCount
};
std::string_view IgnoreReasonName(IgnoreReason reason);  // "missing field", ...

using Clock = std::chrono::system_clock;

// Where `log` actors write. In `coral run`, stdout; in corald, files under the data directory.
class LineSink {
 public:
  virtual ~LineSink() = default;
  // Appends complete lines ("...\n"); thread-safe; may block while the output is slow.
  virtual void WriteLines(std::string_view lines) = 0;
  virtual void Flush() = 0;
};

// What an actor instance gets when it is created.
struct ActorEnv {
  std::string runtime_name;  // the unique name `<owner>-<name>`
  std::string actor_name;
  int runtime_copy = 1;                       // 1-based
  int actor_copy = 1;                         // 1-based, among `copies`
  std::shared_ptr<LineSink> standard_output;  // for `log` without `file`
  // Turns a `log.file` parameter into the path to open (relative paths, allowed directories).
  std::function<Result<std::filesystem::path>(std::string_view file)> resolve_log_file;
  // For sources that commit their input once it is handled (kafka-consumer), empty/null outside
  // a runtime copy: events admitted to the copy and not yet fully processed (all turns they
  // caused included), the copy's budget of such events, and the copy's asynchronous outputs.
  std::function<std::int64_t()> queued_events;
  std::int64_t queue_budget = 0;
  std::shared_ptr<PendingOutputs> pending_outputs;
};

// The engine's side of an actor turn.
class ActorContext {
 public:
  virtual ~ActorContext() = default;
  // Sends `event` on every outgoing link (after the turn's trigger and state update).
  virtual void Emit(Event event) = 0;
  // The value of `alias` from the `collect` list, read from the source actor's current state (for
  // a grouped source, the instance whose group value equals `trigger`'s). nullopt when the
  // source has no such value yet.
  virtual std::optional<Json> Collect(std::string_view alias, const Event& trigger) = 0;
  virtual void Ignore(IgnoreReason reason) = 0;
  // Counts an error: the actor could not handle the event (I/O failure, remote error...).
  virtual void Fail(std::string_view what) = 0;
  virtual Clock::time_point Now() = 0;
  // Asks for one OnTimer call after `delay` (engine timer service, injectable clock). A second
  // call replaces a pending timer.
  virtual void StartTimer(std::chrono::nanoseconds delay) = 0;
  // This actor will produce nothing more on its own (a bounded generator is done).
  virtual void Finished() = 0;
  // What keeps this actor from working right now (e.g. "broker down: ..."), or "" once it works
  // again. Unlike Fail, a condition rather than an event: shown as `trouble` in the actor's stats
  // and, while any actor has one, the runtime's health is "degraded".
  virtual void SetTrouble(std::string_view /*what*/) {}
};

class Actor {
 public:
  virtual ~Actor() = default;
  virtual void OnStart(ActorContext& /*context*/) {}
  // The trigger: one event arrived on a link (or was posted over HTTP).
  virtual void OnEvent(const Event& event, ActorContext& context) = 0;
  virtual void OnTimer(ActorContext& /*context*/) {}
  // The engine has handed this actor a batch of events and is about to move on: the moment to
  // flush output buffered during the batch (log writes one block per batch, not one per event).
  virtual void OnTurnEnd(ActorContext& /*context*/) {}
  // The runtime is stopping: flush buffered output.
  virtual void OnStop(ActorContext& /*context*/) {}

  // State: what `GET .../actors/<a>/state` shows and what others `collect`.
  virtual Json State() const { return Json::object(); }
  // Event-derived state (types with `stateful`): the engine calls UpdateState per the `state`
  // functions -- after OnEvent for calc-local, over a batch of recent events for collect-local
  // (after ResetState).
  virtual void UpdateState(const Event& /*event*/) {}
  virtual void ResetState() {}
  // Puts back a snapshot taken from State() (daemon restart).
  virtual void RestoreState(const Json& /*snapshot*/) {}
};

}  // namespace coral::actors
