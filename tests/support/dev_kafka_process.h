// `coral dev-kafka --port 0` as a child process for unit tests: the development broker runs in
// a process of its own, as in the end-to-end tests. Start() waits (bounded) for the bootstrap
// address on the child's first line of output; SetDown sends SIGUSR1/SIGUSR2 and waits for the
// effect; the destructor
// sends SIGTERM and reaps the child.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include <doctest/doctest.h>

extern char** environ;

namespace coral::testing {

class DevKafkaProcess {
 public:
  // `topics` as for --topics ("t:1,u:4").
  explicit DevKafkaProcess(const std::string& topics) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    std::string coral = std::string(CORAL_BINARY_DIR) + "/coral";
    std::string topics_flag = "--topics=" + topics;
    char* argv[] = {coral.data(),
                    const_cast<char*>("dev-kafka"),
                    const_cast<char*>("--port"),
                    const_cast<char*>("0"),
                    topics_flag.data(),
                    nullptr};
    int spawned = posix_spawn(&pid_, coral.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    REQUIRE_MESSAGE(spawned == 0, "cannot start ", coral);
    // The first line: "127.0.0.1:PORT\n", within 10 s.
    std::string line;
    pollfd fd{out[0], POLLIN, 0};
    while (line.find('\n') == std::string::npos && ::poll(&fd, 1, 10'000) > 0) {
      char buffer[64];
      ssize_t got = ::read(out[0], buffer, sizeof(buffer));
      if (got <= 0) break;
      line.append(buffer, static_cast<std::size_t>(got));
    }
    ::close(out[0]);
    REQUIRE_MESSAGE(line.rfind("127.0.0.1:", 0) == 0, "coral dev-kafka printed: ", line);
    bootstrap_ = line.substr(0, line.find('\n'));
  }
  ~DevKafkaProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  DevKafkaProcess(const DevKafkaProcess&) = delete;
  DevKafkaProcess& operator=(const DevKafkaProcess&) = delete;

  const std::string& bootstrap() const { return bootstrap_; }
  // Takes the broker down (or back up) and waits, at most 10 s, until it refuses (or accepts)
  // connections.
  void SetDown(bool down) {
    ::kill(pid_, down ? SIGUSR1 : SIGUSR2);
    for (int attempt = 0; attempt < 1000 && Accepts() == down; ++attempt) ::usleep(10'000);
    CHECK(Accepts() != down);
  }

 private:
  bool Accepts() const {
    int socket = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(std::stoi(bootstrap_.substr(10))));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool accepted = ::connect(socket, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    ::close(socket);
    return accepted;
  }

  pid_t pid_ = -1;
  std::string bootstrap_;
};

}  // namespace coral::testing
