// The REST API server: cpp-httplib on a bounded thread pool, keep-alive, read/write timeouts,
// bodies limited to config.max_body_bytes (413). See api.h for the request chain.
//
// Thread-safety: Start and Stop from one thread; requests are served on the pool's threads.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <httplib.h>

#include "api/api.h"

namespace coral::api {

class ApiServer {
 public:
  // Threads serving connections (a keep-alive connection holds one while it is open).
  static constexpr std::size_t kThreads = 96;
  // Connections the kernel queues while every thread is busy accepting.
  static constexpr int kListenBacklog = 1024;

  explicit ApiServer(Services& services);
  ~ApiServer();  // Stop()
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds config.api_interface:api_port and serves on a thread of its own. kUnavailable when
  // the address cannot be bound.
  Status Start();
  void Stop();
  int port() const { return port_; }

 private:
  void Dispatch(const httplib::Request& http, httplib::Response& response);
  Result<security::Principal> Authenticate(const std::string& authorization,
                                           const std::string& address);

  Services& services_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  int listen_socket_ = -1;  // set while binding (httplib's socket-options hook)
  // accept-all: the one implicit principal, asked from the store once and then read lock-free.
  std::mutex accept_all_mutex_;  // serialises setting it
  std::unique_ptr<const security::Principal> accept_all_storage_;
  std::atomic<const security::Principal*> accept_all_principal_{nullptr};
};

}  // namespace coral::api
