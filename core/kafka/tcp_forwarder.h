// Listens on 127.0.0.1:port and relays each accepted connection, byte for byte, to a target on
// 127.0.0.1. Used by DevBroker to give the mock broker a fixed bootstrap port.
//
// Two threads per connection (one per direction) plus one accept thread; the destructor closes
// every socket and joins every thread. Loopback only, by construction.
#pragma once

#include <memory>

#include "common/error.h"

namespace coral::kafka {

class TcpForwarder {
 public:
  // Binds 127.0.0.1:listen_port (kUnavailable when taken) and starts accepting.
  static Result<std::unique_ptr<TcpForwarder>> Start(int listen_port, int target_port);
  ~TcpForwarder();
  TcpForwarder(const TcpForwarder&) = delete;
  TcpForwarder& operator=(const TcpForwarder&) = delete;

 private:
  struct State;
  explicit TcpForwarder(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace coral::kafka
