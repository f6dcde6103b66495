// The `function` actor type: evaluates an expression per event and emits the event plus the
// result.
//
//   params: {function: "price * quantity * (1 - discount)", outputfield: total}
//
// The expression language is in actors/expression.h; it is parsed once, at definition time, and
// a syntax error names the column and what was expected there. An event for which the expression
// has no value (a missing field, an operand of the wrong type, division by zero) is not emitted
// and is counted as ignored with the reason. `outputfield` is a top-level key; an existing field of
// that name is replaced in place.
#include <memory>

#include <fmt/format.h>

#include "actors/actor_type.h"
#include "actors/expression.h"
#include "actors/json_values.h"
#include "common/text.h"

namespace coral::actors {
namespace {

using definition::ParamReader;

struct FunctionConfig {
  Expression expression;
  std::string output;
};

class FunctionActor final : public Actor {
 public:
  explicit FunctionActor(std::shared_ptr<const FunctionConfig> config)
      : config_(std::move(config)) {}

  void OnEvent(const Event& event, ActorContext& context) override {
    auto result = config_->expression.Evaluate(event.value());
    if (const auto* reason = std::get_if<IgnoreReason>(&result)) {
      context.Ignore(*reason);
      return;
    }
    context.Emit(WithField(event, config_->output, std::get<Json>(std::move(result))));
  }

 private:
  std::shared_ptr<const FunctionConfig> config_;
};

ActorCreator Configure(ParamReader& params) {
  bool present = params.Has("function");
  std::string text = params.String("function");
  std::optional<Expression> expression;
  if (present) {
    auto parsed = Expression::Parse(text);
    if (auto* error = std::get_if<ExpressionError>(&parsed)) {
      params.Error("function", fmt::format("at column {} of {}: {}", error->column,
                                           QuoteForMessage(text, 80), error->message));
    } else {
      expression = std::get<Expression>(std::move(parsed));
    }
  }
  std::string output = params.String("outputfield");
  if (params.Has("outputfield") && output.empty()) {
    params.Error("outputfield", "is empty; name the field that receives the result");
  }
  if (!params.Finish() || !expression) return nullptr;
  auto config = std::make_shared<const FunctionConfig>(
      FunctionConfig{std::move(*expression), std::move(output)});
  return [config](const ActorEnv& /*env*/) { return std::make_unique<FunctionActor>(config); };
}

}  // namespace

extern const ActorType kFunctionType;
const ActorType kFunctionType{
    .name = "function",
    .summary = "emits the event plus `outputfield` = an expression over its fields",
    .configure = Configure,
};

}  // namespace coral::actors
