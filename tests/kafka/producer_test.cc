// kafka::Producer against a real (development) broker, `coral dev-kafka` in a child process: a mark
// is reached only once everything written before it is acknowledged, which a broker outage holds
// up.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "kafka/producer.h"
#include "support/dev_kafka_process.h"

namespace coral::testing {

TEST_SUITE("kafka producer") {
  TEST_CASE("a mark is reached when what was written before it is acknowledged") {
    DevKafkaProcess broker("p:2");
    auto created = kafka::Producer::Create({{"bootstrap.servers", broker.bootstrap()},
                                            {"linger.ms", "1"},
                                            {"log_level", "2"}});  // the outage is expected
    REQUIRE(created.ok());
    kafka::Producer& producer = *created.value();
    for (int i = 0; i < 100; ++i) REQUIRE(producer.Produce("p", "k", R"({"a":1})").ok());
    std::uint64_t mark = producer.Mark();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!producer.Reached(mark) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(producer.Reached(mark));
    CHECK(producer.delivered() == 100);

    // While the broker is down, what is written stays unacknowledged and the mark unreached.
    broker.SetDown(true);
    for (int i = 0; i < 10; ++i) REQUIRE(producer.Produce("p", "k", R"({"a":2})").ok());
    std::uint64_t second = producer.Mark();
    CHECK_FALSE(producer.Flush(std::chrono::milliseconds(300)));
    CHECK_FALSE(producer.Reached(second));
    CHECK(producer.Reached(mark));  // the earlier mark stays reached

    broker.SetDown(false);  // back: librdkafka retries, the idempotent producer
    CHECK(producer.Flush(std::chrono::seconds(30)));  // delivers each message once
    CHECK(producer.Reached(second));
    CHECK(producer.delivered() == 110);
    CHECK(producer.failed() == 0);
  }
}

}  // namespace coral::testing
