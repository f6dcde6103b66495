#include "definition/state_rules.h"

#include <fmt/format.h>

#include "definition/param_reader.h"

namespace coral::definition {
namespace {

constexpr const char* kUpdateForms =
    "`{event-count: N}`, `{duration: {hours, minutes, seconds}}` or "
    "`{sliding-window: {size, slide}}`";

// Reads `update`: exactly one of the three forms.
std::optional<StateUpdate> ReadUpdate(const Node& update, const std::string& path,
                                      Diagnostics& diagnostics) {
  if (!update.IsMap()) {
    diagnostics.Error(path, update.position(),
                      fmt::format("expected one of {}, found {}", kUpdateForms, update.Describe()));
    return std::nullopt;
  }
  ParamReader reader(&update, path, update.position(), diagnostics);
  int forms = reader.Has("event-count") + reader.Has("duration") + reader.Has("sliding-window");
  if (forms != 1) {
    reader.Error("", forms == 0 ? fmt::format("says nothing about when to update; write one of {}",
                                              kUpdateForms)
                                : "event-count, duration and sliding-window are mutually "
                                  "exclusive; keep exactly one");
    reader.Get("event-count"), reader.Get("duration"), reader.Get("sliding-window");
    reader.Finish();
    return std::nullopt;
  }
  StateUpdate result;
  if (reader.Has("event-count")) {
    result.kind = StateUpdate::Kind::kEventCount;
    result.count = reader.Integer("event-count", 1, 1'000'000'000);
  } else if (reader.Has("duration")) {
    result.kind = StateUpdate::Kind::kDuration;
    ParamReader duration = reader.Nested("duration", true);
    double hours = duration.OptionalNumber("hours").value_or(0);
    double minutes = duration.OptionalNumber("minutes").value_or(0);
    double seconds = duration.OptionalNumber("seconds").value_or(0);
    duration.CheckRange("hours", hours, 0, 24 * 365);
    duration.CheckRange("minutes", minutes, 0, 1e7);
    duration.CheckRange("seconds", seconds, 0, 1e9);
    double total = hours * 3600 + minutes * 60 + seconds;
    if (duration.ok() && total < 0.001) {
      duration.Error("", "the duration is zero; give hours, minutes or seconds above 0");
    }
    result.duration = std::chrono::milliseconds(static_cast<std::int64_t>(total * 1000));
    duration.Finish();
  } else {
    result.kind = StateUpdate::Kind::kSlidingWindow;
    ParamReader window = reader.Nested("sliding-window", true);
    result.size = window.Integer("size", 1, 10'000'000);
    result.slide = window.Integer("slide", 1, 10'000'000);
    if (window.ok() && result.slide > result.size) {
      window.Error("slide", fmt::format("slide ({}) is larger than size ({}); events between "
                                        "windows would never count -- make slide at most size",
                                        result.slide, result.size));
    }
    window.Finish();
  }
  if (!reader.Finish()) return std::nullopt;
  return result;
}

// `true`, `false`, or `{enabled, update}`.
StateFunction ReadFunction(const Node& node, const std::string& path, bool needs_update,
                           Diagnostics& diagnostics) {
  StateFunction function;
  if (auto flag = node.AsBool()) {
    function.enabled = *flag;
    if (function.enabled && needs_update) {
      function.update = {StateUpdate::Kind::kEventCount, kDefaultCollectLocalEventCount};
    }
    return function;
  }
  if (!node.IsMap()) {
    diagnostics.Error(path, node.position(),
                      fmt::format("expected true, false or `{{enabled: true, update: ...}}`, "
                                  "found {}",
                                  node.Describe()));
    return function;
  }
  ParamReader reader(&node, path, node.position(), diagnostics);
  function.enabled = reader.Bool("enabled", true);
  if (const Node* update = reader.Get("update")) {
    if (auto parsed = ReadUpdate(*update, path + ".update", diagnostics)) function.update = *parsed;
  } else if (function.enabled && needs_update) {
    function.update = {StateUpdate::Kind::kEventCount, kDefaultCollectLocalEventCount};
  }
  reader.Finish();
  return function;
}

}  // namespace

void CheckState(const Node& actor, const std::string& actor_path, ActorDefinition& definition,
                Diagnostics& diagnostics) {
  const Node* state = actor.Find("state");
  bool stateful = definition.type && definition.type->stateful;
  definition.state.calc_local = stateful;
  if (!state || state->IsNull()) return;
  std::string path = actor_path + ".state";
  if (!state->IsMap()) {
    diagnostics.Error(path, state->position(),
                      fmt::format("expected a mapping of state functions (calc-local, "
                                  "collect-local, ...), found {}",
                                  state->Describe()));
    return;
  }
  if (definition.type && !stateful) {
    diagnostics.Warning(path, state->position(),
                        fmt::format("a {} actor keeps no event state; `state` is ignored",
                                    definition.type->name));
    return;
  }
  ParamReader reader(state, path, state->position(), diagnostics);
  definition.state.calc_local = reader.Bool("calc-local", true);
  StateDefinition& result = definition.state;
  if (const Node* node = reader.Get("collect-local")) {
    result.collect_local = ReadFunction(*node, path + ".collect-local", true, diagnostics);
  }
  for (auto [key, target] : {std::pair{"log-batch", &result.log_batch},
                             std::pair{"spark-batch", &result.spark_batch}}) {
    const Node* node = reader.Get(key);
    if (!node) continue;
    *target = ReadFunction(*node, JoinPath(path, key), false, diagnostics);
    if (!target->enabled) continue;
    if (!definition.log_incoming) {
      reader.Error(key, fmt::format("{} recomputes state from the event log, which needs "
                                    "`log: {{incoming: true}}` on this actor",
                                    key));
    }
    reader.Error(key, fmt::format("{} is not available yet in this version of Coral; use "
                                  "`collect-local` with the same `update` instead",
                                  key));
  }
  if (reader.ok() && stateful && !result.calc_local && !result.collect_local.enabled &&
      !result.log_batch.enabled && !result.spark_batch.enabled) {
    reader.Error("", fmt::format("every state function is off, so this {} actor would never "
                                 "have state; turn on `calc-local` or `collect-local`",
                                 definition.type->name));
  }
  reader.Finish();
}

}  // namespace coral::definition
