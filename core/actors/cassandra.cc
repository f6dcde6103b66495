// The `cassandra` actor type (optional): runs a CQL query and emits {success, data}.
//
//   params: {seeds: [db1, db2], keyspace: shop, port: 9042, user: coral, password: s3cret,
//            query: "SELECT * FROM orders"}
//
// This build checks the parameters only: the Cassandra driver is not part of it, so creating an
// instance throws, and the engine reports that error for the runtime.
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "actors/actor_type.h"
#include "common/text.h"

namespace coral::actors {
namespace {

using definition::Node;
using definition::ParamReader;

struct CassandraConfig {
  std::vector<std::string> seeds;
  std::string keyspace;
  int port = 9042;
  std::optional<std::string> user;
  std::optional<std::string> password;
  std::optional<std::string> query;
};

void ReadSeeds(ParamReader& params, CassandraConfig& config) {
  const Node* seeds = params.List("seeds");
  if (!seeds) return;
  if (seeds->items().empty()) {
    params.Error("seeds", "is empty; list at least one host to contact, such as [db1.example.com]");
    return;
  }
  for (std::size_t i = 0; i < seeds->items().size(); ++i) {
    const Node& seed = seeds->items()[i];
    std::string path = definition::IndexPath(params.PathOf("seeds"), i);
    if (!seed.IsScalar() || seed.IsNull() || seed.text().empty() ||
        seed.text().find_first_of(" \t/") != std::string::npos) {
      params.ErrorAt(seed, path,
                     fmt::format("expected a host name or address such as db1.example.com, "
                                 "found {}",
                                 seed.Describe()));
      continue;
    }
    config.seeds.push_back(seed.text());
  }
}

ActorCreator Configure(ParamReader& params) {
  auto config = std::make_shared<CassandraConfig>();
  ReadSeeds(params, *config);
  bool has_keyspace = params.Has("keyspace");
  config->keyspace = params.String("keyspace");
  bool identifier =
      !config->keyspace.empty() && config->keyspace.size() <= 48 &&
      std::isalpha(static_cast<unsigned char>(config->keyspace.front())) &&
      config->keyspace.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string::npos;
  if (has_keyspace && !identifier) {
    params.Error("keyspace",
                 fmt::format("{} is not a keyspace name; use up to 48 letters, digits and _, "
                             "starting with a letter",
                             QuoteForMessage(config->keyspace)));
  }
  if (params.Has("port")) config->port = static_cast<int>(params.Integer("port", 1, 65535));
  params.Get("port");
  config->user = params.OptionalString("user");
  config->password = params.OptionalString("password");
  if (config->password && !config->user) {
    params.Error("password", "is given without `user`; add `user:` or remove `password`");
  }
  config->query = params.OptionalString("query");
  if (config->query && config->query->empty()) {
    params.Error("query", "is empty; write the CQL statement to run, or leave `query` out");
  }
  if (!params.Finish()) return nullptr;
  return [config = std::shared_ptr<const CassandraConfig>(std::move(config))](
             const ActorEnv& /*env*/) -> std::unique_ptr<Actor> {
    throw std::runtime_error(
        "the cassandra actor is optional and not included in this build of Coral (it was built "
        "without a Cassandra driver)");
  };
}

}  // namespace

extern const ActorType kCassandraType;
const ActorType kCassandraType{
    .name = "cassandra",
    .summary = "runs a CQL query and emits {success, data} (optional; not included in this build)",
    .configure = Configure,
};

}  // namespace coral::actors
