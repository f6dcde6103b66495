// The `kafka-producer` actor type: writes each event to a Kafka topic. Emits nothing.
//
//   params: {topic: alerts, kafka: {bootstrap.servers: "127.0.0.1:9092"}, key: name}
//
// `key` is the event field whose value becomes the message key (a string's characters, any other
// value's JSON text); an event without it is written without a key. The message is the event's
// JSON text. The producer is idempotent and registers with the runtime copy's PendingOutputs, so
// a kafka-consumer of the same copy commits its offsets only once these messages are
// acknowledged (kafka/producer.h). While librdkafka's queue is full (a slow or absent broker)
// the actor waits, which holds the runtime back; stop flushes (up to 10 s).
#include <fmt/format.h>

#include <map>
#include <memory>

#include "actors/actor_type.h"
#include "actors/kafka_params.h"
#include "kafka/producer.h"

namespace coral::actors {
namespace {

using definition::ParamReader;

struct ProducerConfig {
  std::string topic;
  std::map<std::string, std::string> properties;
  std::optional<FieldPath> key;
};

class KafkaProducer : public Actor {
 public:
  KafkaProducer(std::shared_ptr<const ProducerConfig> config, const ActorEnv& env)
      : config_(std::move(config)),
        pending_(env.pending_outputs ? env.pending_outputs : std::make_shared<PendingOutputs>()) {}

  ~KafkaProducer() override {
    if (producer_) pending_->Remove(producer_.get());
  }

  void OnStart(ActorContext& context) override {
    Result<std::unique_ptr<kafka::Producer>> producer =
        kafka::Producer::Create(config_->properties);
    if (!producer.ok()) {
      start_error_ = producer.error().message;
      context.Fail(start_error_);
      context.SetTrouble("cannot start: " + start_error_);  // the runtime shows it as degraded
      return;
    }
    producer_ = std::move(producer).value();
    pending_->Add(producer_.get());
  }

  void OnEvent(const Event& event, ActorContext& context) override {
    if (!producer_) {
      context.Fail("the Kafka producer could not start: " + start_error_);
      return;
    }
    std::string key;
    if (config_->key) key = event.TextAt(*config_->key).value_or(std::string());
    Status sent = producer_->Produce(config_->topic, key, event.bytes());
    if (!sent.ok()) context.Fail(sent.error().message);
  }

  void OnTurnEnd(ActorContext& context) override {
    if (!producer_) return;
    for (const std::string& problem : producer_->TakeProblems()) context.Fail(problem);
  }

  void OnStop(ActorContext& context) override {
    if (!producer_) return;
    if (!producer_->Flush(std::chrono::seconds(10))) {
      context.Fail(fmt::format("stopping with {} message(s) to topic `{}` not acknowledged",
                               producer_->outstanding(), config_->topic));
    }
    OnTurnEnd(context);
  }

  Json State() const override {
    Json state = {{"topic", config_->topic}};
    if (producer_) {
      state["broker"] = producer_->broker_up() ? "up" : "down";
      state["delivered"] = producer_->delivered();
      state["failed"] = producer_->failed();
      state["outstanding"] = producer_->outstanding();
    } else {
      state["broker"] = "not started";
    }
    return state;
  }

 private:
  std::shared_ptr<const ProducerConfig> config_;
  std::shared_ptr<PendingOutputs> pending_;
  std::unique_ptr<kafka::Producer> producer_;
  std::string start_error_;  // why OnStart could not create the producer
};

ActorCreator Configure(ParamReader& params) {
  auto config = std::make_shared<ProducerConfig>();
  config->topic = ReadTopic(params, "topic", /*required=*/true).value_or("");
  config->properties = ReadKafkaProperties(params, KafkaRole::kProducer);
  config->key = params.OptionalPath("key");
  if (!params.Finish()) return nullptr;
  return [config = std::shared_ptr<const ProducerConfig>(std::move(config))](
             const ActorEnv& env) -> std::unique_ptr<Actor> {
    return std::make_unique<KafkaProducer>(config, env);
  };
}

}  // namespace

extern const ActorType kKafkaProducerType;
const ActorType kKafkaProducerType{
    .name = "kafka-producer",
    .summary =
        "writes each event to a Kafka topic (idempotent; acknowledged before the "
        "consumer commits)",
    .configure = Configure,
};

}  // namespace coral::actors
