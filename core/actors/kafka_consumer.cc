// The `kafka-consumer` actor type: reads a Kafka topic and emits each message as an event.
//
//   params: {topic: heartbeats, kafka: {bootstrap.servers: "127.0.0.1:9092", group.id: g},
//            dead-letter-topic: heartbeats-rejected}
//
// `group.id` defaults to the runtime's unique name, so every copy of a runtime shares one
// consumer group (the partitions are split between them) and its committed offsets.
//
// At-least-once. Offsets are committed by Coral, never automatically: the consumer remembers the
// next offset of each partition it emitted, and commits those positions only after (1) every
// event admitted to the runtime copy up to that moment has been fully processed (the copy's
// queued count was zero: every turn those events caused has ended) and (2) every asynchronous
// output of the copy (kafka-producers, this consumer's dead-letter producer) has had everything
// it wrote by then acknowledged (PendingOutputs marks). Commits happen when the copy is quiet;
// when it never is, the consumer stops reading for up to a second every 5 seconds to let it
// drain (a copy kept busy by another source then delays commits, never the consumer). Stop
// (and SIGTERM) flushes the outputs and commits synchronously. Anything not committed is read again
// after a restart or rebalance: duplicates are possible, losses are not.
//
// Back-pressure: while the copy is over half its queue budget the consumer reads nothing; when
// that lasts over a second it pauses its partitions (librdkafka stops fetching) and resumes
// them once the queue is below a quarter of the budget. librdkafka's prefetch is bounded by
// `queued.max.messages.kbytes` (default here 16384).
//
// Bad input: a message that is not a JSON object is counted as an error and skipped, and copied
// as it is to `dead-letter-topic` when there is one. Broker trouble shows in State() (`broker`)
// and as the actor's trouble (the runtime's health is "degraded" until it is back), and in the
// actor's errors/lastError; librdkafka reconnects by itself.
#include <fmt/format.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "actors/actor_type.h"
#include "actors/kafka_params.h"
#include "kafka/handles.h"
#include "kafka/producer.h"

namespace coral::actors {
namespace {

using definition::ParamReader;
using SteadyClock = std::chrono::steady_clock;

constexpr int kBatch = 4096;

struct ConsumerConfig {
  std::string topic;
  std::map<std::string, std::string> properties;
  std::optional<std::string> dead_letter_topic;
  std::chrono::milliseconds commit_interval{5000};
};

class KafkaConsumer : public Actor {
 public:
  KafkaConsumer(std::shared_ptr<const ConsumerConfig> config, const ActorEnv& env)
      : config_(std::move(config)),
        group_(env.runtime_name.empty() ? "coral" : env.runtime_name),
        queued_events_(env.queued_events),
        budget_(env.queue_budget > 0 ? env.queue_budget : 32768),
        pending_(env.pending_outputs ? env.pending_outputs : std::make_shared<PendingOutputs>()) {
    messages_.resize(kBatch);
  }

  ~KafkaConsumer() override { Close(nullptr); }

  void OnStart(ActorContext& context) override {
    Status started = Open();
    if (!started.ok()) {
      context.Fail(started.error().message);
      broker_ = "not started: " + started.error().message;
      context.SetTrouble("cannot start: " + started.error().message);
      context.Finished();
      return;
    }
    context.StartTimer(std::chrono::nanoseconds(0));
  }

  void OnTimer(ActorContext& context) override {
    if (!client_) return;
    context_ = &context;
    ReportProblems(context);
    TryCommit(false);
    std::int64_t queued = Queued();
    auto now = SteadyClock::now();
    // Back-pressure: read nothing while the runtime is behind; pause the partitions when that
    // lasts (librdkafka then stops fetching); resume once it has caught up.
    if (queued >= budget_ / 2) {
      if (!behind_since_) behind_since_ = now;
      if (!paused_ && now - *behind_since_ > std::chrono::seconds(1)) SetPaused(true);
    } else {
      behind_since_.reset();
      if (paused_ && queued < budget_ / 4) SetPaused(false);
    }
    // Draining lasts at most a second: another source may keep the copy busy for good, and the
    // consumer must not stall for it (it tries again one interval later).
    bool draining = dirty_ && !barrier_ && now - last_commit_ > config_->commit_interval;
    if (draining && now - last_commit_ > config_->commit_interval + std::chrono::seconds(1)) {
      last_commit_ = now;
      draining = false;
    }
    int got = 0;
    if ((!behind_since_ && !draining) || paused_) {
      // Paused partitions deliver nothing, but polling keeps the group membership alive.
      got = static_cast<int>(
          rd_kafka_consume_batch_queue(queue_.get(), 0, messages_.data(), messages_.size()));
      for (int i = 0; i < got; ++i) {
        Handle(messages_[static_cast<std::size_t>(i)], context);
        rd_kafka_message_destroy(messages_[static_cast<std::size_t>(i)]);
      }
    }
    if (broker_down_ && now - last_probe_ > std::chrono::seconds(1)) Probe();
    ReportBroker(context);
    context_ = nullptr;
    if (got == kBatch) {
      idle_delay_ = std::chrono::milliseconds(0);
    } else if (got > 0 || behind_since_ || draining) {
      idle_delay_ = std::chrono::milliseconds(1);
    } else {
      idle_delay_ = std::min(std::max(idle_delay_ * 2, std::chrono::milliseconds(1)),
                             std::chrono::milliseconds(10));
    }
    context.StartTimer(idle_delay_);
  }

  void OnEvent(const Event& /*event*/, ActorContext& /*context*/) override {}

  void OnStop(ActorContext& context) override {
    context_ = &context;
    Close(&context);
    context_ = nullptr;
  }

  Json State() const override {
    Json state = {{"topic", config_->topic}, {"group", group_},    {"broker", broker_},
                  {"assigned", assigned_},   {"paused", paused_},  {"consumed", consumed_},
                  {"rejected", rejected_},   {"commits", commits_}};
    if (config_->dead_letter_topic) state["deadLettered"] = dead_lettered_;
    return state;
  }

 private:
  std::int64_t Queued() const { return queued_events_ ? queued_events_() : 0; }

  Status Open() {
    std::map<std::string, std::string> properties = config_->properties;
    properties.emplace("group.id", group_);
    properties["enable.auto.commit"] = "false";
    properties["enable.auto.offset.store"] = "false";
    properties.emplace("queued.max.messages.kbytes", "16384");
    if (config_->dead_letter_topic) {
      std::map<std::string, std::string> producer_properties;
      for (const char* name : {"bootstrap.servers", "security.protocol", "client.id"}) {
        if (auto found = properties.find(name); found != properties.end()) {
          producer_properties.emplace(found->first, found->second);
        }
      }
      for (const auto& [name, value] : properties) {
        if (name.starts_with("ssl.") || name.starts_with("sasl.")) {
          producer_properties.emplace(name, value);
        }
      }
      Result<std::unique_ptr<kafka::Producer>> producer =
          kafka::Producer::Create(std::move(producer_properties));
      if (!producer.ok()) return producer.error();
      dead_letters_ = std::move(producer).value();
      pending_->Add(dead_letters_.get());
    }
    Result<kafka::Config> config = kafka::MakeConfig(properties);
    if (!config.ok()) return config.error();
    rd_kafka_conf_set_opaque(config.value().get(), this);
    rd_kafka_conf_set_rebalance_cb(config.value().get(), &KafkaConsumer::OnRebalance);
    rd_kafka_conf_set_error_cb(config.value().get(), &KafkaConsumer::OnError);
    rd_kafka_conf_set_offset_commit_cb(config.value().get(), &KafkaConsumer::OnCommitted);
    Result<kafka::Client> client = kafka::MakeClient(RD_KAFKA_CONSUMER, std::move(config).value());
    if (!client.ok()) return client.error();
    client_ = std::move(client).value();
    rd_kafka_poll_set_consumer(client_.get());
    kafka::Partitions topics(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(topics.get(), config_->topic.c_str(), RD_KAFKA_PARTITION_UA);
    if (rd_kafka_resp_err_t err = rd_kafka_subscribe(client_.get(), topics.get())) {
      return Error{ErrorCode::kUnavailable, fmt::format("cannot subscribe to topic `{}`: {}",
                                                        config_->topic, rd_kafka_err2str(err))};
    }
    queue_.reset(rd_kafka_queue_get_consumer(client_.get()));
    last_commit_ = SteadyClock::now();
    return Status();
  }

  void Handle(rd_kafka_message_t* message, ActorContext& context) {
    if (message->err) {
      if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) return;
      Problem(context, fmt::format("Kafka consumer: {}", rd_kafka_message_errstr(message)));
      return;
    }
    if (broker_down_) {
      broker_down_ = false;
      broker_ = "up";
    }
    ++consumed_;
    std::string_view payload(static_cast<const char*>(message->payload), message->len);
    std::optional<Event> event = Event::Parse(payload);
    if (event) {
      context.Emit(std::move(*event));
    } else {
      ++rejected_;
      context.Fail(
          fmt::format("topic `{}` partition {} offset {}: the message is not a JSON "
                      "object; skipped{}",
                      config_->topic, message->partition, message->offset,
                      dead_letters_ ? " (sent to the dead-letter topic)" : ""));
      if (dead_letters_) {
        std::string_view key(static_cast<const char*>(message->key), message->key_len);
        Status sent = dead_letters_->Produce(*config_->dead_letter_topic, key, payload);
        if (sent.ok())
          ++dead_lettered_;
        else
          context.Fail(sent.error().message);
      }
    }
    positions_[message->partition] = message->offset + 1;
    dirty_ = true;
  }

  // Commits what is safe to commit (see the top of the file); with `wait`, synchronously.
  void TryCommit(bool wait) {
    auto now = SteadyClock::now();
    if (barrier_ && pending_->AllReached(barrier_->marks)) {
      Commit(barrier_->positions, wait);
      barrier_.reset();
    }
    // A new barrier when the copy is quiet: everything emitted so far is processed.
    if (!barrier_ && dirty_ && Queued() == 0 &&
        (now - last_barrier_ > std::chrono::milliseconds(100) ||
         now - last_commit_ > config_->commit_interval)) {
      barrier_ = Barrier{positions_, pending_->MarkAll()};
      dirty_ = false;
      last_barrier_ = now;
      if (pending_->AllReached(barrier_->marks)) {
        Commit(barrier_->positions, wait);
        barrier_.reset();
      }
    }
  }

  void Commit(const std::map<std::int32_t, std::int64_t>& positions, bool wait) {
    if (positions.empty() || !client_) return;
    kafka::Partitions offsets(
        rd_kafka_topic_partition_list_new(static_cast<int>(positions.size())));
    for (const auto& [partition, offset] : positions) {
      rd_kafka_topic_partition_list_add(offsets.get(), config_->topic.c_str(), partition)->offset =
          offset;
    }
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (!wait) {
      err = rd_kafka_commit(client_.get(), offsets.get(), /*async=*/1);
    } else {
      // Waits for the broker's answer at most 5 s (a plain synchronous commit can block for a
      // minute when the broker has just gone, holding up a shutdown).
      kafka::Queue results(rd_kafka_queue_new(client_.get()));
      err = rd_kafka_commit_queue(client_.get(), offsets.get(), results.get(), nullptr, nullptr);
      if (!err) {
        rd_kafka_event_t* result = rd_kafka_queue_poll(results.get(), 5000);
        err = result ? rd_kafka_event_error(result) : RD_KAFKA_RESP_ERR__TIMED_OUT;
        if (result) rd_kafka_event_destroy(result);
      }
    }
    last_commit_ = SteadyClock::now();
    if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
      Problem(fmt::format("commit failed: {}", rd_kafka_err2str(err)));
    } else if (wait) {
      ++commits_;
    }
  }

  void SetPaused(bool pause) {
    kafka::Partitions assignment;
    rd_kafka_topic_partition_list_t* raw = nullptr;
    if (rd_kafka_assignment(client_.get(), &raw) != RD_KAFKA_RESP_ERR_NO_ERROR) return;
    assignment.reset(raw);
    if (pause) {
      rd_kafka_pause_partitions(client_.get(), assignment.get());
    } else {
      rd_kafka_resume_partitions(client_.get(), assignment.get());
    }
    paused_ = pause;
  }

  // While the broker is away: a cheap metadata request tells when it is back.
  void Probe() {
    last_probe_ = SteadyClock::now();
    const rd_kafka_metadata_t* metadata = nullptr;
    if (rd_kafka_metadata(client_.get(), 0, nullptr, &metadata, 200) ==
        RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_metadata_destroy(metadata);
      broker_down_ = false;
      broker_ = "up";
    }
  }

  // Flushes the outputs, commits what is handled, leaves the group. `context` may be null.
  void Close(ActorContext* context) {
    closing_ = true;
    if (!client_) {
      if (dead_letters_) pending_->Remove(dead_letters_.get());
      dead_letters_.reset();
      return;
    }
    // The copy has drained (Stop processes every queue before OnStop): once the outputs have
    // flushed, every position emitted is handled.
    if (context && broker_down_) {
      context->Fail(
          "stopping while the broker is unreachable: offsets not committed since the "
          "last commit (those messages will be read again)");
    } else if (context && Queued() == 0 && pending_->FlushAll(std::chrono::seconds(10))) {
      barrier_.reset();
      Commit(positions_, /*wait=*/true);
    } else if (context) {
      context->Fail(
          "stopping before every output was acknowledged: offsets not committed "
          "since the last commit (those messages will be read again)");
    }
    LeaveGroup(std::chrono::seconds(5));
    if (dead_letters_) {
      dead_letters_->Flush(std::chrono::seconds(1));
      pending_->Remove(dead_letters_.get());
      dead_letters_.reset();
    }
  }

  // Leaves the consumer group (revoking the assignment) and destroys the client, waiting at
  // most `limit`: rd_kafka_consumer_close would block up to session.timeout.ms when the broker
  // is away, which would hold up a daemon's shutdown.
  void LeaveGroup(std::chrono::milliseconds limit) {
    queue_.reset();
    kafka::Queue events(rd_kafka_queue_new(client_.get()));
    rd_kafka_error_t* error = rd_kafka_consumer_close_queue(client_.get(), events.get());
    if (error) {
      rd_kafka_error_destroy(error);
    } else {
      auto deadline = SteadyClock::now() + limit;
      while (!rd_kafka_consumer_closed(client_.get()) && SteadyClock::now() < deadline) {
        rd_kafka_event_t* event = rd_kafka_queue_poll(events.get(), 100);
        if (!event) continue;
        if (rd_kafka_event_type(event) == RD_KAFKA_EVENT_REBALANCE) {
          // Closing: whatever is assigned is given up (Close has committed what it could).
          if (std::string_view(rd_kafka_rebalance_protocol(client_.get())) == "COOPERATIVE") {
            rd_kafka_error_t* unassigned = rd_kafka_incremental_unassign(
                client_.get(), rd_kafka_event_topic_partition_list(event));
            if (unassigned) rd_kafka_error_destroy(unassigned);
          } else {
            rd_kafka_assign(client_.get(), nullptr);
          }
        }
        rd_kafka_event_destroy(event);
      }
    }
    events.reset();
    rd_kafka_destroy_flags(client_.release(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
  }

  void ReportProblems(ActorContext& context) {
    for (std::string& problem : problems_) context.Fail(problem);
    problems_.clear();
    if (dead_letters_) {
      for (const std::string& problem : dead_letters_->TakeProblems()) context.Fail(problem);
    }
  }

  void Problem(ActorContext& context, std::string problem) { context.Fail(problem); }
  // The broker's state as the actor's trouble (the runtime's health), told when it changes.
  void ReportBroker(ActorContext& context) {
    if (broker_down_ == trouble_reported_) return;
    trouble_reported_ = broker_down_;
    context.SetTrouble(broker_down_ ? "broker " + broker_ : std::string());
  }
  void Problem(std::string problem) {
    if (context_) {
      context_->Fail(problem);
    } else if (problems_.size() < 100) {
      problems_.push_back(std::move(problem));
    }
  }

  static void OnRebalance(rd_kafka_t* client, rd_kafka_resp_err_t err,
                          rd_kafka_topic_partition_list_t* partitions, void* opaque) {
    auto* self = static_cast<KafkaConsumer*>(opaque);
    bool cooperative = std::string_view(rd_kafka_rebalance_protocol(client)) == "COOPERATIVE";
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      if (cooperative) {
        rd_kafka_error_t* error = rd_kafka_incremental_assign(client, partitions);
        if (error) rd_kafka_error_destroy(error);
      } else {
        rd_kafka_assign(client, partitions);
      }
      self->assigned_ += partitions->cnt;
      if (self->paused_) rd_kafka_pause_partitions(client, partitions);
      return;
    }
    // Revoked: commit what is handled of these partitions, if the runtime drains soon (bounded);
    // otherwise their new owner reads the rest again (duplicates, never losses).
    self->CommitBeforeRevoke(partitions);
    for (int i = 0; i < partitions->cnt; ++i) {
      self->positions_.erase(partitions->elems[i].partition);
      if (self->barrier_) self->barrier_->positions.erase(partitions->elems[i].partition);
    }
    self->assigned_ = std::max(0, self->assigned_ - partitions->cnt);
    if (cooperative) {
      rd_kafka_error_t* error = rd_kafka_incremental_unassign(client, partitions);
      if (error) rd_kafka_error_destroy(error);
    } else {
      rd_kafka_assign(client, nullptr);
    }
  }

  void CommitBeforeRevoke(rd_kafka_topic_partition_list_t* partitions) {
    std::map<std::int32_t, std::int64_t> revoked;
    for (int i = 0; i < partitions->cnt; ++i) {
      auto found = positions_.find(partitions->elems[i].partition);
      if (found != positions_.end()) revoked.insert(*found);
    }
    if (revoked.empty() || closing_) return;  // closing: Close committed what it could
    auto deadline = SteadyClock::now() + std::chrono::seconds(5);
    while (Queued() > 0 && SteadyClock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (Queued() == 0 && pending_->FlushAll(std::chrono::seconds(5))) Commit(revoked, true);
  }

  static void OnError(rd_kafka_t* /*client*/, int error, const char* reason, void* opaque) {
    auto* self = static_cast<KafkaConsumer*>(opaque);
    auto err = static_cast<rd_kafka_resp_err_t>(error);
    if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || err == RD_KAFKA_RESP_ERR__TRANSPORT ||
        err == RD_KAFKA_RESP_ERR__RESOLVE) {
      self->broker_down_ = true;
      self->broker_ = fmt::format("down: {}", reason);
    }
    self->Problem(fmt::format("Kafka consumer: {}", reason));
  }

  static void OnCommitted(rd_kafka_t* /*client*/, rd_kafka_resp_err_t err,
                          rd_kafka_topic_partition_list_t* /*offsets*/, void* opaque) {
    auto* self = static_cast<KafkaConsumer*>(opaque);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      ++self->commits_;
    } else if (err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
      self->Problem(fmt::format("commit failed: {}", rd_kafka_err2str(err)));
    }
  }

  struct Barrier {
    std::map<std::int32_t, std::int64_t> positions;
    PendingOutputs::Marks marks;
  };

  std::shared_ptr<const ConsumerConfig> config_;
  std::string group_;
  std::function<std::int64_t()> queued_events_;
  std::int64_t budget_;
  std::shared_ptr<PendingOutputs> pending_;
  std::unique_ptr<kafka::Producer> dead_letters_;
  kafka::Client client_;
  kafka::Queue queue_;
  std::vector<rd_kafka_message_t*> messages_;
  ActorContext* context_ = nullptr;  // during a turn, for librdkafka's callbacks
  std::vector<std::string> problems_;

  std::map<std::int32_t, std::int64_t> positions_;  // partition -> next offset, emitted
  bool dirty_ = false;                              // positions_ moved since the last barrier
  std::optional<Barrier> barrier_;
  SteadyClock::time_point last_commit_{}, last_barrier_{}, last_probe_{};
  std::optional<SteadyClock::time_point> behind_since_;
  std::chrono::milliseconds idle_delay_{0};
  bool paused_ = false;
  bool closing_ = false;
  bool broker_down_ = false;
  bool trouble_reported_ = false;  // what ReportBroker last told the engine
  std::string broker_ = "up";
  int assigned_ = 0;
  std::uint64_t consumed_ = 0, rejected_ = 0, dead_lettered_ = 0, commits_ = 0;
};

ActorCreator Configure(ParamReader& params) {
  auto config = std::make_shared<ConsumerConfig>();
  config->topic = ReadTopic(params, "topic", /*required=*/true).value_or("");
  config->properties = ReadKafkaProperties(params, KafkaRole::kConsumer);
  config->dead_letter_topic = ReadTopic(params, "dead-letter-topic", /*required=*/false);
  if (config->dead_letter_topic && *config->dead_letter_topic == config->topic) {
    params.Error("dead-letter-topic",
                 "is the topic being read; name a different topic for the messages that are "
                 "rejected");
  }
  if (!params.Finish()) return nullptr;
  return [config = std::shared_ptr<const ConsumerConfig>(std::move(config))](
             const ActorEnv& env) -> std::unique_ptr<Actor> {
    return std::make_unique<KafkaConsumer>(config, env);
  };
}

}  // namespace

extern const ActorType kKafkaConsumerType;
const ActorType kKafkaConsumerType{
    .name = "kafka-consumer",
    .summary = "emits each message of a Kafka topic as an event (at-least-once)",
    .configure = Configure,
};

}  // namespace coral::actors
