// kafka-consumer against a real (development) broker, `coral dev-kafka` in a child process:
// when it commits (the at-least-once barrier: nothing in flight in the runtime, every async output
// acknowledged), and how it pauses and resumes under back-pressure. The runtime around it is
// simulated through ActorEnv (queued events, budget, PendingOutputs).
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "kafka/producer.h"
#include "support/actor_harness.h"
#include "support/dev_kafka_process.h"

namespace coral::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// An output whose writes finish when the test says so.
class ManualOutput : public actors::AsyncOutput {
 public:
  std::atomic<std::uint64_t> written{0}, finished{0};
  std::uint64_t Mark() override { return written.load(); }
  bool Reached(std::uint64_t mark) override { return finished.load() >= mark; }
  bool Flush(milliseconds /*timeout*/) override {
    finished.store(written.load());
    return true;
  }
};

struct Fixture {
  std::unique_ptr<DevKafkaProcess> broker;
  std::atomic<std::int64_t> queued{0};
  std::shared_ptr<actors::PendingOutputs> pending = std::make_shared<actors::PendingOutputs>();
  ManualOutput output;
  FakeActorContext context;
  std::unique_ptr<actors::Actor> consumer;

  explicit Fixture(const std::string& group) {
    broker = std::make_unique<DevKafkaProcess>("t:1");
    pending->Add(&output);
    actors::ActorEnv env;
    env.queued_events = [this] { return queued.load(); };
    env.queue_budget = 100;
    env.pending_outputs = pending;
    consumer = MakeActor("kafka-consumer",
                         fmt::format(R"({{topic: t, kafka: {{bootstrap.servers: "{}",
                                       group.id: {}, auto.offset.reset: earliest,
                                       session.timeout.ms: 6000}}}})",
                                     broker->bootstrap(), group),
                         env);
    consumer->OnStart(context);
  }
  ~Fixture() {
    consumer->OnStop(context);
    pending->Remove(&output);
  }

  void Produce(int from, int to) {
    auto producer = kafka::Producer::Create({{"bootstrap.servers", broker->bootstrap()}});
    REQUIRE(producer.ok());
    for (int i = from; i < to; ++i) {
      REQUIRE(producer.value()->Produce("t", "", fmt::format(R"({{"i":{}}})", i)).ok());
    }
    REQUIRE(producer.value()->Flush(std::chrono::seconds(10)));
  }
  Json State() { return consumer->State(); }
  // Turns the consumer's timer (as the engine would) until `done` or `limit`.
  template <typename Done>
  bool TurnUntil(Done done, milliseconds limit) {
    auto deadline = steady_clock::now() + limit;
    while (steady_clock::now() < deadline) {
      consumer->OnTimer(context);
      if (done()) return true;
      std::this_thread::sleep_for(milliseconds(5));
    }
    return done();
  }
  void TurnFor(milliseconds time) {
    TurnUntil([] { return false; }, time);
  }
};

}  // namespace

TEST_SUITE("kafka consumer") {
  TEST_CASE(
      "offsets are committed only once the runtime handled the events and outputs are acked") {
    Fixture fixture("g-commit");
    fixture.Produce(0, 10);
    fixture.queued = 10;  // the emitted events are still in the runtime
    REQUIRE(fixture.TurnUntil([&] { return fixture.context.emitted.size() == 10; },
                              std::chrono::seconds(30)));
    CHECK(fixture.context.EmittedText().front() == R"({"i":0})");
    fixture.output.written = 1;  // and they caused a write that is not acknowledged yet
    fixture.TurnFor(milliseconds(300));
    CHECK(fixture.State()["commits"] == 0);

    fixture.queued = 0;  // handled inside the runtime, the write still unacknowledged
    fixture.TurnFor(milliseconds(300));
    CHECK(fixture.State()["commits"] == 0);

    fixture.output.finished = 1;  // acknowledged: now the offsets may be committed
    CHECK(fixture.TurnUntil([&] { return fixture.State()["commits"] >= 1; },
                            std::chrono::seconds(10)));
    CHECK(fixture.context.failures.empty());
  }

  TEST_CASE("the consumer pauses while the runtime stays behind and resumes when it catches up") {
    Fixture fixture("g-pause");
    fixture.Produce(0, 5);
    REQUIRE(fixture.TurnUntil([&] { return fixture.context.emitted.size() == 5; },
                              std::chrono::seconds(30)));
    fixture.queued = 60;  // over half the budget of 100
    fixture.Produce(5, 10);
    CHECK(fixture.TurnUntil([&] { return fixture.State()["paused"] == true; },
                            std::chrono::seconds(5)));
    CHECK(fixture.context.emitted.size() == 5);  // read nothing while behind

    fixture.queued = 10;  // below a quarter: resume, and read the rest
    CHECK(fixture.TurnUntil([&] { return fixture.context.emitted.size() == 10; },
                            std::chrono::seconds(30)));
    CHECK(fixture.State()["paused"] == false);
  }
}

}  // namespace coral::testing
