#include <doctest/doctest.h>

#include <stdexcept>

#include "actors/diagnostic_checks.h"
#include "support/actor_harness.h"

namespace coral::testing {

TEST_SUITE("kafka actors") {
  TEST_CASE("consumer: valid params are accepted and an instance is created") {
    Configured configured =
        Configure("kafka-consumer",
                  R"({topic: heartbeats, kafka: {bootstrap.servers: "127.0.0.1:9092", group.id: g1,
            auto.offset.reset: earliest, enable.auto.commit: false, fetch.min.bytes: 1},
            dead-letter-topic: heartbeats.rejected})");
    REQUIRE_MESSAGE(configured.create, configured.Messages());
    CHECK(configured.diagnostics.all().empty());
    CHECK(configured.create({}) != nullptr);  // connects only when started
  }

  TEST_CASE("producer: valid params are accepted and an instance is created") {
    Configured configured = Configure(
        "kafka-producer",
        R"({topic: alerts, kafka: {bootstrap.servers: "k1:9092, k2:9093,SSL://[::1]:9094"},
            key: person.name})");
    REQUIRE_MESSAGE(configured.create, configured.Messages());
    CHECK(configured.diagnostics.all().empty());
    CHECK(configured.create({}) != nullptr);
  }

  TEST_CASE("librdkafka checks every property: the error names the one it rejects") {
    Configured unknown = Configure(
        "kafka-consumer", R"({topic: t, kafka: {bootstrap.servers: "h:1", fetch.min.byte: 1}})");
    CHECK_FALSE(unknown.create);
    CHECK_PARAM_ERROR(unknown, R"(actors[0].params.kafka["fetch.min.byte"])",
                      "is not a librdkafka property");
    Configured bad_value =
        Configure("kafka-producer",
                  R"({topic: t, kafka: {bootstrap.servers: "h:1", linger.ms: soon, acks: all}})");
    CHECK_FALSE(bad_value.create);
    CHECK(bad_value.diagnostics.errors() == 1);
    CHECK_PARAM_ERROR(bad_value, R"(actors[0].params.kafka["linger.ms"])",
                      "librdkafka rejects this value");
    Configured enum_value =
        Configure("kafka-consumer",
                  R"({topic: t, kafka: {bootstrap.servers: "h:1", auto.offset.reset: sometimes}})");
    CHECK_PARAM_ERROR(enum_value, R"(actors[0].params.kafka["auto.offset.reset"])",
                      "librdkafka rejects this value");
  }

  TEST_CASE("properties Coral manages for at-least-once cannot be turned off") {
    CHECK_PARAM_ERROR(
        Configure("kafka-consumer",
                  R"({topic: t, kafka: {bootstrap.servers: "h:1", enable.auto.commit: true}})"),
        R"(actors[0].params.kafka["enable.auto.commit"])", "Coral commits offsets itself");
    CHECK_PARAM_ERROR(
        Configure("kafka-producer",
                  R"({topic: t, kafka: {bootstrap.servers: "h:1", enable.idempotence: false}})"),
        R"(actors[0].params.kafka["enable.idempotence"])", "always idempotent");
  }

  TEST_CASE("metadata.broker.list is accepted as the older name of bootstrap.servers") {
    for (std::string_view type : {"kafka-consumer", "kafka-producer"}) {
      Configured configured =
          Configure(type, R"({topic: t, kafka: {metadata.broker.list: "127.0.0.1:9092"}})");
      CHECK_MESSAGE(configured.create, configured.Messages());
      CHECK(configured.diagnostics.all().empty());
    }
    Configured same =
        Configure("kafka-consumer",
                  R"({topic: t, kafka: {metadata.broker.list: "h:1", bootstrap.servers: "h:1"}})");
    CHECK(same.create);
  }

  TEST_CASE("both broker list names with different values") {
    Configured configured =
        Configure("kafka-consumer",
                  R"({topic: t, kafka: {metadata.broker.list: "a:1", bootstrap.servers: "b:1"}})");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, R"(actors[0].params.kafka["metadata.broker.list"])",
                      "keep only `bootstrap.servers`");
  }

  TEST_CASE("zookeeper.connect is obsolete: the error says to use bootstrap.servers") {
    for (std::string_view type : {"kafka-consumer", "kafka-producer"}) {
      Configured configured =
          Configure(type, R"({topic: t, kafka: {zookeeper.connect: "127.0.0.1:2181"}})");
      CHECK_FALSE(configured.create);
      CHECK(configured.diagnostics.errors() == 1);  // not also "bootstrap.servers is missing"
      CHECK_PARAM_ERROR(configured, R"(actors[0].params.kafka["zookeeper.connect"])",
                        "obsolete: Kafka clients no longer connect through ZooKeeper; write "
                        "`bootstrap.servers: \"<broker host>:9092\"`");
    }
  }

  TEST_CASE("bootstrap.servers missing, empty or malformed") {
    CHECK_PARAM_ERROR(Configure("kafka-consumer", "{topic: t, kafka: {group.id: g}}"),
                      "actors[0].params.kafka", "`bootstrap.servers` is missing; add");
    CHECK_PARAM_ERROR(Configure("kafka-consumer", "{topic: t, kafka: {bootstrap.servers: ''}}"),
                      R"(actors[0].params.kafka["bootstrap.servers"])", "is empty");
    CHECK_PARAM_ERROR(
        Configure("kafka-consumer", "{topic: t, kafka: {bootstrap.servers: 'a:1,,b:2'}}"),
        R"(actors[0].params.kafka["bootstrap.servers"])", "has an empty entry");
    CHECK_PARAM_ERROR(
        Configure("kafka-producer", "{topic: t, kafka: {bootstrap.servers: 'a:99999'}}"),
        R"(actors[0].params.kafka["bootstrap.servers"])",
        "has \"a:99999\" with an invalid port; write host:port with a port from 1 to 65535");
    CHECK_PARAM_ERROR(
        Configure("kafka-producer", "{topic: t, kafka: {metadata.broker.list: 'a:x'}}"),
        R"(actors[0].params.kafka["metadata.broker.list"])", "invalid port");
  }

  TEST_CASE("kafka properties must be scalars; kafka must be a mapping") {
    Configured configured = Configure(
        "kafka-consumer", R"({topic: t, kafka: {bootstrap.servers: "h:1", sasl: {user: x}}})");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.kafka.sasl",
                      "expected text, a number or true/false (librdkafka properties are text), "
                      "found a mapping");
    CHECK_PARAM_ERROR(Configure("kafka-consumer", "{topic: t, kafka: 'h:9092'}"),
                      "actors[0].params.kafka", "expected a mapping");
    CHECK_PARAM_ERROR(Configure("kafka-consumer", "{topic: t}"), "actors[0].params.kafka",
                      "missing; add `kafka:`");
  }

  TEST_CASE("topic names") {
    Configured missing = Configure("kafka-consumer", "{kafka: {bootstrap.servers: 'h:1'}}");
    CHECK_FALSE(missing.create);
    CHECK_PARAM_ERROR(missing, "actors[0].params.topic", "missing; add `topic:`");
    CHECK_PARAM_ERROR(
        Configure("kafka-producer", "{topic: 'my topic', kafka: {bootstrap.servers: 'h:1'}}"),
        "actors[0].params.topic",
        "\"my topic\" is not a valid Kafka topic name; use 1 to 249 letters, digits, '.', '_' or "
        "'-'");
    CHECK_PARAM_ERROR(
        Configure("kafka-producer", "{topic: '..', kafka: {bootstrap.servers: 'h:1'}}"),
        "actors[0].params.topic", "not a valid Kafka topic name");
    CHECK_PARAM_ERROR(Configure("kafka-consumer",
                                "{topic: t, kafka: {bootstrap.servers: 'h:1'}, "
                                "dead-letter-topic: 'bad/name'}"),
                      "actors[0].params.dead-letter-topic", "not a valid Kafka topic name");
    CHECK_PARAM_ERROR(Configure("kafka-consumer",
                                "{topic: t, kafka: {bootstrap.servers: 'h:1'}, "
                                "dead-letter-topic: t}"),
                      "actors[0].params.dead-letter-topic", "is the topic being read");
  }

  TEST_CASE("producer key must be a field path; unknown params are warnings") {
    CHECK_PARAM_ERROR(
        Configure("kafka-producer", "{topic: t, kafka: {bootstrap.servers: 'h:1'}, key: 'a..b'}"),
        "actors[0].params.key", "is not a valid field path");
    Configured typo =
        Configure("kafka-producer", "{topic: t, kafka: {bootstrap.servers: 'h:1'}, topik: u}");
    CHECK(typo.create);
    CHECK_PARAM_WARNING(typo, "actors[0].params.topik", "did you mean `topic`?");
  }
}

TEST_SUITE("cassandra actor") {
  TEST_CASE("valid params are accepted, but this build cannot run it") {
    Configured configured =
        Configure("cassandra",
                  "{seeds: [db1, 10.0.0.2], keyspace: shop_1, port: 9142, user: u, password: p, "
                  "query: 'SELECT * FROM orders'}");
    REQUIRE_MESSAGE(configured.create, configured.Messages());
    CHECK(configured.diagnostics.all().empty());
    CHECK_THROWS_WITH_AS(configured.create({}),
                         doctest::Contains("the cassandra actor is optional and not included in "
                                           "this build of Coral"),
                         std::runtime_error);
    CHECK(Configure("cassandra", "{seeds: [db1], keyspace: k}").create);
  }

  TEST_CASE("params: every problem at its place") {
    Configured configured = Configure(
        "cassandra",
        "{seeds: [db1, '', {h: 1}], keyspace: '1shop', port: 70000, password: p, query: ''}");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.seeds[1]", "expected a host name or address");
    CHECK_PARAM_ERROR(configured, "actors[0].params.seeds[2]", "found a mapping");
    CHECK_PARAM_ERROR(configured, "actors[0].params.keyspace",
                      "\"1shop\" is not a keyspace name; use up to 48 letters, digits and _, "
                      "starting with a letter");
    CHECK_PARAM_ERROR(configured, "actors[0].params.port", "must be from 1 to 65535, found 70000");
    CHECK_PARAM_ERROR(configured, "actors[0].params.password", "is given without `user`");
    CHECK_PARAM_ERROR(configured, "actors[0].params.query", "is empty");
  }

  TEST_CASE("params: seeds and keyspace required; seeds non-empty") {
    Configured missing = Configure("cassandra", "{}");
    CHECK_PARAM_ERROR(missing, "actors[0].params.seeds", "missing; add `seeds:` with a list");
    CHECK_PARAM_ERROR(missing, "actors[0].params.keyspace", "missing; add `keyspace:`");
    CHECK_PARAM_ERROR(Configure("cassandra", "{seeds: [], keyspace: k}"), "actors[0].params.seeds",
                      "is empty; list at least one host");
    CHECK_PARAM_ERROR(Configure("cassandra", "{seeds: db1, keyspace: k}"), "actors[0].params.seeds",
                      "expected a list");
  }
}

}  // namespace coral::testing
