// The `stats` actor type: running count, mean, population standard deviation, minimum and maximum
// of the number at `field`. Emits nothing; other actors `collect` its state.
//
// Welford's algorithm keeps the mean and the sum of squared deviations (m2) stable over long
// runs. OnEvent only counts events it cannot use (missing field, wrong type); the engine calls
// UpdateState after OnEvent (calc-local) or over a batch (collect-local), which skips them
// silently, since it has no context to count them with.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>

#include "actors/actor_type.h"

namespace coral::actors {
namespace {

using definition::ParamReader;

class StatsActor : public Actor {
 public:
  explicit StatsActor(std::shared_ptr<const FieldPath> field) : field_(std::move(field)) {}

  void OnEvent(const Event& event, ActorContext& context) override {
    if (event.NumberAt(*field_)) return;
    std::optional<Json> found = event.ValueAt(*field_);
    if (!found) {
      context.Ignore(IgnoreReason::kMissingField);
    } else if (found->is_number()) {
      context.Ignore(IgnoreReason::kNotFinite);
    } else {
      context.Ignore(IgnoreReason::kWrongType);
    }
  }

  void UpdateState(const Event& event) override {
    std::optional<double> value = event.NumberAt(*field_);
    if (!value) return;
    ++count_;
    double delta = *value - mean_;
    mean_ += delta / static_cast<double>(count_);
    m2_ += delta * (*value - mean_);
    min_ = count_ == 1 ? *value : std::min(min_, *value);
    max_ = count_ == 1 ? *value : std::max(max_, *value);
  }

  void ResetState() override {
    count_ = 0;
    mean_ = m2_ = min_ = max_ = 0;
  }

  Json State() const override {
    Json state = Json::object();
    state["count"] = count_;
    if (count_ == 0) {
      state["avg"] = nullptr;
      state["sd"] = nullptr;
      state["min"] = nullptr;
      state["max"] = nullptr;
    } else {
      state["avg"] = mean_;
      state["sd"] = std::sqrt(std::max(0.0, m2_ / static_cast<double>(count_)));
      state["min"] = min_;
      state["max"] = max_;
    }
    return state;
  }

  // Takes back a State() snapshot. A snapshot that does not have that shape resets the state.
  void RestoreState(const Json& snapshot) override {
    ResetState();
    if (!snapshot.is_object()) return;
    auto number = [&](const char* key) -> std::optional<double> {
      auto it = snapshot.find(key);
      if (it == snapshot.end() || !it->is_number()) return std::nullopt;
      return it->get<double>();
    };
    auto count = snapshot.find("count");
    if (count == snapshot.end() || !count->is_number_integer() || count->get<std::int64_t>() <= 0) {
      return;
    }
    auto n = count->get<std::uint64_t>();
    auto avg = number("avg");
    auto sd = number("sd");
    auto min = number("min");
    auto max = number("max");
    if (!avg || !sd || !min || !max) return;
    count_ = n;
    mean_ = *avg;
    m2_ = *sd * *sd * static_cast<double>(n);
    min_ = *min;
    max_ = *max;
  }

 private:
  std::shared_ptr<const FieldPath> field_;
  std::uint64_t count_ = 0;
  double mean_ = 0;
  double m2_ = 0;
  double min_ = 0;
  double max_ = 0;
};

ActorCreator Configure(ParamReader& params) {
  auto field = std::make_shared<const FieldPath>(params.Path("field"));
  if (!params.Finish()) return nullptr;
  return [field](const ActorEnv& /*env*/) { return std::make_unique<StatsActor>(field); };
}

constexpr std::string_view kStateFields[] = {"count", "avg", "sd", "min", "max"};

}  // namespace

extern const ActorType kStatsType;
const ActorType kStatsType{
    .name = "stats",
    .summary =
        "keeps count, avg, sd (population), min and max of the number at `field`; emits "
        "nothing",
    .stateful = true,
    .state_fields = kStateFields,
    .configure = Configure,
};

}  // namespace coral::actors
