// The `window` actor type: collects events and emits them together as {"data": [...]}.
//
//   params: {method: count, number: 100, sliding: 10}   # the last 100 events, every 10 events
//   params: {method: time, number: 60000}               # each minute's events (tumbling)
//
// count: once `number` events have arrived, emits them, then again after every `sliding` further
//   events, each time the last `number` events. With sliding == number (the default) windows
//   tumble: every event is in exactly one window.
// time: every `sliding` milliseconds (default `number`), emits the events that arrived in the
//   last `number` milliseconds: the window ending at tick T holds the events that arrived in
//   [T - number, T); one arriving exactly at T belongs to the next window. A window with no events
//   emits nothing. Ticks lie on a fixed grid from the start (OnStart): a late timer emits the
//   windows that came due, each with its own events, and does not shift later ticks.
// Decisions: `sliding` must be from 1 to `number` (a larger slide would skip events); events of
// an incomplete count window are not emitted when the runtime stops; a time window keeps at most
// kMaxEvents events (beyond that the oldest is dropped and counted as a failure, so memory stays
// bounded). State: {method, number, sliding}.
#include <algorithm>
#include <array>
#include <deque>
#include <memory>
#include <ranges>
#include <string_view>

#include <fmt/format.h>

#include "actors/actor_type.h"

namespace coral::actors {
namespace {

using definition::ParamReader;

constexpr std::int64_t kMaxCount = 1'000'000;
constexpr std::int64_t kMaxMilliseconds = 86'400'000;  // one day
constexpr std::size_t kMaxEvents = 1'000'000;

struct WindowConfig {
  bool by_time = false;
  std::int64_t number = 1;
  std::int64_t sliding = 1;
};

// {"data":[e1,e2,...]} from the events' own bytes.
template <typename Range, typename Project>
void EmitWindow(const Range& events, Project bytes_of, ActorContext& context) {
  std::size_t size = 12;
  for (const auto& item : events) size += bytes_of(item).size() + 1;
  std::string out;
  out.reserve(size);
  out.append("{\"data\":[");
  bool first = true;
  for (const auto& item : events) {
    if (!first) out.push_back(',');
    first = false;
    out.append(bytes_of(item));
  }
  out.append("]}");
  std::string error;
  if (std::optional<Event> window = Event::Parse(out, &error)) {
    context.Emit(std::move(*window));
  } else {
    context.Fail(fmt::format("window: could not build the window event ({})", error));
  }
}

class WindowActor : public Actor {
 public:
  explicit WindowActor(std::shared_ptr<const WindowConfig> config) : config_(std::move(config)) {}

  Json State() const override {
    Json state = Json::object();
    state["method"] = config_->by_time ? "time" : "count";
    state["number"] = config_->number;
    state["sliding"] = config_->sliding;
    return state;
  }

 protected:
  std::shared_ptr<const WindowConfig> config_;
};

class CountWindowActor final : public WindowActor {
 public:
  using WindowActor::WindowActor;

  void OnEvent(const Event& event, ActorContext& context) override {
    events_.push_back(event);
    if (static_cast<std::int64_t>(events_.size()) < config_->number) return;
    EmitWindow(
        events_, [](const Event& e) { return e.bytes(); }, context);
    events_.erase(events_.begin(), events_.begin() + config_->sliding);
  }

 private:
  std::deque<Event> events_;
};

class TimeWindowActor final : public WindowActor {
 public:
  using WindowActor::WindowActor;

  void OnStart(ActorContext& context) override { Arm(context); }

  void OnEvent(const Event& event, ActorContext& context) override {
    if (!armed_) Arm(context);  // defensive: OnStart is the contract
    if (events_.size() >= kMaxEvents) {
      events_.pop_front();
      context.Fail(fmt::format(
          "window: more than {} events within {} ms; the oldest was dropped from the window",
          kMaxEvents, config_->number));
    }
    events_.push_back({context.Now(), event});
  }

  // Emits every window whose tick is due, on the grid origin + k * sliding, so a late timer
  // neither shifts later windows nor mixes in events that arrived after a window's end.
  void OnTimer(ActorContext& context) override {
    Clock::time_point now = context.Now();
    auto size = std::chrono::milliseconds(config_->number);
    while (next_tick_ <= now) {
      while (!events_.empty() && events_.front().at < next_tick_ - size) events_.pop_front();
      if (events_.empty()) break;
      if (events_.front().at >= next_tick_) {  // this window is empty: go to the next with events
        next_tick_ = TickAfter(events_.front().at);
        continue;
      }
      auto end = std::find_if(events_.begin(), events_.end(),
                              [this](const Timed& t) { return t.at >= next_tick_; });
      EmitWindow(
          std::ranges::subrange(events_.begin(), end),
          [](const Timed& t) { return t.event.bytes(); }, context);
      next_tick_ += std::chrono::milliseconds(config_->sliding);
    }
    if (next_tick_ <= now) next_tick_ = TickAfter(now);
    context.StartTimer(next_tick_ - now);
  }

 private:
  struct Timed {
    Clock::time_point at;
    Event event;
  };

  void Arm(ActorContext& context) {
    armed_ = true;
    origin_ = context.Now();
    next_tick_ = TickAfter(origin_);
    context.StartTimer(next_tick_ - origin_);
  }

  // The first tick strictly after `t` (t >= origin_).
  Clock::time_point TickAfter(Clock::time_point t) const {
    Clock::duration slide = std::chrono::milliseconds(config_->sliding);
    return origin_ + ((t - origin_) / slide + 1) * slide;
  }

  std::deque<Timed> events_;
  Clock::time_point origin_;
  Clock::time_point next_tick_;
  bool armed_ = false;
};

ActorCreator Configure(ParamReader& params) {
  auto config = std::make_shared<WindowConfig>();
  std::string method = params.Enum("method", {"count", "time"});
  config->by_time = method == "time";
  std::int64_t max = method == "count" ? kMaxCount : kMaxMilliseconds;
  std::string_view unit = method == "count" ? "events" : "milliseconds";
  int errors_before = params.diagnostics().errors();
  config->number = params.Integer("number", 1, max);
  bool number_ok = params.diagnostics().errors() == errors_before;
  config->sliding = config->number;
  if (const definition::Node* sliding = params.Get("sliding")) {
    std::optional<std::int64_t> value = sliding->AsInteger();
    if (!value) {
      params.Error("sliding",
                   fmt::format("expected a whole number of {} from 1 to `number`, found {}", unit,
                               sliding->Describe()));
    } else if (*value < 1 || (number_ok && *value > config->number)) {
      params.Error("sliding",
                   fmt::format("must be from 1 to `number` ({}), found {}; a window slides by at "
                               "most its own size (leave `sliding` out for windows that do not "
                               "overlap)",
                               config->number, *value));
    } else {
      config->sliding = *value;
    }
  }
  if (!params.Finish()) return nullptr;
  return [config = std::shared_ptr<const WindowConfig>(std::move(config))](
             const ActorEnv& /*env*/) -> std::unique_ptr<Actor> {
    if (config->by_time) return std::make_unique<TimeWindowActor>(config);
    return std::make_unique<CountWindowActor>(config);
  };
}

constexpr std::array<std::string_view, 3> kStateFields = {"method", "number", "sliding"};

}  // namespace

extern const ActorType kWindowType;
const ActorType kWindowType{
    .name = "window",
    .summary = "emits {\"data\": [...]} with the last `number` events or milliseconds of events",
    .stateful = false,
    .state_fields = kStateFields,
    .configure = Configure,
};

}  // namespace coral::actors
