// How `coral` talks to corald: where the server is (--server, $CORAL_SERVER), who the user is
// (credentials), and how every HTTP outcome becomes an ErrorCode -- hence an exit code, through
// cli/exit_codes.h. Status -> ErrorCode happens in ErrorFromResponse and nowhere else:
//
//   transport failure (refused, timeout, TLS)  kUnavailable        exit 6
//   401, 403                                   kUnauthenticated,
//                                              kPermissionDenied   exit 5
//   404                                        kNotFound           exit 4
//   400 on a request whose body is a runtime   kInvalidDefinition  exit 3
//   400 otherwise, other 4xx but 405/409       kInvalidArgument    exit 2 (error.h: "malformed
//                                                                  request"; the command line
//                                                                  carried something the server
//                                                                  refuses, like a bad seed)
//   405, 409, 5xx (503 too: the server was      kConflict,
//   reached; a node behind it was not)          kInternal           exit 1
//
// Not thread-safe: one HttpClient per command run.
#pragma once

#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "common/error.h"

namespace httplib {
class Client;
}

namespace coral::cli {

using Json = nlohmann::ordered_json;

// A parsed --server value: http:// or https://, a host (IPv6 in brackets), an optional port
// (default 80 / 443 as in any URL) and an optional path prefix (a reverse proxy's).
struct ServerAddress {
  std::string scheme;  // "http" | "https"
  std::string host;    // without brackets
  int port = 0;
  std::string base_path;  // "" or "/prefix", no trailing slash
  std::string url;        // normalized, for messages: "http://127.0.0.1:8000"
};

// Errors are kInvalidArgument with a message that says what to write instead.
Result<ServerAddress> ParseServerUrl(std::string_view url);

struct Credentials {
  std::string user;  // empty: no Authorization header is sent
  std::string password;
};

// Where credentials may come from, in order of precedence: the --user / --password-insecure
// flags, $CORAL_USER / $CORAL_PASSWORD, the credentials file.
struct CredentialSources {
  std::string flag_user;  // main.cc folds $CORAL_USER into --user's default
  std::optional<std::string> flag_password;
  std::optional<std::string> env_password;
  std::filesystem::path file;  // ${XDG_CONFIG_HOME:-$HOME/.config}/coral/credentials
};

CredentialSources CredentialSourcesFromEnvironment(const GlobalOptions& global);

// Parses `user = NAME` / `password = SECRET` lines ('#' comments, blank lines allowed). Unknown
// keys and malformed lines are warnings naming file:line, written to `warnings`.
Credentials ParseCredentialsText(std::string_view text, const std::string& source_name,
                                 std::ostream& warnings);

// Applies the precedence above. Reads the file when it exists and warns, like ssh does, when
// it is readable or writable by group or others.
Credentials ResolveCredentials(const CredentialSources& sources, std::ostream& warnings);

struct ClientOptions {
  ServerAddress server;
  Credentials credentials;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{30000};
};

// What a request body is, for the status mapping: a 400 about a runtime definition is exit 3.
enum class BodyKind { kOther, kDefinition };

// Transport failure -> kUnavailable, naming the server tried and how to name another.
Error ErrorFromTransport(int httplib_error, const ClientOptions& options);
// An HTTP error status and body -> Error. The message is "<reason>: <details>" from the server's
// `{success: false, reason, details}`, or "HTTP <status> <phrase>: <body start>" otherwise;
// 401/403 add a hint line about credentials.
Error ErrorFromResponse(int status, std::string_view body, BodyKind kind);

class HttpClient {
 public:
  explicit HttpClient(ClientOptions options);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  // Each returns the response body as JSON (null when empty, a string when it is not JSON) for
  // a 2xx status, else an Error per the table above. `path` starts with "/api/..." and must
  // already be escaped (see PathFor).
  Result<Json> Get(const std::string& path);
  Result<Json> Put(const std::string& path, const Json& body, BodyKind kind = BodyKind::kOther);
  Result<Json> Post(const std::string& path, const Json& body, BodyKind kind = BodyKind::kOther);
  // `json_text` is sent as it is (already valid JSON; used to batch events without re-encoding).
  Result<Json> PostText(const std::string& path, std::string json_text);
  Result<Json> Patch(const std::string& path, const Json& body);
  Result<Json> Delete(const std::string& path, const std::optional<Json>& body = std::nullopt);

  const ClientOptions& options() const { return options_; }

 private:
  Result<Json> Send(std::string_view method, const std::string& path, const std::string* body,
                    BodyKind kind);

  ClientOptions options_;
  std::unique_ptr<httplib::Client> client_;
};

// The server and credentials from the global flags and the environment. Errors: kInvalidArgument
// (a bad --server). Warnings (an open credentials file) go to `warnings`.
Result<HttpClient> MakeClient(const GlobalOptions& global, std::ostream& warnings);

// "/api/runtimes" + "/" + each segment percent-encoded: PathFor({"runtimes", name, "stats"}).
std::string PathFor(std::initializer_list<std::string_view> segments);

// Prints "coral: [<subject>: ]<message>" on stderr and returns the exit code of `error`.
int ReportError(const Error& error, std::string_view subject = {});

}  // namespace coral::cli
