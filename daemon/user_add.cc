#include "user_add.h"

#include <sodium.h>
#include <termios.h>

#include <cerrno>
#include <csignal>
#include <iostream>
#include <optional>

#include "security/password.h"
#include "store/sqlite_store.h"

namespace coral::daemon {
namespace {

// A password in memory, wiped when it goes away.
struct Secret {
  std::string text;
  Secret() = default;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  ~Secret() {
    if (!text.empty()) sodium_memzero(text.data(), text.size());
  }
};

// Reads one line (without its end of line) of at most kMaxPasswordLength + 1 bytes, so that an
// overlong password is noticed without reading unbounded input. False when nothing was read.
bool ReadLine(std::istream& in, Secret& secret) {
  char c;
  bool any = false;
  while (in.get(c)) {
    any = true;
    if (c == '\n') break;
    if (secret.text.size() <= security::kMaxPasswordLength) secret.text.push_back(c);
  }
  if (!secret.text.empty() && secret.text.back() == '\r') secret.text.pop_back();
  return any;
}

// The terminal settings to restore if a signal ends the prompt.
int g_terminal_fd = -1;
termios g_saved_terminal;

extern "C" void RestoreTerminalAndDie(int signal_number) {
  if (g_terminal_fd >= 0) tcsetattr(g_terminal_fd, TCSAFLUSH, &g_saved_terminal);
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

// Turns echo off (dropping what was typed ahead), prompts on `messages` and reads a line from
// the terminal; echo is back on when it returns, or when a signal ends the program.
bool ReadHidden(int fd, std::ostream& messages, const char* prompt, Secret& secret) {
  termios saved;
  if (tcgetattr(fd, &saved) != 0) return false;
  termios quiet = saved;
  quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
  g_saved_terminal = saved;
  g_terminal_fd = fd;
  auto old_int = std::signal(SIGINT, RestoreTerminalAndDie);
  auto old_term = std::signal(SIGTERM, RestoreTerminalAndDie);
  auto old_hup = std::signal(SIGHUP, RestoreTerminalAndDie);
  tcsetattr(fd, TCSAFLUSH, &quiet);
  messages << prompt << std::flush;
  bool any = false;
  for (;;) {
    char c;
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    any = true;
    if (c == '\n') break;
    if (secret.text.size() <= security::kMaxPasswordLength) secret.text.push_back(c);
  }
  tcsetattr(fd, TCSAFLUSH, &saved);
  g_terminal_fd = -1;
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);
  std::signal(SIGHUP, old_hup);
  messages << "\n";
  if (!secret.text.empty() && secret.text.back() == '\r') secret.text.pop_back();
  return any;
}

}  // namespace

int RunUserAdd(const UserAddOptions& options) {
  std::ostream& messages = options.messages != nullptr ? *options.messages : std::cerr;
  std::istream& input = options.input != nullptr ? *options.input : std::cin;
  auto fail = [&](int code, const std::string& message) {
    messages << "corald user add: " << message << "\n";
    return code;
  };

  if (Status status = store::ValidateUserName(options.name); !status.ok()) {
    return fail(2, status.error().message);
  }
  Secret password;
  if (options.password_stdin) {
    if (!ReadLine(input, password)) return fail(2, "no password on stdin (--password-stdin)");
  } else {
    if (options.terminal_fd < 0 || !isatty(options.terminal_fd)) {
      return fail(2, "no terminal to ask for the password on; use --password-stdin");
    }
    Secret again;
    if (!ReadHidden(options.terminal_fd, messages, "Password: ", password) ||
        !ReadHidden(options.terminal_fd, messages, "Password again: ", again)) {
      return fail(2, "no password given");
    }
    if (password.text.size() != again.text.size() ||
        sodium_memcmp(password.text.data(), again.text.data(), password.text.size()) != 0) {
      return fail(1, "the two passwords differ; nothing changed");
    }
  }
  if (Status status = security::CheckPasswordPolicy(password.text); !status.ok()) {
    return fail(2, status.error().message);
  }

  auto hash = security::HashPassword(password.text);
  if (!hash.ok()) return fail(1, hash.error().message);
  store::StoreOptions store_options;
  store_options.node_id = options.node_id;
  auto store = store::SqliteStore::Open(options.data_dir, store_options);
  if (!store.ok()) return fail(1, "cannot open the store: " + store.error().message);
  store::User user;
  user.name = options.name;
  user.admin = options.admin;
  user.password_hash = std::move(hash).value();
  auto created = store.value()->CreateUser(std::move(user));
  if (!created.ok()) return fail(1, created.error().message);
  messages << "corald user add: created " << (options.admin ? "admin " : "") << "user "
           << created.value().name << " (" << created.value().id << ") in "
           << options.data_dir.string() << "\n";
  return 0;
}

}  // namespace coral::daemon
