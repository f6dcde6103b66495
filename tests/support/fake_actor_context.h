// An ActorContext for unit tests of single actors: records what the actor emits, ignores and
// fails, serves collected values from a map, and runs on a clock the test moves by hand.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/actor.h"
#include "actors/registry.h"
#include "definition/param_reader.h"

namespace coral::testing {

class FakeActorContext : public actors::ActorContext {
 public:
  void Emit(Event event) override { emitted.push_back(std::move(event)); }
  std::optional<Json> Collect(std::string_view alias, const Event& /*trigger*/) override {
    auto it = collected.find(std::string(alias));
    if (it == collected.end()) return std::nullopt;
    return it->second;
  }
  void Ignore(actors::IgnoreReason reason) override { ignored.push_back(reason); }
  void Fail(std::string_view what) override { failures.emplace_back(what); }
  actors::Clock::time_point Now() override { return now; }
  void StartTimer(std::chrono::nanoseconds delay) override { timer = now + delay; }
  void Finished() override { finished = true; }

  // Moves the clock forward and fires the pending timer while it is due (as the engine would).
  void Advance(actors::Actor& actor, std::chrono::nanoseconds by) {
    auto until = now + by;
    while (timer && *timer <= until) {
      now = std::chrono::time_point_cast<actors::Clock::duration>(*timer);
      timer.reset();
      actor.OnTimer(*this);
    }
    now = std::chrono::time_point_cast<actors::Clock::duration>(until);
  }

  // The emitted events as JSON text, for compact assertions.
  std::vector<std::string> EmittedText() const {
    std::vector<std::string> out;
    for (const Event& event : emitted) out.emplace_back(event.bytes());
    return out;
  }

  std::vector<Event> emitted;
  std::vector<actors::IgnoreReason> ignored;
  std::vector<std::string> failures;
  std::map<std::string, Json> collected;
  actors::Clock::time_point now{std::chrono::seconds(1'700'000'000)};
  std::optional<actors::Clock::time_point> timer;
  bool finished = false;
};

// An event from JSON text (test input is trusted).
inline Event Ev(std::string_view text) { return *Event::Parse(text); }

}  // namespace coral::testing
