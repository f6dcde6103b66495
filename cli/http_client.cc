#include "cli/http_client.h"

#include <sys/stat.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <httplib.h>

#include "cli/exit_codes.h"
#include "common/version.h"

namespace coral::cli {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

std::string QuoteJson(std::string_view text) {
  return Json(std::string(text)).dump();
}

Error BadServer(std::string_view url, std::string_view why) {
  return Error{ErrorCode::kInvalidArgument,
               fmt::format("--server {}: {} (write http://HOST:PORT or https://HOST:PORT, e.g. "
                           "http://127.0.0.1:8000)",
                           QuoteJson(url), why)};
}

std::string_view StatusPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

ErrorCode CodeForStatus(int status, BodyKind kind) {
  switch (status) {
    case 400:
      return kind == BodyKind::kDefinition ? ErrorCode::kInvalidDefinition
                                           : ErrorCode::kInvalidArgument;
    case 401:
      return ErrorCode::kUnauthenticated;
    case 403:
      return ErrorCode::kPermissionDenied;
    case 404:
      return ErrorCode::kNotFound;
    case 405:
      return ErrorCode::kInternal;  // a client newer than the server
    case 409:
      return ErrorCode::kConflict;
    default:
      break;
  }
  return status >= 400 && status < 500 ? ErrorCode::kInvalidArgument : ErrorCode::kInternal;
}

// `details` may be a string, a list of problems (one per line) or any JSON.
std::string DetailsText(const Json& details) {
  if (details.is_null()) return "";
  if (details.is_string()) return details.get<std::string>();
  if (details.is_array()) {
    std::string out;
    for (const Json& item : details) {
      out += "\n  ";
      out += item.is_string() ? item.get<std::string>() : item.dump();
    }
    return out;
  }
  return details.dump();
}

}  // namespace

Result<ServerAddress> ParseServerUrl(std::string_view url) {
  std::string_view rest = Trim(url);
  if (rest.empty()) return BadServer(url, "empty");
  std::size_t scheme_end = rest.find("://");
  if (scheme_end == std::string_view::npos) return BadServer(url, "no scheme");
  ServerAddress address;
  address.scheme = Lower(rest.substr(0, scheme_end));
  if (address.scheme != "http" && address.scheme != "https") {
    return BadServer(url, fmt::format("scheme {} is not supported; only http and https are",
                                      QuoteJson(address.scheme)));
  }
  rest.remove_prefix(scheme_end + 3);
  std::size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view path = authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return BadServer(url,
                     "credentials in the URL are not accepted; use $CORAL_USER and "
                     "$CORAL_PASSWORD or ~/.config/coral/credentials");
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return BadServer(url, "unclosed [ in the IPv6 address");
    address.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return BadServer(url, "unexpected text after the IPv6 address");
      port_text = after.substr(1);
      if (port_text.empty()) return BadServer(url, "empty port");
    }
  } else {
    std::size_t colon = authority.rfind(':');
    address.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return BadServer(url, "empty port");
    }
  }
  if (address.host.empty()) return BadServer(url, "no host");
  address.port = address.scheme == "https" ? 443 : 80;
  if (!port_text.empty()) {
    int port = 0;
    for (char c : port_text) {
      if (!std::isdigit(static_cast<unsigned char>(c)) || port > 65535) {
        return BadServer(
            url, fmt::format("port {} is not a number from 1 to 65535", QuoteJson(port_text)));
      }
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) {
      return BadServer(url, fmt::format("port {} is not a number from 1 to 65535", port_text));
    }
    address.port = port;
  }
  if (path.find_first_of("?#") != std::string_view::npos) {
    return BadServer(url, "a query or fragment has no meaning here");
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  address.base_path = std::string(path);
  std::string host = address.host.find(':') != std::string::npos ? fmt::format("[{}]", address.host)
                                                                 : address.host;
  address.url = fmt::format("{}://{}:{}{}", address.scheme, host, address.port, address.base_path);
  return address;
}

CredentialSources CredentialSourcesFromEnvironment(const GlobalOptions& global) {
  CredentialSources sources;
  sources.flag_user = global.user;
  if (!global.password_insecure.empty()) sources.flag_password = global.password_insecure;
  if (const char* password = std::getenv("CORAL_PASSWORD"); password && *password) {
    sources.env_password = password;
  }
  const char* config_home = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  if (config_home && *config_home) {
    sources.file = std::filesystem::path(config_home) / "coral" / "credentials";
  } else if (home && *home) {
    sources.file = std::filesystem::path(home) / ".config" / "coral" / "credentials";
  }
  return sources;
}

Credentials ParseCredentialsText(std::string_view text, const std::string& source_name,
                                 std::ostream& warnings) {
  Credentials credentials;
  int line_number = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    std::size_t equals = line.find('=');
    if (equals == std::string_view::npos) {
      warnings << fmt::format(
          "coral: warning: {}:{}: expected `user = NAME` or "
          "`password = SECRET`; line ignored\n",
          source_name, line_number);
      continue;
    }
    std::string key = Lower(Trim(line.substr(0, equals)));
    std::string value(Trim(line.substr(equals + 1)));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    if (key == "user") {
      credentials.user = value;
    } else if (key == "password") {
      credentials.password = value;
    } else {
      warnings << fmt::format(
          "coral: warning: {}:{}: unknown key `{}` (known: user, password); "
          "line ignored\n",
          source_name, line_number, key);
    }
  }
  return credentials;
}

Credentials ResolveCredentials(const CredentialSources& sources, std::ostream& warnings) {
  Credentials from_file;
  bool file_has_password = false;
  std::error_code error;
  if (!sources.file.empty() && std::filesystem::is_regular_file(sources.file, error)) {
    struct stat info {};
    if (::stat(sources.file.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
      warnings << fmt::format(
          "coral: warning: {} is accessible by group or others (mode {:04o}); it holds a "
          "password: run `chmod 600 {}`\n",
          sources.file.string(), info.st_mode & 07777, sources.file.string());
    }
    std::ifstream in(sources.file);
    std::stringstream text;
    text << in.rdbuf();
    from_file = ParseCredentialsText(text.str(), sources.file.string(), warnings);
    file_has_password = !from_file.password.empty();
  }
  Credentials credentials;
  credentials.user = !sources.flag_user.empty() ? sources.flag_user : from_file.user;
  if (sources.flag_password) {
    credentials.password = *sources.flag_password;
  } else if (sources.env_password) {
    credentials.password = *sources.env_password;
  } else if (file_has_password) {
    credentials.password = from_file.password;
  }
  return credentials;
}

Error ErrorFromTransport(int httplib_error, const ClientOptions& options) {
  const std::string& url = options.server.url;
  std::string what;
  switch (static_cast<httplib::Error>(httplib_error)) {
    case httplib::Error::Connection:
      what = "connection refused or host unreachable; is corald running there?";
      break;
    case httplib::Error::ConnectionTimeout:
      what = fmt::format("no connection within {} ms", options.connect_timeout.count());
      break;
    case httplib::Error::Read:
      what = fmt::format("no complete answer within {} ms, or the connection was closed",
                         options.read_timeout.count());
      break;
    case httplib::Error::Write:
      what = "the connection broke while sending the request";
      break;
    case httplib::Error::SSLConnection:
      what = "the TLS handshake failed (is it an https server?)";
      break;
    case httplib::Error::SSLServerVerification:
      what = "the server's TLS certificate is not trusted";
      break;
    case httplib::Error::SSLLoadingCerts:
      what = "the system's CA certificates could not be loaded";
      break;
    default:
      what = httplib::to_string(static_cast<httplib::Error>(httplib_error));
      break;
  }
  return Error{ErrorCode::kUnavailable,
               fmt::format("cannot reach corald at {}: {}\n  (name another server with "
                           "--server URL or $CORAL_SERVER)",
                           url, what)};
}

Error ErrorFromResponse(int status, std::string_view body, BodyKind kind) {
  ErrorCode code = CodeForStatus(status, kind);
  std::string message;
  Json parsed = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object() && parsed.contains("reason")) {
    const Json& reason = parsed["reason"];
    message = reason.is_string() ? reason.get<std::string>() : reason.dump();
    std::string details = parsed.contains("details") ? DetailsText(parsed["details"]) : "";
    if (!details.empty()) message += (details.front() == '\n' ? ":" : ": ") + details;
  } else {
    message = fmt::format("HTTP {} {}", status, StatusPhrase(status));
    while (!message.empty() && message.back() == ' ') message.pop_back();
    std::string_view start = Trim(body.substr(0, 300));
    start = start.substr(0, start.find('\n'));
    if (!start.empty()) message += fmt::format(": {}", start);
  }
  if (status == 401) {
    message +=
        "\n  (give credentials with $CORAL_USER and $CORAL_PASSWORD, or `user = ...` and "
        "`password = ...` in ~/.config/coral/credentials)";
  }
  return Error{code, std::move(message)};
}

HttpClient::HttpClient(ClientOptions options) : options_(std::move(options)) {
  const ServerAddress& server = options_.server;
  std::string host =
      server.host.find(':') != std::string::npos ? fmt::format("[{}]", server.host) : server.host;
  client_ = std::make_unique<httplib::Client>(
      fmt::format("{}://{}:{}", server.scheme, host, server.port));
  client_->set_connection_timeout(options_.connect_timeout);
  client_->set_read_timeout(options_.read_timeout);
  client_->set_write_timeout(options_.read_timeout);
  client_->set_keep_alive(true);
  client_->set_url_encode(false);  // PathFor escapes
  if (!options_.credentials.user.empty()) {
    client_->set_basic_auth(options_.credentials.user, options_.credentials.password);
  }
  client_->set_default_headers(
      {{"Accept", "application/json"}, {"User-Agent", fmt::format("coral/{}", kVersion)}});
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

Result<Json> HttpClient::Send(std::string_view method, const std::string& path,
                              const std::string* body, BodyKind kind) {
  httplib::Request request;
  request.method = std::string(method);
  request.path = options_.server.base_path + path;
  if (body != nullptr) {
    request.body = *body;
    request.set_header("Content-Type", "application/json");
  }
  httplib::Result result = client_->send(request);
  if (!result) return ErrorFromTransport(static_cast<int>(result.error()), options_);
  const httplib::Response& response = *result;
  if (response.status < 200 || response.status >= 300) {
    return ErrorFromResponse(response.status, response.body, kind);
  }
  if (Trim(response.body).empty()) return Json();
  Json parsed = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Json(response.body);
  return parsed;
}

Result<Json> HttpClient::Get(const std::string& path) {
  return Send("GET", path, nullptr, BodyKind::kOther);
}

Result<Json> HttpClient::Put(const std::string& path, const Json& body, BodyKind kind) {
  std::string text = body.dump();
  return Send("PUT", path, &text, kind);
}

Result<Json> HttpClient::Post(const std::string& path, const Json& body, BodyKind kind) {
  std::string text = body.dump();
  return Send("POST", path, &text, kind);
}

Result<Json> HttpClient::PostText(const std::string& path, std::string json_text) {
  return Send("POST", path, &json_text, BodyKind::kOther);
}

Result<Json> HttpClient::Patch(const std::string& path, const Json& body) {
  std::string text = body.dump();
  return Send("PATCH", path, &text, BodyKind::kOther);
}

Result<Json> HttpClient::Delete(const std::string& path, const std::optional<Json>& body) {
  if (!body) return Send("DELETE", path, nullptr, BodyKind::kOther);
  std::string text = body->dump();
  return Send("DELETE", path, &text, BodyKind::kOther);
}

Result<HttpClient> MakeClient(const GlobalOptions& global, std::ostream& warnings) {
  Result<ServerAddress> server = ParseServerUrl(global.server);
  if (!server.ok()) return server.error();
  ClientOptions options;
  options.server = std::move(server).value();
  if (!global.password_insecure.empty()) {
    warnings << "coral: warning: --password-insecure shows the password to every user of `ps` "
                "and in shell history; prefer $CORAL_PASSWORD or ~/.config/coral/credentials\n";
  }
  options.credentials = ResolveCredentials(CredentialSourcesFromEnvironment(global), warnings);
  return HttpClient(std::move(options));
}

std::string PathFor(std::initializer_list<std::string_view> segments) {
  std::string path = "/api";
  for (std::string_view segment : segments) {
    path += '/';
    bool dots = segment == "." || segment == "..";  // would be resolved away as path steps
    for (unsigned char c : segment) {
      if (!dots && (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':')) {
        path += static_cast<char>(c);
      } else {
        path += fmt::format("%{:02X}", c);
      }
    }
  }
  return path;
}

int ReportError(const Error& error, std::string_view subject) {
  std::cerr << "coral: " << subject << (subject.empty() ? "" : ": ") << error.message << "\n";
  return ExitCodeFor(error.code);
}

}  // namespace coral::cli
