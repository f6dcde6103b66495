// httpclient tests talk to an httplib::Server run by the test on 127.0.0.1; nothing leaves the
// loopback interface.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "actors/diagnostic_checks.h"
#include "support/actor_harness.h"

namespace coral::testing {
namespace {

using actors::IgnoreReason;

// A server on 127.0.0.1 and a free port, serving from its own thread while the test runs.
class TestServer {
 public:
  explicit TestServer(const std::function<void(httplib::Server&)>& routes) {
    routes(server_);
    server_.set_keep_alive_timeout(1);
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the accept loop runs would be lost: wait for it (no sleep; it is immediate).
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~TestServer() {
    server_.stop();
    thread_.join();
  }

  std::string Url(std::string_view path) const {
    return fmt::format("http://127.0.0.1:{}{}", port_, path);
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

// A port on 127.0.0.1 that refuses connections: bound by a socket that does not listen, and held
// for the test's duration so that nothing else can take it.
class RefusingPort {
 public:
  RefusingPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
  }
  ~RefusingPort() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

struct Seen {
  std::mutex mutex;
  std::vector<std::string> requests;  // "METHOD path body"
  std::vector<std::string> content_types;
  std::vector<std::string> tokens;
  std::vector<int> remote_ports;

  void Record(const httplib::Request& request) {
    std::lock_guard lock(mutex);
    std::string line = request.method + " " + request.path;
    if (!request.params.empty()) {
      line += "?";
      for (const auto& [key, value] : request.params) line += key + "=" + value + ";";
    }
    requests.push_back(line + " " + request.body);
    content_types.push_back(request.get_header_value("Content-Type"));
    tokens.push_back(request.get_header_value("X-Token"));
    remote_ports.push_back(request.remote_port);
  }
};

void Echo(httplib::Server& server, Seen& seen) {
  auto handler = [&seen](const httplib::Request& request, httplib::Response& response) {
    seen.Record(request);
    response.status = request.method == "POST" ? 201 : 200;
    response.set_header("X-Reply", "yes");
    response.set_content(R"({"ok": true, "method": ")" + request.method + R"("})",
                         "application/json");
  };
  server.Get("/.*", handler);
  server.Post("/.*", handler);
  server.Put("/.*", handler);
  server.Delete("/.*", handler);
}

}  // namespace

TEST_SUITE("httpclient actor") {
  TEST_CASE("static POST sends the event as JSON with the headers and emits the answer") {
    Seen seen;
    TestServer server([&](httplib::Server& s) { Echo(s, seen); });
    auto actor = MakeActor("httpclient", fmt::format("{{mode: static, url: '{}', method: POST, "
                                                     "headers: {{X-Token: abc}}, timeout: 5}}",
                                                     server.Url("/score?x=1")));
    FakeActorContext context;
    actor->OnEvent(Ev(R"({"id": 7, "name": "n"})"), context);
    REQUIRE_MESSAGE(context.failures.empty(), context.failures.front());
    REQUIRE(context.emitted.size() == 1);
    const Json& answer = context.emitted[0].value();
    CHECK(answer["status"] == 201);
    CHECK(answer["body"] == Json::parse(R"({"ok": true, "method": "POST"})"));
    CHECK(answer["headers"]["X-Reply"] == "yes");
    CHECK(answer["headers"]["Content-Type"] == "application/json");
    std::lock_guard lock(seen.mutex);
    CHECK(seen.requests == std::vector<std::string>{R"(POST /score?x=1; {"id": 7, "name": "n"})"});
    CHECK(seen.content_types == std::vector<std::string>{"application/json"});
    CHECK(seen.tokens == std::vector<std::string>{"abc"});
  }

  TEST_CASE("GET and DELETE send no body; PUT does; the method may be lower case") {
    Seen seen;
    TestServer server([&](httplib::Server& s) { Echo(s, seen); });
    FakeActorContext context;
    for (std::string_view method : {"get", "DELETE", "Put"}) {
      auto actor = MakeActor("httpclient", fmt::format("{{mode: static, url: '{}', method: {}}}",
                                                       server.Url("/r"), method));
      actor->OnEvent(Ev(R"({"a": 1})"), context);
    }
    CHECK(context.failures.empty());
    REQUIRE(context.emitted.size() == 3);
    CHECK(context.emitted[2].value()["body"]["method"] == "PUT");
    std::lock_guard lock(seen.mutex);
    CHECK(seen.requests == std::vector<std::string>{"GET /r ", "DELETE /r ", R"(PUT /r {"a": 1})"});
  }

  TEST_CASE("one instance keeps its connection open between requests") {
    Seen seen;
    TestServer server([&](httplib::Server& s) { Echo(s, seen); });
    auto actor = MakeActor(
        "httpclient", fmt::format("{{mode: static, url: '{}', method: GET}}", server.Url("/")));
    FakeActorContext context;
    actor->OnEvent(Ev("{}"), context);
    actor->OnEvent(Ev("{}"), context);
    CHECK(context.emitted.size() == 2);
    std::lock_guard lock(seen.mutex);
    REQUIRE(seen.remote_ports.size() == 2);
    CHECK(seen.remote_ports[0] == seen.remote_ports[1]);
    actor.reset();  // closes the connection before the server stops
  }

  TEST_CASE("a body that is not JSON is kept as text; error statuses are emitted too") {
    TestServer server([](httplib::Server& s) {
      s.Get("/text", [](const httplib::Request&, httplib::Response& response) {
        response.set_content("hello", "text/plain");
      });
      s.Get("/missing", [](const httplib::Request&, httplib::Response& response) {
        response.status = 404;
        response.set_content("no such thing", "text/plain");
      });
      s.Get("/binary", [](const httplib::Request&, httplib::Response& response) {
        response.set_content(std::string("a\xff"
                                         "b"),
                             "application/octet-stream");
      });
      s.Get("/empty",
            [](const httplib::Request&, httplib::Response& response) { response.status = 204; });
    });
    FakeActorContext context;
    for (std::string_view path : {"/text", "/missing", "/binary", "/empty"}) {
      auto actor = MakeActor(
          "httpclient", fmt::format("{{mode: static, url: '{}', method: GET}}", server.Url(path)));
      actor->OnEvent(Ev("{}"), context);
    }
    REQUIRE(context.emitted.size() == 4);
    CHECK(context.emitted[0].value()["status"] == 200);
    CHECK(context.emitted[0].value()["body"] == "hello");
    CHECK(context.emitted[1].value()["status"] == 404);
    CHECK(context.emitted[1].value()["body"] == "no such thing");
    CHECK(context.emitted[2].value()["body"] ==
          "a\xEF\xBF\xBD"
          "b");
    CHECK(!context.emitted[2].bytes().empty());  // serialisable
    CHECK(context.emitted[3].value()["status"] == 204);
    CHECK(context.emitted[3].value()["body"] == "");
  }

  TEST_CASE("dynamic: the URL comes from the event; missing, wrong type and bad URLs") {
    Seen seen;
    TestServer server([&](httplib::Server& s) { Echo(s, seen); });
    auto actor = MakeActor("httpclient", "{mode: dynamic, field: target.url, method: POST}");
    FakeActorContext context;
    actor->OnEvent(Ev(fmt::format(R"({{"target": {{"url": "{}"}}, "n": 1}})", server.Url("/a"))),
                   context);
    actor->OnEvent(Ev(fmt::format(R"({{"target": {{"url": "{}"}}}})", server.Url("/b?q=2"))),
                   context);
    actor->OnEvent(Ev(R"({"n": 1})"), context);
    actor->OnEvent(Ev(R"({"target": {"url": 42}})"), context);
    actor->OnEvent(Ev(R"({"target": {"url": "ftp://127.0.0.1/x"}})"), context);
    CHECK(context.emitted.size() == 2);
    CHECK(context.ignored ==
          std::vector<IgnoreReason>{IgnoreReason::kMissingField, IgnoreReason::kWrongType});
    REQUIRE(context.failures.size() == 1);
    CHECK(context.failures[0] ==
          "httpclient: the URL \"ftp://127.0.0.1/x\" in `target.url` is not an http:// or "
          "https:// URL; write it as http://host:port/path");
    std::lock_guard lock(seen.mutex);
    REQUIRE(seen.requests.size() == 2);
    CHECK(seen.requests[0].starts_with("POST /a {"));
    CHECK(seen.requests[1].starts_with("POST /b?q=2; {"));
  }

  TEST_CASE("a server slower than the timeout: counted as a failure, nothing emitted") {
    std::mutex mutex;
    std::condition_variable released_cv;
    bool released = false;
    TestServer server([&](httplib::Server& s) {
      s.Get("/slow", [&](const httplib::Request&, httplib::Response& response) {
        std::unique_lock lock(mutex);
        // Bounded: the test releases the handler right after the client gives up.
        released_cv.wait_for(lock, std::chrono::seconds(10), [&] { return released; });
        response.set_content("late", "text/plain");
      });
    });
    auto actor = MakeActor("httpclient", fmt::format("{{mode: static, url: '{}', method: GET, "
                                                     "timeout: 0.2}}",
                                                     server.Url("/slow")));
    FakeActorContext context;
    auto start = std::chrono::steady_clock::now();
    actor->OnEvent(Ev("{}"), context);
    auto waited = std::chrono::steady_clock::now() - start;
    {
      std::lock_guard lock(mutex);
      released = true;
    }
    released_cv.notify_all();
    CHECK(context.emitted.empty());
    REQUIRE(context.failures.size() == 1);
    CHECK(context.failures[0] == fmt::format("httpclient: GET {} failed: no complete answer within "
                                             "0.2 s, or the server closed the connection",
                                             server.Url("/slow")));
    CHECK(waited < std::chrono::seconds(5));
    actor.reset();
  }

  TEST_CASE("a refused connection: counted as a failure, and the actor goes on") {
    RefusingPort refusing;
    std::string url = fmt::format("http://127.0.0.1:{}/x", refusing.port());
    auto actor =
        MakeActor("httpclient", fmt::format("{{mode: static, url: '{}', method: POST}}", url));
    FakeActorContext context;
    actor->OnEvent(Ev("{}"), context);
    actor->OnEvent(Ev("{}"), context);
    CHECK(context.emitted.empty());
    REQUIRE(context.failures.size() == 2);
    CHECK(context.failures[0] == fmt::format("httpclient: POST {} failed: could not connect "
                                             "(refused, unreachable, or no answer within 10 s)",
                                             url));
  }

  TEST_CASE("params: valid static and dynamic definitions") {
    Configured https = Configure(
        "httpclient", "{mode: static, url: 'https://example.com/api', method: GET, timeout: 1}");
    CHECK_MESSAGE(https.create, https.Messages());  // https is available in this build
    Configured ipv6 =
        Configure("httpclient", "{mode: static, url: 'http://[::1]:8080', method: GET}");
    CHECK_MESSAGE(ipv6.create, ipv6.Messages());
    Configured dynamic = Configure("httpclient", "{mode: dynamic, field: u, method: DELETE}");
    CHECK(dynamic.create);
    CHECK(dynamic.diagnostics.all().empty());
  }

  TEST_CASE("params: urls that are not http(s)") {
    auto url_error = [](std::string_view url, std::string_view text) {
      Configured configured =
          Configure("httpclient", fmt::format("{{mode: static, url: '{}', method: GET}}", url));
      CHECK_FALSE(configured.create);
      CHECK_PARAM_ERROR(configured, "actors[0].params.url", text);
    };
    url_error("ftp://host/x",
              "\"ftp://host/x\" is not an http:// or https:// URL; write it as "
              "http://host:port/path");
    url_error("127.0.0.1:8080/x", "is not an http:// or https:// URL");
    url_error("http://host name/x", "contains a space or control character");
    url_error("http:///x", "has no host");
    url_error("http://host:99999/", "has an invalid port; use a port from 1 to 65535");
    url_error("http://host:/", "has an invalid port");
    url_error("http://user:pw@host/", "send credentials with `headers` (Authorization) instead");
  }

  TEST_CASE("params: mode, url, field and method") {
    Configured missing = Configure("httpclient", "{}");
    CHECK_FALSE(missing.create);
    CHECK_PARAM_ERROR(missing, "actors[0].params.mode",
                      "missing; add `mode:` with static or dynamic");
    CHECK_PARAM_ERROR(missing, "actors[0].params.method", "missing; add `method:` with GET, POST");
    CHECK_PARAM_ERROR(Configure("httpclient", "{mode: static, method: GET}"),
                      "actors[0].params.url", "missing; add `url:`");
    CHECK_PARAM_ERROR(Configure("httpclient", "{mode: dynamic, method: GET}"),
                      "actors[0].params.field", "missing; add `field:`");
    CHECK_PARAM_ERROR(Configure("httpclient", "{mode: statik, url: 'http://h/', method: GET}"),
                      "actors[0].params.mode", "did you mean \"static\"?");
    CHECK_PARAM_ERROR(Configure("httpclient", "{mode: static, url: 'http://h/', method: PATCH}"),
                      "actors[0].params.method",
                      "expected GET, POST, PUT or DELETE, found the string \"PATCH\"");
    Configured both =
        Configure("httpclient", "{mode: dynamic, field: u, url: 'http://h/', method: GET}");
    CHECK(both.create);
    CHECK_PARAM_WARNING(both, "actors[0].params.url", "is used only with `mode: static`");
    Configured field =
        Configure("httpclient", "{mode: static, field: u, url: 'http://h/', method: GET}");
    CHECK(field.create);
    CHECK_PARAM_WARNING(field, "actors[0].params.field", "is used only with `mode: dynamic`");
  }

  TEST_CASE("params: headers and timeout") {
    Configured configured =
        Configure("httpclient",
                  "{mode: static, url: 'http://h/', method: GET, timeout: 0,"
                  " headers: {'Bad Name': x, X-List: [1], Content-Length: '5', X-Ok: 1}}");
    CHECK_FALSE(configured.create);
    CHECK_PARAM_ERROR(configured, "actors[0].params.headers[\"Bad Name\"]",
                      "is not a valid header name");
    CHECK_PARAM_ERROR(configured, "actors[0].params.headers.X-List",
                      "expected the header's value as text, found a list");
    CHECK_PARAM_ERROR(configured, "actors[0].params.headers.Content-Length",
                      "Content-Length is set by Coral for each request; remove it");
    CHECK_PARAM_ERROR(configured, "actors[0].params.timeout",
                      "must be more than 0 and at most 3600 seconds, found 0");
    CHECK(configured.diagnostics.errors() == 4);
    CHECK_PARAM_ERROR(
        Configure("httpclient", "{mode: static, url: 'http://h/', method: GET, timeout: soon}"),
        "actors[0].params.timeout", "expected a number");
    CHECK_PARAM_ERROR(
        Configure("httpclient", "{mode: static, url: 'http://h/', method: GET, headers: [a]}"),
        "actors[0].params.headers", "expected a mapping");
  }
}

}  // namespace coral::testing
