// A librdkafka producer that knows which of its messages are still unacknowledged, for
// at-least-once: it is an actors::AsyncOutput (marks, Reached, Flush) in the runtime copy's
// PendingOutputs. Idempotent (enable.idempotence=true, so retries never duplicate).
//
// Bookkeeping without a per-message allocation: messages are counted per epoch in a ring of
// counters (the epoch rides in the message's opaque); Mark() starts a new epoch, and a mark is
// reached when every epoch before it has no message outstanding. A message given up for good
// (timed out, fatal producer error) makes every later Reached false: the consumer then stops
// committing, and what it read since its last commit is read again after a restart.
//
// Threading: Produce from one thread at a time (the actor's turn); a thread of its own serves
// delivery reports; Mark/Reached/Flush from any thread. TakeProblems from the actor's turn.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "actors/pending_outputs.h"
#include "common/error.h"
#include "kafka/handles.h"

namespace coral::kafka {

class Producer : public actors::AsyncOutput {
 public:
  // Creates the client from `properties` (idempotence forced on). kInvalidDefinition when
  // librdkafka rejects a property.
  static Result<std::unique_ptr<Producer>> Create(std::map<std::string, std::string> properties);
  ~Producer() override;

  // Queues one message; waits while librdkafka's queue is full, at most `wait`. Fails with
  // kUnavailable when it stays full (the message is then given up, see above).
  Status Produce(const std::string& topic, std::string_view key, std::string_view payload,
                 std::chrono::milliseconds wait = std::chrono::seconds(60));

  std::uint64_t Mark() override;
  bool Reached(std::uint64_t mark) override;
  bool Flush(std::chrono::milliseconds timeout) override;

  // Problems seen since the last call (delivery failures, broker errors), for Fail().
  std::vector<std::string> TakeProblems();
  // Counters for State().
  std::uint64_t delivered() const { return delivered_.load(); }
  std::uint64_t failed() const { return failed_.load(); }
  std::int64_t outstanding() const;
  bool broker_up() const { return broker_up_.load(); }
  bool gave_up() const { return gave_up_.load(); }

 private:
  static constexpr std::size_t kEpochs = 16;
  Producer() = default;
  static void OnDelivery(rd_kafka_t* client, const rd_kafka_message_t* message, void* opaque);
  static void OnError(rd_kafka_t* client, int error, const char* reason, void* opaque);
  void AddProblem(std::string problem);

  Client client_;
  std::thread poller_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> epoch_{0};
  std::array<std::atomic<std::int64_t>, kEpochs> outstanding_{};
  std::mutex floor_mutex_;
  std::uint64_t floor_ = 0;  // guarded by floor_mutex_: epochs below are drained
  std::atomic<std::uint64_t> delivered_{0}, failed_{0};
  std::atomic<bool> gave_up_{false};
  std::atomic<bool> broker_up_{true};
  std::mutex problems_mutex_;
  std::vector<std::string> problems_;  // guarded by problems_mutex_
};

}  // namespace coral::kafka
