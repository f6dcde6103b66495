// The `minmax` actor type: emits each event with the number at `field` clamped to [min, max].
//
//   params: {field: reading.celsius, min: -40, max: 60}
//
// An event whose value is already inside the range is passed on as the same handle (not
// re-serialised). An event without the field, or with a value that is not a number, is not emitted
// and is counted as ignored with the reason. A clamped whole-number bound is written as a JSON
// integer (150 clamped to max 100 gives 100, not 100.0).
#include <cmath>
#include <memory>

#include <fmt/format.h>

#include "actors/actor_type.h"
#include "actors/json_values.h"

namespace coral::actors {
namespace {

using definition::ParamReader;

struct MinMaxConfig {
  FieldPath field;
  double min = 0;
  double max = 0;
};

class MinMaxActor final : public Actor {
 public:
  explicit MinMaxActor(std::shared_ptr<const MinMaxConfig> config) : config_(std::move(config)) {}

  void OnEvent(const Event& event, ActorContext& context) override {
    auto number = NumberIn(event.value(), config_->field);
    if (const auto* reason = std::get_if<IgnoreReason>(&number)) {
      context.Ignore(*reason);
      return;
    }
    double value = std::get<double>(number);
    if (value >= config_->min && value <= config_->max) {
      context.Emit(event);
      return;
    }
    Json copy = event.value();
    *MutableAt(copy, config_->field) =
        NumberJson(value < config_->min ? config_->min : config_->max);
    context.Emit(Event::FromJson(std::move(copy)));
  }

 private:
  std::shared_ptr<const MinMaxConfig> config_;
};

ActorCreator Configure(ParamReader& params) {
  auto config = std::make_shared<MinMaxConfig>();
  config->field = params.Path("field");
  if (config->field.IsWholeEvent()) {
    params.Error("field", "`*` is the whole event, not a number; name a numeric field");
  }
  int errors_before = params.diagnostics().errors();
  config->min = params.Number("min");
  config->max = params.Number("max");
  bool bounds_read = params.diagnostics().errors() == errors_before;
  if (bounds_read && config->min > config->max) {
    params.Error("max",
                 fmt::format("must be at least `min` ({}), found {}; swap them or raise `max`",
                             config->min, config->max));
  }
  if (!params.Finish()) return nullptr;
  return [config = std::shared_ptr<const MinMaxConfig>(std::move(config))](
             const ActorEnv& /*env*/) { return std::make_unique<MinMaxActor>(config); };
}

}  // namespace

extern const ActorType kMinMaxType;
const ActorType kMinMaxType{
    .name = "minmax",
    .summary = "emits the event with the number at `field` clamped to [min, max]",
    .configure = Configure,
};

}  // namespace coral::actors
