// Builds one actor instance from a type name and YAML params, the way the validator and engine
// would, so actor tests read as "params in, events in, events out".
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "actors/registry.h"
#include "definition/param_reader.h"
#include "definition/reader.h"
#include "support/fake_actor_context.h"

namespace coral::testing {

struct Configured {
  actors::ActorCreator create;  // empty when params were rejected
  definition::Diagnostics diagnostics;
  // All messages joined, for CHECK(... .find("...") != npos) style assertions.
  std::string Messages() const {
    std::string out;
    for (const auto& d : diagnostics.all()) out += d.path + ": " + d.message + "\n";
    return out;
  }
};

// Runs the type's configure on `params_yaml` ("" for no params).
inline Configured Configure(std::string_view type_name, std::string_view params_yaml) {
  Configured result;
  const actors::ActorType* type = actors::FindActorType(type_name);
  REQUIRE_MESSAGE(type != nullptr, "unknown actor type ", type_name);
  REQUIRE_MESSAGE(static_cast<bool>(type->configure), "actor type without configure: ", type_name);
  std::optional<definition::Node> node;
  if (!params_yaml.empty()) {
    node = definition::ReadDocument(params_yaml, result.diagnostics);
    REQUIRE_MESSAGE(node.has_value(), "test params do not parse: ", params_yaml);
  }
  definition::ParamReader reader(node ? &*node : nullptr, "actors[0].params", {1, 1},
                                 result.diagnostics);
  result.create = type->configure(reader);
  return result;
}

// Configures and creates; fails the test when the params are rejected.
inline std::unique_ptr<actors::Actor> MakeActor(std::string_view type_name,
                                                std::string_view params_yaml,
                                                actors::ActorEnv env = {}) {
  Configured configured = Configure(type_name, params_yaml);
  REQUIRE_MESSAGE(configured.create, "params rejected: ", configured.Messages());
  if (env.actor_name.empty()) env.actor_name = std::string(type_name);
  if (env.runtime_name.empty()) env.runtime_name = "test-runtime";
  return configured.create(env);
}

}  // namespace coral::testing
