// `corald user add NAME [--admin] [--password-stdin] [--data-dir DIR]`: creates a user in the
// store of a data directory, offline (the daemon may run at the same time). The password is the
// first line of stdin with --password-stdin; otherwise it is asked twice on the terminal with
// echo off, and without a terminal the command refuses to run.
//
// Exit codes: 0 created; 2 usage (invalid name, password too short, no terminal and no
// --password-stdin, nothing on stdin); 1 failure (the name is taken, the store cannot be opened,
// the two passwords differ). Messages for people go to stderr; the password never does.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

#include <unistd.h>

namespace coral::daemon {

struct UserAddOptions {
  std::string name;
  bool admin = false;
  bool password_stdin = false;
  std::filesystem::path data_dir = "/var/lib/coral";
  std::string node_id = "local";  // recorded in the new user's version
  // Seams for tests. `input`: where --password-stdin reads (default std::cin); `messages`:
  // where messages go (default std::cerr); `terminal_fd`: where the prompt reads with echo off
  // (-1: no terminal).
  std::istream* input = nullptr;
  std::ostream* messages = nullptr;
  int terminal_fd = STDIN_FILENO;
};

int RunUserAdd(const UserAddOptions& options);

}  // namespace coral::daemon
