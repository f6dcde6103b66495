// The `sample` actor type: passes each event on, unchanged, with probability `fraction`.
//
// With `seed` the choice of events is reproducible (see actors/random.h; the first copy uses the
// seed itself, other copies fixed seeds derived from it). fraction 0 passes nothing, 1 everything.
#include <memory>

#include "actors/actor_type.h"
#include "actors/random.h"

namespace coral::actors {
namespace {

using definition::ParamReader;

struct SampleConfig {
  double fraction = 0;
  std::optional<std::uint64_t> seed;
};

class SampleActor : public Actor {
 public:
  SampleActor(std::shared_ptr<const SampleConfig> config, const ActorEnv& env)
      : fraction_(config->fraction),
        random_(Random::SeedForCopy(config->seed ? *config->seed : Random::SeedFromDevice(), env)) {
  }

  void OnEvent(const Event& event, ActorContext& context) override {
    if (random_.Uniform() < fraction_) context.Emit(event);
  }

 private:
  double fraction_;
  Random random_;
};

ActorCreator Configure(ParamReader& params) {
  auto config = std::make_shared<SampleConfig>();
  const definition::Node* found = params.Get("fraction");
  config->fraction = params.Number("fraction");
  if (found && found->AsNumber() && (config->fraction < 0 || config->fraction > 1)) {
    params.Error("fraction", fmt::format("must be from 0 to 1 (0.25 passes a quarter of the "
                                         "events), found {}",
                                         found->text()));
  }
  config->seed = ReadSeed(params);
  if (!params.Finish()) return nullptr;
  return [config = std::shared_ptr<const SampleConfig>(std::move(config))](const ActorEnv& env) {
    return std::make_unique<SampleActor>(config, env);
  };
}

}  // namespace

extern const ActorType kSampleType;
const ActorType kSampleType{
    .name = "sample",
    .summary =
        "passes each event on unchanged with probability `fraction` (reproducible with "
        "`seed`)",
    .configure = Configure,
};

}  // namespace coral::actors
