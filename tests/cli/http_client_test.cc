// The CLI's HTTP layer against a fake corald on 127.0.0.1: server URLs, credentials, and the
// one mapping from HTTP outcomes to ErrorCodes and exit codes.
#include "cli/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include <doctest/doctest.h>

#include "cli/exit_codes.h"
#include "cli/fake_corald.h"

namespace coral::cli {
namespace {

using testing::FakeCorald;

HttpClient ClientFor(const std::string& url, Credentials credentials = {},
                     std::chrono::milliseconds read_timeout = std::chrono::seconds(5)) {
  Result<ServerAddress> address = ParseServerUrl(url);
  REQUIRE(address.ok());
  ClientOptions options;
  options.server = address.value();
  options.credentials = std::move(credentials);
  options.read_timeout = read_timeout;
  return HttpClient(options);
}

// A port nothing listens on: one the kernel picked for a socket that is closed again.
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

std::filesystem::path TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("coral-http-test-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST_SUITE("cli/http_client") {
  TEST_CASE("ServerUrlAcceptsHttpAndHttpsWithDefaultPorts") {
    auto plain = ParseServerUrl("http://127.0.0.1:8000");
    REQUIRE(plain.ok());
    CHECK(plain.value().host == "127.0.0.1");
    CHECK(plain.value().port == 8000);
    CHECK(plain.value().url == "http://127.0.0.1:8000");
    auto tls = ParseServerUrl("HTTPS://coral.example.org/");
    REQUIRE(tls.ok());
    CHECK(tls.value().scheme == "https");
    CHECK(tls.value().port == 443);
    CHECK(tls.value().base_path.empty());
    auto v6 = ParseServerUrl("http://[::1]:9000/coral/");
    REQUIRE(v6.ok());
    CHECK(v6.value().host == "::1");
    CHECK(v6.value().base_path == "/coral");
    CHECK(v6.value().url == "http://[::1]:9000/coral");
  }

  TEST_CASE("ServerUrlRejectsOtherSchemesAndSaysWhatToWrite") {
    for (const char* bad : {"ftp://host:21", "127.0.0.1:8000", "http://", "http://host:99999",
                            "http://host:x", "http://user:pw@host:8000", "http://host:8000/?a=1"}) {
      auto parsed = ParseServerUrl(bad);
      CAPTURE(bad);
      REQUIRE_FALSE(parsed.ok());
      CHECK(parsed.error().code == ErrorCode::kInvalidArgument);
      CHECK(parsed.error().message.find("http://HOST:PORT") != std::string::npos);
    }
    CHECK(ParseServerUrl("ftp://h").error().message.find("only http and https") !=
          std::string::npos);
  }

  TEST_CASE("CredentialsFileReadsUserAndPasswordAndWarnsOnUnknownKeysWithLineNumbers") {
    std::ostringstream warnings;
    Credentials c = ParseCredentialsText(
        "# coral\n\nuser = ann\npassword = \"s3 cret\"\nsever = x\ngarbage\n", "creds", warnings);
    CHECK(c.user == "ann");
    CHECK(c.password == "s3 cret");
    CHECK(warnings.str().find("creds:5: unknown key `sever`") != std::string::npos);
    CHECK(warnings.str().find("creds:6: expected `user = NAME`") != std::string::npos);
  }

  TEST_CASE("CredentialsPrecedenceIsFlagThenEnvironmentThenFile") {
    auto dir = TempDir("precedence");
    auto file = dir / "credentials";
    std::ofstream(file) << "user = file-user\npassword = file-pw\n";
    std::filesystem::permissions(
        file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::ostringstream warnings;
    CredentialSources sources;
    sources.file = file;
    Credentials from_file = ResolveCredentials(sources, warnings);
    CHECK(from_file.user == "file-user");
    CHECK(from_file.password == "file-pw");
    CHECK(warnings.str().empty());

    sources.flag_user = "flag-user";
    sources.env_password = "env-pw";
    Credentials from_env = ResolveCredentials(sources, warnings);
    CHECK(from_env.user == "flag-user");
    CHECK(from_env.password == "env-pw");
    sources.flag_password = "insisted";
    CHECK(ResolveCredentials(sources, warnings).password == "insisted");
  }

  TEST_CASE("CredentialsFileReadableByOthersIsWarnedAboutLikeSsh") {
    auto dir = TempDir("open");
    auto file = dir / "credentials";
    std::ofstream(file) << "user = ann\npassword = pw\n";
    ::chmod(file.c_str(), 0644);
    std::ostringstream warnings;
    CredentialSources sources;
    sources.file = file;
    Credentials c = ResolveCredentials(sources, warnings);
    CHECK(c.password == "pw");  // still used: a warning, as asked, not a refusal
    CHECK(warnings.str().find("accessible by group or others (mode 0644)") != std::string::npos);
    CHECK(warnings.str().find("chmod 600") != std::string::npos);
  }

  TEST_CASE("PathForEscapesEverySegment") {
    CHECK(PathFor({"runtimes", "hello.1", "stats"}) == "/api/runtimes/hello.1/stats");
    CHECK(PathFor({"runtimes", "a b/c"}) == "/api/runtimes/a%20b%2Fc");
    CHECK(PathFor({"runtimes", ".."}) == "/api/runtimes/%2E%2E");
    CHECK(PathFor({"platform", "cluster", "10.0.0.1:2551"}) ==
          "/api/platform/cluster/10.0.0.1:2551");
  }

  TEST_CASE("GetReturnsTheJsonBodyAndSendsBasicCredentials") {
    FakeCorald server;
    HttpClient client = ClientFor(server.url(), {"ann", "pw"});
    Result<Json> health = client.Get("/api/health");
    REQUIRE(health.ok());
    CHECK(health.value()["status"] == "ok");
    auto requests = server.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].authorization == "Basic YW5uOnB3");  // ann:pw
  }

  TEST_CASE("NoUserMeansNoAuthorizationHeader") {
    FakeCorald server;
    HttpClient client = ClientFor(server.url());
    REQUIRE(client.Get("/api/health").ok());
    CHECK(server.requests().at(0).authorization.empty());
  }

  TEST_CASE("ServerErrorsBecomeReasonAndDetailsWithTheirExitCodes") {
    struct Case {
      int status;
      BodyKind kind;
      ErrorCode code;
      int exit;
    };
    const Case cases[] = {
        {400, BodyKind::kDefinition, ErrorCode::kInvalidDefinition, kExitInvalid},
        {400, BodyKind::kOther, ErrorCode::kInvalidArgument, kExitUsage},
        {401, BodyKind::kOther, ErrorCode::kUnauthenticated, kExitNotAllowed},
        {403, BodyKind::kOther, ErrorCode::kPermissionDenied, kExitNotAllowed},
        {404, BodyKind::kOther, ErrorCode::kNotFound, kExitNotFound},
        {409, BodyKind::kOther, ErrorCode::kConflict, kExitFailed},
        {500, BodyKind::kOther, ErrorCode::kInternal, kExitFailed},
        {503, BodyKind::kOther, ErrorCode::kInternal, kExitFailed},
    };
    FakeCorald server;
    int status = 0;
    server.server().Put("/api/fail", [&](const httplib::Request&, httplib::Response& res) {
      FakeCorald::Fail(res, status, "it failed", "because");
    });
    HttpClient client = ClientFor(server.url());
    for (const Case& c : cases) {
      CAPTURE(c.status);
      status = c.status;
      Result<Json> answer = client.Put("/api/fail", Json::object(), c.kind);
      REQUIRE_FALSE(answer.ok());
      CHECK(answer.error().code == c.code);
      CHECK(ExitCodeFor(answer.error().code) == c.exit);
      CHECK(answer.error().message.rfind("it failed: because", 0) == 0);
    }
    status = 401;
    CHECK(client.Put("/api/fail", Json::object()).error().message.find("$CORAL_PASSWORD") !=
          std::string::npos);
  }

  TEST_CASE("AnErrorThatIsNotJsonShowsTheStatusAndTheStartOfTheBody") {
    Error error = ErrorFromResponse(502, "<html>bad gateway</html>\nmore", BodyKind::kOther);
    CHECK(error.code == ErrorCode::kInternal);
    CHECK(error.message == "HTTP 502 Bad Gateway: <html>bad gateway</html>");
    Error listed = ErrorFromResponse(
        400, R"({"success":false,"reason":"invalid definition","details":["a: x","b: y"]})",
        BodyKind::kDefinition);
    CHECK(listed.message == "invalid definition:\n  a: x\n  b: y");
  }

  TEST_CASE("ConnectionRefusedIsUnreachableAndNamesTheServerAndHowToChangeIt") {
    std::string url = "http://127.0.0.1:" + std::to_string(ClosedPort());
    HttpClient client = ClientFor(url);
    Result<Json> answer = client.Get("/api/health");
    REQUIRE_FALSE(answer.ok());
    CHECK(answer.error().code == ErrorCode::kUnavailable);
    CHECK(ExitCodeFor(answer.error().code) == kExitUnreachable);
    CHECK(answer.error().message.find("cannot reach corald at " + url) != std::string::npos);
    CHECK(answer.error().message.find("--server URL or $CORAL_SERVER") != std::string::npos);
  }

  TEST_CASE("AServerThatDoesNotAnswerInTimeIsUnreachable") {
    FakeCorald server;
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    server.server().Get("/api/slow", [released](const httplib::Request&, httplib::Response& res) {
      released.wait();  // until the client has given up
      res.set_content("{}", "application/json");
    });
    HttpClient client = ClientFor(server.url(), {}, std::chrono::milliseconds(200));
    Result<Json> answer = client.Get("/api/slow");
    release.set_value();
    REQUIRE_FALSE(answer.ok());
    CHECK(answer.error().code == ErrorCode::kUnavailable);
    CHECK(answer.error().message.find("within 200 ms") != std::string::npos);
  }

  TEST_CASE("BodiesThatAreNotJsonComeBackAsStrings") {
    FakeCorald server;
    server.server().Get("/api/text", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("plain words", "text/plain");
    });
    HttpClient client = ClientFor(server.url());
    Result<Json> answer = client.Get("/api/text");
    REQUIRE(answer.ok());
    CHECK(answer.value() == "plain words");
  }
}

}  // namespace
}  // namespace coral::cli
