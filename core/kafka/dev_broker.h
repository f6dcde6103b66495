// A development Kafka broker: librdkafka's mock cluster (one broker, in memory, loopback only),
// for trying pipelines and for tests. Not for production: nothing is persisted, and each
// partition keeps only its newest ~5 MB (librdkafka's mock log limit; older messages go).
//
// The mock broker listens on a port of its own choosing. With a fixed `port`, DevBroker also
// listens on 127.0.0.1:port and forwards each connection to the mock broker, so clients can
// bootstrap at a known address (they then talk to the broker at the address it advertises).
//
// Thread-safety: SetDown may be called from any thread; the destructor stops everything.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"

namespace coral::kafka {

struct TopicSpec {
  std::string name;
  int partitions = 1;
};

class DevBroker {
 public:
  // Starts the broker with `topics` created (others are created on first use, 4 partitions
  // per librdkafka's mock defaults). `port` 0: clients use the mock broker's own port.
  static Result<std::unique_ptr<DevBroker>> Start(int port, const std::vector<TopicSpec>& topics);
  ~DevBroker();
  DevBroker(const DevBroker&) = delete;
  DevBroker& operator=(const DevBroker&) = delete;

  // "127.0.0.1:PORT": where clients bootstrap.
  const std::string& bootstrap() const { return bootstrap_; }
  // Simulates an outage: down closes every connection and refuses new ones until up again
  // (the topics and their messages stay).
  void SetDown(bool down);

 private:
  struct State;
  explicit DevBroker(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
  std::string bootstrap_;
};

}  // namespace coral::kafka
