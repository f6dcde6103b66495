// The `linearregression` actor type: scores each event with a linear model and emits the event
// plus the score.
//
//   params: {weights: {age: 0.3, income.monthly: 0.001}, intercept: -2, outcome: risk}
//
// outcome = intercept + sum(weight * value of the feature field). Weights are keyed by field path
// (`a.b`, `a[0]`, `a['b c']`). An event missing a feature, or whose feature is not a number, is
// not emitted and is counted as ignored with the reason. `outcome` is a top-level key (default
// "score"); an existing field of that name is replaced in place. A whole-number result is written
// as a JSON integer.
#include <cmath>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "actors/actor_type.h"
#include "actors/json_values.h"
#include "common/text.h"

namespace coral::actors {
namespace {

using definition::Node;
using definition::ParamReader;

struct Feature {
  FieldPath path;
  double weight = 0;
};

struct LinearModel {
  std::vector<Feature> features;
  double intercept = 0;
  std::string outcome;
};

class LinearRegressionActor final : public Actor {
 public:
  explicit LinearRegressionActor(std::shared_ptr<const LinearModel> model)
      : model_(std::move(model)) {}

  void OnEvent(const Event& event, ActorContext& context) override {
    const Json& value = event.value();
    double score = model_->intercept;
    for (const Feature& feature : model_->features) {
      auto number = NumberIn(value, feature.path);
      if (const auto* reason = std::get_if<IgnoreReason>(&number)) {
        context.Ignore(*reason);
        return;
      }
      score += feature.weight * std::get<double>(number);
    }
    if (!std::isfinite(score)) {
      context.Ignore(IgnoreReason::kNotFinite);
      return;
    }
    context.Emit(WithField(event, model_->outcome, NumberJson(score)));
  }

 private:
  std::shared_ptr<const LinearModel> model_;
};

void ReadWeights(ParamReader& params, LinearModel& model) {
  const Node* weights = params.Object("weights");
  if (!weights) return;
  if (weights->entries().empty()) {
    params.Error("weights",
                 "is empty; give each feature field its weight, such as {age: 0.3, income: 0.001}");
    return;
  }
  for (const Node::Entry& entry : weights->entries()) {
    std::string path = definition::JoinPath(params.PathOf("weights"), entry.key);
    std::string error;
    std::optional<FieldPath> field = FieldPath::Parse(entry.key, &error);
    if (!field) {
      params.ErrorAt(
          entry.value, path,
          fmt::format("{} is not a valid field path: {}", QuoteForMessage(entry.key), error));
    } else if (field->IsWholeEvent()) {
      params.ErrorAt(entry.value, path,
                     "`*` is the whole event, not a number; name a numeric field such as `age`");
    }
    std::optional<double> weight = entry.value.AsNumber();
    if (!weight) {
      params.ErrorAt(entry.value, path,
                     fmt::format("expected a number (the weight of this feature), found {}",
                                 entry.value.Describe()));
    }
    if (field && weight) model.features.push_back({std::move(*field), *weight});
  }
}

ActorCreator Configure(ParamReader& params) {
  auto model = std::make_shared<LinearModel>();
  ReadWeights(params, *model);
  model->intercept = params.Number("intercept");
  model->outcome = params.OptionalString("outcome").value_or("score");
  if (model->outcome.empty()) {
    params.Error("outcome", "is empty; name the field that receives the score, such as `score`");
  }
  if (!params.Finish()) return nullptr;
  return [model = std::shared_ptr<const LinearModel>(std::move(model))](const ActorEnv& /*env*/) {
    return std::make_unique<LinearRegressionActor>(model);
  };
}

}  // namespace

extern const ActorType kLinearRegressionType;
const ActorType kLinearRegressionType{
    .name = "linearregression",
    .summary =
        "emits the event plus `outcome` = intercept + sum of weight * field (a linear model)",
    .configure = Configure,
};

}  // namespace coral::actors
