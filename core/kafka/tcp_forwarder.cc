#include "kafka/tcp_forwarder.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace coral::kafka {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// One relayed connection: the two sockets are closed by whichever direction ends last.
struct Connection {
  int client = -1;
  int server = -1;
  std::mutex mutex;
  int ended = 0;        // guarded by mutex
  bool closed = false;  // guarded by mutex

  void Shutdown() {
    std::lock_guard lock(mutex);
    if (closed) return;
    ::shutdown(client, SHUT_RDWR);
    ::shutdown(server, SHUT_RDWR);
  }
  void End() {
    std::lock_guard lock(mutex);
    ::shutdown(client, SHUT_RDWR);
    ::shutdown(server, SHUT_RDWR);
    if (++ended == 2) {
      ::close(client);
      ::close(server);
      closed = true;
    }
  }
};

// Copies from `from` to `to` until either side closes, then shuts both down so that the
// opposite direction ends too.
void Relay(std::shared_ptr<Connection> connection, int from, int to) {
  std::vector<char> buffer(64 * 1024);
  while (true) {
    ssize_t got = ::read(from, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    ssize_t sent = 0;
    while (sent < got) {
      ssize_t wrote =
          ::send(to, buffer.data() + sent, static_cast<std::size_t>(got - sent), MSG_NOSIGNAL);
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote <= 0) goto done;
      sent += wrote;
    }
  }
done:
  connection->End();
}

}  // namespace

struct TcpForwarder::State {
  int listener = -1;
  int target_port = 0;
  int wake[2] = {-1, -1};  // closes the accept loop
  std::thread acceptor;
  std::mutex mutex;
  std::vector<std::shared_ptr<Connection>> connections;  // guarded by mutex
  std::vector<std::thread> relays;  // guarded by mutex; relays[2i], [2i+1] serve connections[i]

  // Joins the threads of connections both of whose directions have ended (their last act).
  // REQUIRES: mutex held.
  void ReapClosed() {
    for (std::size_t i = 0; i < connections.size();) {
      bool closed = false;
      {
        std::lock_guard connection_lock(connections[i]->mutex);
        closed = connections[i]->closed;
      }
      if (!closed) {
        ++i;
        continue;
      }
      relays[2 * i].join();
      relays[2 * i + 1].join();
      relays.erase(relays.begin() + static_cast<std::ptrdiff_t>(2 * i),
                   relays.begin() + static_cast<std::ptrdiff_t>(2 * i + 2));
      connections.erase(connections.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  std::atomic<bool> stopping{false};

  void Accept() {
    while (!stopping.load()) {
      pollfd fds[2] = {{listener, POLLIN, 0}, {wake[0], POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[1].revents) return;
      if (!(fds[0].revents & POLLIN)) continue;
      int client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in target = Loopback(target_port);
      if (server < 0 ||
          ::connect(server, reinterpret_cast<sockaddr*>(&target), sizeof(target)) != 0) {
        if (server >= 0) ::close(server);
        ::close(client);
        continue;
      }
      int one = 1;
      ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      auto connection = std::make_shared<Connection>();
      connection->client = client;
      connection->server = server;
      std::lock_guard lock(mutex);
      ReapClosed();
      connections.push_back(connection);
      relays.emplace_back(Relay, connection, client, server);
      relays.emplace_back(Relay, connection, server, client);
    }
  }
};

TcpForwarder::TcpForwarder(std::unique_ptr<State> state) : state_(std::move(state)) {}

Result<std::unique_ptr<TcpForwarder>> TcpForwarder::Start(int listen_port, int target_port) {
  auto state = std::make_unique<State>();
  state->target_port = target_port;
  state->listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(state->listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address = Loopback(listen_port);
  if (state->listener < 0 ||
      ::bind(state->listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(state->listener, 64) != 0) {
    std::string reason = std::strerror(errno);
    if (state->listener >= 0) ::close(state->listener);
    return Error{ErrorCode::kUnavailable,
                 fmt::format("cannot listen on 127.0.0.1:{}: {}; choose another --port",
                             listen_port, reason)};
  }
  if (::pipe2(state->wake, O_CLOEXEC) != 0) {
    ::close(state->listener);
    return Error{ErrorCode::kInternal, "cannot create a pipe"};
  }
  State* raw = state.get();
  state->acceptor = std::thread([raw] { raw->Accept(); });
  return std::unique_ptr<TcpForwarder>(new TcpForwarder(std::move(state)));
}

TcpForwarder::~TcpForwarder() {
  state_->stopping.store(true);
  char byte = 0;
  (void)!::write(state_->wake[1], &byte, 1);
  state_->acceptor.join();
  std::vector<std::thread> relays;
  {
    std::lock_guard lock(state_->mutex);
    for (const auto& connection : state_->connections) connection->Shutdown();
    relays.swap(state_->relays);
  }
  for (std::thread& relay : relays) relay.join();
  ::close(state_->listener);
  ::close(state_->wake[0]);
  ::close(state_->wake[1]);
}

}  // namespace coral::kafka
