// The `zscore` actor type: passes on outliers. An event is an outlier when the collected count is
// over 20 and its number at `field` is above avg + score * std (avg, std and count are collected,
// usually from a `stats` actor). Outliers go out with `"outlier": true` added (replacing any
// `outlier` field they had); other events are not emitted.
//
// While the collected count is 20 or less no event is an outlier, whatever avg and std are (a
// `stats` source reports null for them before its first value). A count, avg or std that is not
// available, or not a number when it is needed, is counted as "no collected state".
#include <memory>

#include "actors/actor_type.h"

namespace coral::actors {
namespace {

using definition::ParamReader;

constexpr double kMinCount = 20;  // outliers only once count > 20

struct ZscoreConfig {
  FieldPath field;
  double score = 0;
};

std::optional<double> CollectNumber(ActorContext& context, std::string_view alias,
                                    const Event& trigger) {
  std::optional<Json> value = context.Collect(alias, trigger);
  if (!value || !value->is_number()) return std::nullopt;
  return value->get<double>();
}

class ZscoreActor : public Actor {
 public:
  explicit ZscoreActor(std::shared_ptr<const ZscoreConfig> config) : config_(std::move(config)) {}

  void OnEvent(const Event& event, ActorContext& context) override {
    std::optional<double> value = event.NumberAt(config_->field);
    if (!value) {
      std::optional<Json> found = event.ValueAt(config_->field);
      context.Ignore(!found               ? IgnoreReason::kMissingField
                     : found->is_number() ? IgnoreReason::kNotFinite
                                          : IgnoreReason::kWrongType);
      return;
    }
    std::optional<double> count = CollectNumber(context, "count", event);
    if (!count) {
      context.Ignore(IgnoreReason::kNoCollectedState);
      return;
    }
    if (*count <= kMinCount) return;
    std::optional<double> avg = CollectNumber(context, "avg", event);
    std::optional<double> sd = CollectNumber(context, "std", event);
    if (!avg || !sd) {
      context.Ignore(IgnoreReason::kNoCollectedState);
      return;
    }
    if (*value > *avg + config_->score * *sd) {
      Json out = event.value();
      out["outlier"] = true;
      context.Emit(Event::FromJson(std::move(out)));
    }
  }

 private:
  std::shared_ptr<const ZscoreConfig> config_;
};

ActorCreator Configure(ParamReader& params) {
  auto config = std::make_shared<ZscoreConfig>();
  config->field = params.Path("field");
  config->score = params.Number("score");
  if (!params.Finish()) return nullptr;
  return [config = std::shared_ptr<const ZscoreConfig>(std::move(config))](
             const ActorEnv& /*env*/) { return std::make_unique<ZscoreActor>(config); };
}

constexpr std::string_view kCollectAliases[] = {"count", "avg", "std"};

}  // namespace

extern const ActorType kZscoreType;
const ActorType kZscoreType{
    .name = "zscore",
    .summary =
        "passes on, with \"outlier\": true, events whose `field` is above avg + score * std "
        "(collected count, avg, std; count > 20)",
    .collect_aliases = kCollectAliases,
    .configure = Configure,
};

}  // namespace coral::actors
