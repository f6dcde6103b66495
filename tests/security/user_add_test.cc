#include "daemon/user_add.h"

#include <pty.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <doctest/doctest.h>

#include "security/password.h"
#include "store/scratch_dir.h"
#include "store/sqlite_store.h"

namespace coral::daemon {
namespace {

using coral::testing::ScratchDir;

struct Run {
  int code;
  std::string messages;
};

Run UserAdd(const std::filesystem::path& data_dir, const std::string& name, bool admin,
            bool password_stdin, const std::string& stdin_text) {
  std::istringstream input(stdin_text);
  std::ostringstream messages;
  UserAddOptions options;
  options.name = name;
  options.admin = admin;
  options.password_stdin = password_stdin;
  options.data_dir = data_dir;
  options.input = &input;
  options.messages = &messages;
  options.terminal_fd = -1;
  return {RunUserAdd(options), messages.str()};
}

std::unique_ptr<store::SqliteStore> OpenStore(const std::filesystem::path& data_dir) {
  auto store = store::SqliteStore::Open(data_dir);
  REQUIRE_MESSAGE(store.ok(), store.error().message);
  return std::move(store).value();
}

TEST_SUITE("corald user add") {
  TEST_CASE("creates an admin with the password from stdin, hashed, never echoed") {
    ScratchDir dir;
    const auto data_dir = dir.path() / "data";
    Run run = UserAdd(data_dir, "root", true, true, "first admin pw\nignored second line\n");
    CHECK_MESSAGE(run.code == 0, run.messages);
    CHECK(run.messages.find("created admin user root") != std::string::npos);
    CHECK(run.messages.find("first admin pw") == std::string::npos);
    auto user = OpenStore(data_dir)->FindUserByName("root");
    REQUIRE(user.ok());
    CHECK(user.value().admin);
    CHECK(user.value().password_hash.starts_with("$argon2id$"));
    CHECK(security::VerifyPassword("first admin pw", user.value().password_hash));
  }

  TEST_CASE("a Windows line end and a missing final newline are fine; not admin by default") {
    ScratchDir dir;
    CHECK(UserAdd(dir.path(), "alice", false, true, "password1\r\n").code == 0);
    CHECK(UserAdd(dir.path(), "bob", false, true, "password2").code == 0);
    auto store = OpenStore(dir.path());
    CHECK_FALSE(store->FindUserByName("alice").value().admin);
    CHECK(security::VerifyPassword("password1",
                                   store->FindUserByName("alice").value().password_hash));
    CHECK(
        security::VerifyPassword("password2", store->FindUserByName("bob").value().password_hash));
  }

  TEST_CASE("usage errors exit 2, failures exit 1, with a message and nothing stored") {
    ScratchDir dir;
    Run short_password = UserAdd(dir.path(), "alice", false, true, "short\n");
    CHECK(short_password.code == 2);
    CHECK(short_password.messages == "corald user add: a password has at least 8 characters\n");
    Run bad_name = UserAdd(dir.path(), "al ice", false, true, "long enough\n");
    CHECK(bad_name.code == 2);
    CHECK(bad_name.messages.find("user name") != std::string::npos);
    Run empty_stdin = UserAdd(dir.path(), "alice", false, true, "");
    CHECK(empty_stdin.code == 2);
    CHECK(empty_stdin.messages == "corald user add: no password on stdin (--password-stdin)\n");
    Run no_terminal = UserAdd(dir.path(), "alice", false, false, "long enough\n");
    CHECK(no_terminal.code == 2);
    CHECK(no_terminal.messages ==
          "corald user add: no terminal to ask for the password on; use --password-stdin\n");
    CHECK(OpenStore(dir.path())->ListUsers().value().empty());

    CHECK(UserAdd(dir.path(), "alice", false, true, "long enough\n").code == 0);
    Run taken = UserAdd(dir.path(), "alice", true, true, "another one\n");
    CHECK(taken.code == 1);
    CHECK(taken.messages == "corald user add: a user named 'alice' already exists\n");
    CHECK_FALSE(OpenStore(dir.path())->FindUserByName("alice").value().admin);
  }

  TEST_CASE("a data directory that cannot be created exits 1") {
    ScratchDir dir;
    std::ofstream(dir.path() / "file").close();
    Run run = UserAdd(dir.path() / "file" / "data", "alice", false, true, "long enough\n");
    CHECK(run.code == 1);
    CHECK(run.messages.find("cannot open the store") != std::string::npos);
  }
}

}  // namespace
}  // namespace coral::daemon

// --- The terminal prompt, through a pseudo-terminal.

namespace coral::daemon {
namespace {

// An ostream whose text another thread can wait for.
class WatchedStream : public std::streambuf {
 public:
  bool WaitFor(const std::string& text, std::size_t occurrences) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10),
                             [&] { return Count(text) >= occurrences; });
  }
  std::string text() {
    std::lock_guard lock(mutex_);
    return text_;
  }

 protected:
  int overflow(int c) override {
    if (c == EOF) return 0;
    std::lock_guard lock(mutex_);
    text_.push_back(static_cast<char>(c));
    changed_.notify_all();
    return c;
  }

 private:
  std::size_t Count(const std::string& needle) const {
    std::size_t count = 0;
    for (std::size_t at = text_.find(needle); at != std::string::npos;
         at = text_.find(needle, at + 1)) {
      ++count;
    }
    return count;
  }
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string text_;
};

struct Terminal {
  int controller = -1;
  int device = -1;
  Terminal() { REQUIRE(openpty(&controller, &device, nullptr, nullptr, nullptr) == 0); }
  ~Terminal() {
    close(controller);
    close(device);
  }
  bool Echoes() const {
    termios settings{};
    tcgetattr(device, &settings);
    return (settings.c_lflag & ECHO) != 0;
  }
};

Run UserAddOnTerminal(const std::filesystem::path& data_dir, const std::string& first,
                      const std::string& second, std::vector<bool>& echo_at_prompts) {
  Terminal terminal;
  WatchedStream watched;
  std::ostream messages(&watched);
  UserAddOptions options;
  options.name = "alice";
  options.data_dir = data_dir;
  options.messages = &messages;
  options.terminal_fd = terminal.device;
  int code = -1;
  std::thread command([&] { code = RunUserAdd(options); });
  REQUIRE(watched.WaitFor("Password: ", 1));
  echo_at_prompts.push_back(terminal.Echoes());
  REQUIRE(write(terminal.controller, first.data(), first.size()) ==
          static_cast<ssize_t>(first.size()));
  REQUIRE(watched.WaitFor("Password again: ", 1));
  echo_at_prompts.push_back(terminal.Echoes());
  REQUIRE(write(terminal.controller, second.data(), second.size()) ==
          static_cast<ssize_t>(second.size()));
  command.join();
  echo_at_prompts.push_back(terminal.Echoes());
  return {code, watched.text()};
}

TEST_SUITE("corald user add") {
  TEST_CASE("on a terminal the password is asked twice with echo off") {
    ScratchDir dir;
    std::vector<bool> echo;
    Run run = UserAddOnTerminal(dir.path(), "typed secret\n", "typed secret\n", echo);
    CHECK_MESSAGE(run.code == 0, run.messages);
    CHECK(echo == std::vector<bool>{false, false, true});  // and back on afterwards
    auto user = OpenStore(dir.path())->FindUserByName("alice");
    REQUIRE(user.ok());
    CHECK(security::VerifyPassword("typed secret", user.value().password_hash));
  }

  TEST_CASE("two different passwords on the terminal change nothing") {
    ScratchDir dir;
    std::vector<bool> echo;
    Run run = UserAddOnTerminal(dir.path(), "typed secret\n", "typed secreT\n", echo);
    CHECK(run.code == 1);
    CHECK(run.messages.find("the two passwords differ") != std::string::npos);
    CHECK(OpenStore(dir.path())->ListUsers().value().empty());
  }
}

}  // namespace
}  // namespace coral::daemon
