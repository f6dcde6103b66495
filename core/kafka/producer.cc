#include "kafka/producer.h"

#include <fmt/format.h>

#include <algorithm>

namespace coral::kafka {

Result<std::unique_ptr<Producer>> Producer::Create(std::map<std::string, std::string> properties) {
  properties["enable.idempotence"] = "true";
  // Bounded memory: librdkafka's default lets 1 GB wait for the broker; 64 MB is plenty to keep
  // a broker busy, and a full queue holds the runtime back (Produce waits).
  properties.emplace("queue.buffering.max.kbytes", "65536");
  Result<Config> config = MakeConfig(properties);
  if (!config.ok()) return config.error();
  std::unique_ptr<Producer> producer(new Producer());
  rd_kafka_conf_set_opaque(config.value().get(), producer.get());
  rd_kafka_conf_set_dr_msg_cb(config.value().get(), &Producer::OnDelivery);
  rd_kafka_conf_set_error_cb(config.value().get(), &Producer::OnError);
  Result<Client> client = MakeClient(RD_KAFKA_PRODUCER, std::move(config).value());
  if (!client.ok()) return client.error();
  producer->client_ = std::move(client).value();
  Producer* raw = producer.get();
  producer->poller_ = std::thread([raw] {
    while (!raw->stopping_.load()) rd_kafka_poll(raw->client_.get(), 100);
  });
  return producer;
}

Producer::~Producer() {
  stopping_.store(true);
  if (poller_.joinable()) poller_.join();
  // Whatever is still queued is given up here: the owner flushed first when it could.
  if (client_) rd_kafka_flush(client_.get(), 0);
}

Status Producer::Produce(const std::string& topic, std::string_view key, std::string_view payload,
                         std::chrono::milliseconds wait) {
  std::uint64_t epoch = epoch_.load(std::memory_order_acquire);
  std::atomic<std::int64_t>& slot = outstanding_[epoch % kEpochs];
  slot.fetch_add(1, std::memory_order_relaxed);
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    rd_kafka_resp_err_t err = rd_kafka_producev(
        client_.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_VALUE(const_cast<char*>(payload.data()), payload.size()),
        RD_KAFKA_V_KEY(key.empty() ? nullptr : key.data(), key.size()),
        RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<std::uintptr_t>(epoch % kEpochs))),
        RD_KAFKA_V_END);
    if (!err) return Status();
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL && std::chrono::steady_clock::now() < deadline) {
      // The broker is slow or away: wait for deliveries to make room (back-pressure).
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    slot.fetch_sub(1, std::memory_order_relaxed);
    failed_.fetch_add(1);
    // As in OnDelivery: a message refused for itself (too large...) is an error of that event;
    // only a queue that stayed full past the deadline, or a fatal error, stops commits.
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL || err == RD_KAFKA_RESP_ERR__FATAL) {
      gave_up_.store(true);
    }
    return Error{ErrorCode::kUnavailable, fmt::format("cannot queue a message for topic `{}`: {}",
                                                      topic, rd_kafka_err2str(err))};
  }
}

void Producer::OnDelivery(rd_kafka_t* /*client*/, const rd_kafka_message_t* message, void* opaque) {
  auto* self = static_cast<Producer*>(opaque);
  auto slot = reinterpret_cast<std::uintptr_t>(message->_private) % kEpochs;
  if (message->err) {
    self->failed_.fetch_add(1);
    // Retriable trouble is retried by librdkafka until message.timeout.ms; what reaches here
    // is final. A message the broker refuses for itself (too large, not authorised) is an
    // error of that event; losing one to a timeout or a fatal error stops commits.
    if (message->err == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT ||
        message->err == RD_KAFKA_RESP_ERR__FATAL ||
        message->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE ||
        message->err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT) {
      self->gave_up_.store(true);
    }
    self->AddProblem(fmt::format("delivery to topic `{}` failed: {}",
                                 rd_kafka_topic_name(message->rkt),
                                 rd_kafka_err2str(message->err)));
  } else {
    self->delivered_.fetch_add(1, std::memory_order_relaxed);
    self->broker_up_.store(true, std::memory_order_relaxed);
  }
  self->outstanding_[slot].fetch_sub(1, std::memory_order_release);
}

void Producer::OnError(rd_kafka_t* /*client*/, int error, const char* reason, void* opaque) {
  auto* self = static_cast<Producer*>(opaque);
  auto err = static_cast<rd_kafka_resp_err_t>(error);
  if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || err == RD_KAFKA_RESP_ERR__TRANSPORT ||
      err == RD_KAFKA_RESP_ERR__RESOLVE) {
    self->broker_up_.store(false);
  }
  if (err == RD_KAFKA_RESP_ERR__FATAL) self->gave_up_.store(true);
  self->AddProblem(fmt::format("Kafka producer: {}", reason));
}

void Producer::AddProblem(std::string problem) {
  std::lock_guard lock(problems_mutex_);
  if (problems_.size() < 100) problems_.push_back(std::move(problem));
}

std::vector<std::string> Producer::TakeProblems() {
  std::lock_guard lock(problems_mutex_);
  std::vector<std::string> taken;
  taken.swap(problems_);
  return taken;
}

std::int64_t Producer::outstanding() const {
  std::int64_t total = 0;
  for (const auto& slot : outstanding_) total += slot.load(std::memory_order_relaxed);
  return total;
}

std::uint64_t Producer::Mark() {
  return epoch_.fetch_add(1, std::memory_order_acq_rel) + 1;  // epochs < mark are covered
}

bool Producer::Reached(std::uint64_t mark) {
  if (gave_up_.load()) return false;
  std::lock_guard lock(floor_mutex_);
  // Epochs below the current one receive no more messages, so once drained they stay drained.
  // Slots are shared modulo kEpochs: a newer epoch's messages can only delay the answer.
  while (floor_ < mark) {
    if (outstanding_[floor_ % kEpochs].load(std::memory_order_acquire) > 0) return false;
    ++floor_;
  }
  return true;
}

bool Producer::Flush(std::chrono::milliseconds timeout) {
  rd_kafka_resp_err_t err =
      rd_kafka_flush(client_.get(), static_cast<int>(std::max<std::int64_t>(timeout.count(), 0)));
  return err == RD_KAFKA_RESP_ERR_NO_ERROR && !gave_up_.load();
}

}  // namespace coral::kafka
