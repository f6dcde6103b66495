// The `threshold` actor type: passes an event on, unchanged, when the number at `key` is at least
// `threshold`.
//
// On the benchmark's hot path: the number is read with Event::NumberAt, which walks only the keys
// on the path in the original bytes, and a passing event is emitted as the same handle (never
// re-serialised). Only an event that is not passed on for want of a number is parsed fully, to
// tell a missing field from a value of the wrong type.
#include <cmath>
#include <memory>

#include "actors/actor_type.h"

namespace coral::actors {
namespace {

using definition::ParamReader;

struct ThresholdConfig {
  FieldPath key;
  double threshold = 0;
};

class ThresholdActor : public Actor {
 public:
  explicit ThresholdActor(std::shared_ptr<const ThresholdConfig> config)
      : config_(std::move(config)) {}

  void OnEvent(const Event& event, ActorContext& context) override {
    if (std::optional<double> value = event.NumberAt(config_->key)) {
      if (*value >= config_->threshold) context.Emit(event);
      return;
    }
    std::optional<Json> found = event.ValueAt(config_->key);
    if (!found) {
      context.Ignore(IgnoreReason::kMissingField);
    } else if (found->is_number()) {
      context.Ignore(IgnoreReason::kNotFinite);  // e.g. 1e999, which reads as infinity
    } else {
      context.Ignore(IgnoreReason::kWrongType);  // a string, boolean, null, object or list
    }
  }

 private:
  std::shared_ptr<const ThresholdConfig> config_;
};

ActorCreator Configure(ParamReader& params) {
  auto config = std::make_shared<ThresholdConfig>();
  config->key = params.Path("key");
  config->threshold = params.Number("threshold");
  if (!params.Finish()) return nullptr;
  return [config = std::shared_ptr<const ThresholdConfig>(std::move(config))](
             const ActorEnv& /*env*/) { return std::make_unique<ThresholdActor>(config); };
}

}  // namespace

extern const ActorType kThresholdType;
const ActorType kThresholdType{
    .name = "threshold",
    .summary = "passes an event on unchanged when the number at `key` is at least `threshold`",
    .configure = Configure,
};

}  // namespace coral::actors
