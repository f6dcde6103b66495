// The `httpclient` actor type: sends each event to an HTTP server and emits the answer as
// {"status": 200, "headers": {...}, "body": ...}.
//
//   params: {mode: static, url: "http://127.0.0.1:8080/score", method: POST,
//            headers: {Authorization: "Bearer x"}, timeout: 2.5}
//   params: {mode: dynamic, field: target.url, method: GET}    # the URL comes from each event
//
// POST and PUT send the event as the JSON body (Content-Type: application/json unless `headers`
// says otherwise); GET and DELETE send no body. The answer's body is parsed when it is JSON and
// kept as text otherwise (bytes that are not UTF-8 become U+FFFD); every status is emitted,
// 404 and 500 included. Header names keep the server's spelling; repeated headers are joined with
// ", ". `timeout` (seconds, default 10) bounds connecting and each read and write. A request that
// fails (refused, timed out, TLS error, an answer over 16 MiB) is counted with ctx.Fail and emits
// nothing; the runtime goes on. The request runs inside the actor's turn, so a slow server slows
// this actor only. Each instance keeps its connections open between requests (keep-alive).
// https:// needs a cpp-httplib built with OpenSSL; without it an https URL is a definition error.
#include <httplib.h>

#include <chrono>
#include <map>
#include <memory>
#include <string_view>
#include <variant>

#include <fmt/format.h>

#include "actors/actor_type.h"
#include "actors/json_values.h"
#include "common/text.h"

namespace coral::actors {
namespace {

using definition::Node;
using definition::ParamReader;

#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
constexpr bool kHttpsAvailable = true;
#else
constexpr bool kHttpsAvailable = false;
#endif

constexpr std::size_t kMaxBodyBytes = 16 * 1024 * 1024;
constexpr std::size_t kMaxOpenClients = 16;  // dynamic mode: distinct servers kept connected
constexpr double kMaxTimeoutSeconds = 3600;

// A URL split the way httplib::Client wants it.
struct Url {
  std::string origin;  // "http://host:port", the Client's constructor argument
  std::string target;  // "/path?query", at least "/"
};

bool IsHttpToken(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// The URL, or what is wrong with it in words a user can act on.
std::variant<Url, std::string> ParseUrl(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return std::string("contains a space or control character; encode spaces as %20");
    }
  }
  std::size_t colon = text.find("://");
  std::string scheme = colon == std::string_view::npos ? "" : std::string(text.substr(0, colon));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") {
    return std::string("is not an http:// or https:// URL; write it as http://host:port/path");
  }
  if (scheme == "https" && !kHttpsAvailable) {
    return std::string(
        "uses https, but this build of Coral has no TLS support (cpp-httplib without OpenSSL); "
        "use an http:// URL");
  }
  std::string_view rest = text.substr(colon + 3);
  std::size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  std::string_view target = end == std::string_view::npos ? "" : rest.substr(end);
  if (std::size_t hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);  // fragments are not sent
  }
  if (authority.find('@') != std::string_view::npos) {
    return std::string(
        "has a user name or password in it; send credentials with `headers` (Authorization) "
        "instead");
  }
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::string("has `[` without `]` in the host");
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::string("has text after the `]` of the host");
      port = after.substr(1);
    }
  } else if (std::size_t port_colon = authority.rfind(':'); port_colon != std::string_view::npos) {
    host = authority.substr(0, port_colon);
    port = authority.substr(port_colon + 1);
  }
  if (host.empty() || host == "[]") return std::string("has no host; write http://host:port/path");
  if (!port.empty() || authority.back() == ':') {
    bool digits = !port.empty() && port.size() <= 5 &&
                  port.find_first_not_of("0123456789") == std::string_view::npos;
    if (!digits || std::stoi(std::string(port)) < 1 || std::stoi(std::string(port)) > 65535) {
      return std::string("has an invalid port; use a port from 1 to 65535");
    }
  }
  Url url;
  url.origin = scheme + "://" + std::string(host);
  if (!port.empty()) url.origin += ":" + std::string(port);
  url.target =
      target.empty() || target.front() == '?' ? "/" + std::string(target) : std::string(target);
  return url;
}

std::string Describe(httplib::Error error, double timeout) {
  switch (error) {
    case httplib::Error::Connection:
      return fmt::format("could not connect (refused, unreachable, or no answer within {} s)",
                         timeout);
    case httplib::Error::ConnectionTimeout:
      return fmt::format("could not connect within {} s", timeout);
    case httplib::Error::Read:
      return fmt::format("no complete answer within {} s, or the server closed the connection",
                         timeout);
    case httplib::Error::Write:
      return fmt::format("could not send the request (connection closed, or stalled for {} s)",
                         timeout);
    case httplib::Error::Canceled:
      return fmt::format("the answer is larger than {} MiB", kMaxBodyBytes / (1024 * 1024));
    case httplib::Error::SSLConnection:
      return "the TLS connection failed";
    case httplib::Error::SSLLoadingCerts:
      return "could not load the system's CA certificates";
    case httplib::Error::SSLServerVerification:
      return "the server's TLS certificate could not be verified";
    default:
      return httplib::to_string(error);
  }
}

struct HttpClientConfig {
  bool dynamic = false;
  Url url;               // static mode
  std::string url_text;  // static mode, for messages
  FieldPath field;       // dynamic mode
  std::string method;
  httplib::Headers headers;
  double timeout = 10;
};

class HttpClientActor final : public Actor {
 public:
  explicit HttpClientActor(std::shared_ptr<const HttpClientConfig> config)
      : config_(std::move(config)) {}

  void OnEvent(const Event& event, ActorContext& context) override {
    if (!config_->dynamic) {
      Send(config_->url, config_->url_text, event, context);
      return;
    }
    const Json* found = config_->field.Resolve(event.value());
    if (!found) {
      context.Ignore(IgnoreReason::kMissingField);
      return;
    }
    if (!found->is_string()) {
      context.Ignore(IgnoreReason::kWrongType);
      return;
    }
    const std::string& text = found->get_ref<const std::string&>();
    auto url = ParseUrl(text);
    if (const auto* problem = std::get_if<std::string>(&url)) {
      context.Fail(fmt::format("httpclient: the URL {} in `{}` {}", QuoteForMessage(text, 80),
                               config_->field.text(), *problem));
      return;
    }
    Send(std::get<Url>(url), text, event, context);
  }

 private:
  httplib::Client& ClientFor(const std::string& origin) {
    auto it = clients_.find(origin);
    if (it != clients_.end()) return *it->second;
    if (clients_.size() >= kMaxOpenClients) clients_.clear();
    auto client = std::make_unique<httplib::Client>(origin);
    auto timeout = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::duration<double>(config_->timeout));
    client->set_connection_timeout(timeout);
    client->set_read_timeout(timeout);
    client->set_write_timeout(timeout);
    client->set_keep_alive(true);
    return *clients_.emplace(origin, std::move(client)).first->second;
  }

  void Send(const Url& url, std::string_view url_text, const Event& event, ActorContext& context) {
    httplib::Request request;
    request.method = config_->method;
    request.path = url.target;
    request.headers = config_->headers;
    if (config_->method == "POST" || config_->method == "PUT") {
      request.body = std::string(event.bytes());
      if (!request.has_header("Content-Type")) {
        request.set_header("Content-Type", "application/json");
      }
    }
    std::string body;
    request.content_receiver = [&body](const char* data, std::size_t length, std::uint64_t,
                                       std::uint64_t) {
      if (body.size() + length > kMaxBodyBytes) return false;
      body.append(data, length);
      return true;
    };
    httplib::Response response;
    httplib::Error error = httplib::Error::Success;
    bool sent = false;
    try {
      sent = ClientFor(url.origin).send(request, response, error);
    } catch (const std::exception& e) {  // the environment failing (out of memory, ...)
      context.Fail(
          fmt::format("httpclient: {} {} failed: {}", config_->method, url_text, e.what()));
      return;
    }
    if (!sent) {
      context.Fail(fmt::format("httpclient: {} {} failed: {}", config_->method, url_text,
                               Describe(error, config_->timeout)));
      return;
    }
    context.Emit(Event::FromJson(Answer(response, body)));
  }

  static Json Answer(const httplib::Response& response, const std::string& body) {
    Json answer = Json::object();
    answer["status"] = response.status;
    Json headers = Json::object();
    for (const auto& [name, value] : response.headers) {
      std::string key = ValidUtf8(name);
      std::string text = ValidUtf8(value);
      auto it = headers.find(key);
      if (it == headers.end()) {
        headers[key] = std::move(text);
      } else {
        it->get_ref<std::string&>() += ", " + text;
      }
    }
    answer["headers"] = std::move(headers);
    Json parsed = body.empty() ? Json(Json::value_t::discarded)
                               : Json::parse(body, nullptr, /*allow_exceptions=*/false);
    answer["body"] = parsed.is_discarded() ? Json(ValidUtf8(body)) : std::move(parsed);
    return answer;
  }

  std::shared_ptr<const HttpClientConfig> config_;
  std::map<std::string, std::unique_ptr<httplib::Client>> clients_;
};

void ReadHeaders(ParamReader& params, HttpClientConfig& config) {
  const Node* headers = params.OptionalObject("headers");
  if (!headers) return;
  for (const Node::Entry& entry : headers->entries()) {
    std::string path = definition::JoinPath(params.PathOf("headers"), entry.key);
    if (!IsHttpToken(entry.key)) {
      params.ErrorAt(entry.value, path,
                     "is not a valid header name; use letters, digits and - (such as X-Api-Key)");
      continue;
    }
    std::string lower = entry.key;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "content-length" || lower == "transfer-encoding" || lower == "host" ||
        lower == "connection") {
      params.ErrorAt(entry.value, path,
                     fmt::format("{} is set by Coral for each request; remove it", entry.key));
      continue;
    }
    if (!entry.value.IsScalar() || entry.value.IsNull()) {
      params.ErrorAt(
          entry.value, path,
          fmt::format("expected the header's value as text, found {}", entry.value.Describe()));
      continue;
    }
    if (entry.value.text().find_first_of("\r\n") != std::string::npos ||
        entry.value.text().find('\0') != std::string::npos) {
      params.ErrorAt(entry.value, path, "a header value cannot contain line breaks");
      continue;
    }
    config.headers.emplace(entry.key, entry.value.text());
  }
}

void ReadMethod(ParamReader& params, HttpClientConfig& config) {
  const Node* method = params.Get("method");
  if (!method) {
    params.Error("method", "missing; add `method:` with GET, POST, PUT or DELETE");
    return;
  }
  std::string upper = method->IsScalar() ? method->text() : "";
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != "GET" && upper != "POST" && upper != "PUT" && upper != "DELETE") {
    params.Error("method",
                 fmt::format("expected GET, POST, PUT or DELETE, found {}", method->Describe()));
    return;
  }
  config.method = upper;
}

ActorCreator Configure(ParamReader& params) {
  auto config = std::make_shared<HttpClientConfig>();
  std::string mode = params.Enum("mode", {"static", "dynamic"});
  config->dynamic = mode == "dynamic";
  if (mode == "static") {
    bool has_url = params.Has("url");
    config->url_text = params.String("url");
    if (has_url) {
      auto url = ParseUrl(config->url_text);
      if (const auto* problem = std::get_if<std::string>(&url)) {
        params.Error("url", fmt::format("{} {}", QuoteForMessage(config->url_text, 80), *problem));
      } else {
        config->url = std::get<Url>(std::move(url));
      }
    }
    if (params.Has("field")) {
      params.Get("field");
      params.Warning("field", "is used only with `mode: dynamic`; it is ignored");
    }
  } else if (mode == "dynamic") {
    config->field = params.Path("field");
    if (params.Has("url")) {
      params.Get("url");
      params.Warning("url",
                     "is used only with `mode: static`; it is ignored (with `mode: dynamic` the "
                     "URL comes from the event field named by `field`)");
    }
  } else {
    params.Get("url");  // known keys: do not also warn about them
    params.Get("field");
  }
  ReadMethod(params, *config);
  ReadHeaders(params, *config);
  if (std::optional<double> timeout = params.OptionalNumber("timeout")) {
    if (*timeout <= 0 || *timeout > kMaxTimeoutSeconds) {
      params.Error("timeout", fmt::format("must be more than 0 and at most {} seconds, found {}",
                                          kMaxTimeoutSeconds, *timeout));
    } else {
      config->timeout = *timeout;
    }
  }
  if (!params.Finish()) return nullptr;
  return [config = std::shared_ptr<const HttpClientConfig>(std::move(config))](
             const ActorEnv& /*env*/) { return std::make_unique<HttpClientActor>(config); };
}

}  // namespace

extern const ActorType kHttpClientType;
const ActorType kHttpClientType{
    .name = "httpclient",
    .summary = "sends each event to an HTTP server and emits the answer as {status, headers, body}",
    .configure = Configure,
};

}  // namespace coral::actors
