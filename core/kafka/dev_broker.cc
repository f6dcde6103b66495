#include "kafka/dev_broker.h"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
// clang-format off: rdkafka_mock.h must follow rdkafka.h
#include <librdkafka/rdkafka_mock.h>
// clang-format on

#include <array>
#include <mutex>

#include "kafka/handles.h"
#include "kafka/tcp_forwarder.h"

namespace coral::kafka {

struct DevBroker::State {
  Client client;  // the mock cluster runs on this client's thread; it must outlive the cluster
  rd_kafka_mock_cluster_t* cluster = nullptr;
  std::unique_ptr<TcpForwarder> forwarder;
  std::mutex mutex;  // SetDown

  ~State() {
    forwarder.reset();
    if (cluster) rd_kafka_mock_cluster_destroy(cluster);
  }
};

DevBroker::DevBroker(std::unique_ptr<State> state) : state_(std::move(state)) {}
DevBroker::~DevBroker() = default;

Result<std::unique_ptr<DevBroker>> DevBroker::Start(int port,
                                                    const std::vector<TopicSpec>& topics) {
  // The mock cluster needs a client to run on; its own properties do not matter.
  Result<Config> config = MakeConfig({{"log_level", "3"}});
  if (!config.ok()) return config.error();
  Result<Client> client = MakeClient(RD_KAFKA_PRODUCER, std::move(config).value());
  if (!client.ok()) return client.error();
  auto state = std::make_unique<State>();
  state->client = std::move(client).value();
  state->cluster = rd_kafka_mock_cluster_new(state->client.get(), 1);
  if (!state->cluster) {
    return Error{ErrorCode::kUnavailable, "librdkafka could not start its mock cluster"};
  }
  for (const TopicSpec& topic : topics) {
    rd_kafka_resp_err_t err =
        rd_kafka_mock_topic_create(state->cluster, topic.name.c_str(), topic.partitions, 1);
    if (err) {
      return Error{ErrorCode::kInvalidArgument,
                   fmt::format("cannot create topic `{}`: {}", topic.name, rd_kafka_err2str(err))};
    }
  }
  std::string own = rd_kafka_mock_cluster_bootstraps(state->cluster);  // "127.0.0.1:PORT"
  std::string bootstrap = own;
  if (port != 0) {
    int own_port = std::stoi(own.substr(own.rfind(':') + 1));
    Result<std::unique_ptr<TcpForwarder>> forwarder = TcpForwarder::Start(port, own_port);
    if (!forwarder.ok()) return forwarder.error();
    state->forwarder = std::move(forwarder).value();
    bootstrap = fmt::format("127.0.0.1:{}", port);
  }
  auto broker = std::unique_ptr<DevBroker>(new DevBroker(std::move(state)));
  broker->bootstrap_ = std::move(bootstrap);
  return broker;
}

void DevBroker::SetDown(bool down) {
  std::lock_guard lock(state_->mutex);
  if (down) {
    rd_kafka_mock_broker_set_down(state_->cluster, 1);
  } else {
    rd_kafka_mock_broker_set_up(state_->cluster, 1);
  }
}

}  // namespace coral::kafka
