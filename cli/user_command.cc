// coral user add NAME      POST /api/users {name, password, fullname?, email?, mobile?,
//                                            department?}
// coral user remove NAME   DELETE /api/users/<NAME>
// coral user list          GET /api/users
// Admins only (the server decides). The password comes from stdin (--password-stdin) or a prompt
// with echo off, typed twice; never from the command line.
#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/http_client.h"
#include "cli/output.h"

namespace coral::cli {
namespace {

struct UserOptions {
  CLI::App* add = nullptr;
  CLI::App* remove = nullptr;
  CLI::App* list = nullptr;
  std::string name;
  std::string fullname, email, mobile, department;
  bool password_stdin = false;
};

// The terminal's settings while echo is off, restored on Ctrl-C too.
termios g_saved_terminal{};
int g_terminal_fd = -1;

void RestoreTerminalAndDie(int signal) {
  if (g_terminal_fd >= 0) tcsetattr(g_terminal_fd, TCSAFLUSH, &g_saved_terminal);
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

// Reads one line from the terminal with echo off. nullopt when there is no terminal.
std::optional<std::string> ReadHidden(const std::string& prompt) {
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (tty == nullptr) return std::nullopt;
  int fd = fileno(tty);
  std::fputs(prompt.c_str(), tty);
  std::fflush(tty);
  termios hidden{};
  bool echo_off = tcgetattr(fd, &g_saved_terminal) == 0;
  if (echo_off) {
    g_terminal_fd = fd;
    auto previous_int = std::signal(SIGINT, RestoreTerminalAndDie);
    auto previous_term = std::signal(SIGTERM, RestoreTerminalAndDie);
    hidden = g_saved_terminal;
    hidden.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &hidden);
    std::string line;
    for (int c = std::fgetc(tty); c != EOF && c != '\n'; c = std::fgetc(tty)) {
      line += static_cast<char>(c);
    }
    tcsetattr(fd, TCSAFLUSH, &g_saved_terminal);
    std::signal(SIGINT, previous_int);
    std::signal(SIGTERM, previous_term);
    g_terminal_fd = -1;
    std::fputs("\n", tty);
    std::fclose(tty);
    return line;
  }
  std::fclose(tty);
  return std::nullopt;
}

Result<std::string> ReadPassword(const UserOptions& options) {
  if (options.password_stdin) {
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.empty()) {
      return Error{ErrorCode::kInvalidArgument, "--password-stdin: standard input was empty"};
    }
    return password;
  }
  std::optional<std::string> first = ReadHidden(fmt::format("Password for {}: ", options.name));
  if (!first) {
    return Error{ErrorCode::kInvalidArgument,
                 "no terminal to ask for the password; give it on standard input with "
                 "--password-stdin"};
  }
  if (first->empty()) return Error{ErrorCode::kInvalidArgument, "the password is empty"};
  std::optional<std::string> second = ReadHidden("Again: ");
  if (!second || *second != *first) {
    return Error{ErrorCode::kInvalidArgument, "the two passwords differ; nothing was changed"};
  }
  return *first;
}

int Add(HttpClient& client, const UserOptions& options, const GlobalOptions& global) {
  Result<std::string> password = ReadPassword(options);
  if (!password.ok()) return ReportError(password.error(), "user add");
  Json body = {{"name", options.name}};
  if (!options.fullname.empty()) body["fullname"] = options.fullname;
  if (!options.email.empty()) body["email"] = options.email;
  if (!options.mobile.empty()) body["mobile"] = options.mobile;
  if (!options.department.empty()) body["department"] = options.department;
  body["password"] = password.value();
  Result<Json> answer = client.Post(PathFor({"users"}), body);
  if (!answer.ok()) return ReportError(answer.error(), options.name);
  if (global.table()) {
    std::cout << options.name << ": created\n";
  } else {
    PrintDocument({{"created", options.name}}, global, std::cout);
  }
  return kExitOk;
}

int Remove(HttpClient& client, const UserOptions& options, const GlobalOptions& global) {
  Result<Json> answer = client.Delete(PathFor({"users", options.name}));
  if (!answer.ok()) return ReportError(answer.error(), options.name);
  if (global.table()) {
    std::cout << options.name << ": deleted\n";
  } else {
    PrintDocument({{"deleted", options.name}}, global, std::cout);
  }
  return kExitOk;
}

int List(HttpClient& client, const GlobalOptions& global) {
  Result<Json> answer = client.Get(PathFor({"users"}));
  if (!answer.ok()) return ReportError(answer.error());
  if (!global.table()) {
    PrintDocument(Payload(answer.value()), global, std::cout);
    return kExitOk;
  }
  Table table{{"name", "fullname", "email", "mobile", "department", "admin"}, {}};
  for (const Json& user : ListItems(answer.value(), {"users", "data", "items"})) {
    std::vector<std::string> row;
    for (const std::string& column : table.headers) {
      row.push_back(user.is_object() && user.contains(column) ? CellText(user[column]) : "-");
    }
    table.rows.push_back(std::move(row));
  }
  PrintTable(table, std::cout);
  return kExitOk;
}

}  // namespace

CommandAction DefineUser(CLI::App& command, const GlobalOptions& global) {
  auto options = std::make_shared<UserOptions>();
  command.require_subcommand(1);
  options->add = command.add_subcommand("add", "Create a user (admins only)");
  options->add->add_option("NAME", options->name, "user name")->required();
  options->add->add_option("--fullname", options->fullname, "full name");
  options->add->add_option("--email", options->email, "e-mail address");
  options->add->add_option("--mobile", options->mobile, "mobile phone number");
  options->add->add_option("--department", options->department, "department");
  options->add->add_flag("--password-stdin", options->password_stdin,
                         "read the password from the first line of stdin instead of asking");
  options->add->footer(
      "Without --password-stdin, asks for the password twice with echo off.\n"
      "Example:\n  coral user add ann --fullname 'Ann Lee' --email ann@example.org\n"
      "  printf '%s\\n' \"$PASSWORD\" | coral user add ci-bot --password-stdin");
  options->remove = command.add_subcommand("remove", "Delete a user (admins only)");
  options->remove->add_option("NAME", options->name, "user name")->required();
  options->remove->footer("Example:\n  coral user remove ann");
  options->list = command.add_subcommand("list", "List the users (admins only)");
  options->list->footer("Example:\n  coral user list\n  coral -o json user list");
  command.footer(
      "The first admin is created offline on the daemon's host: corald user add NAME --admin.\n"
      "Example:\n  coral user add ann\n  coral user list");
  return [options, &global]() -> int {
    Result<HttpClient> client = MakeClient(global, std::cerr);
    if (!client.ok()) return ReportError(client.error());
    if (options->add->parsed()) return Add(client.value(), *options, global);
    if (options->remove->parsed()) return Remove(client.value(), *options, global);
    return List(client.value(), global);
  };
}

}  // namespace coral::cli
