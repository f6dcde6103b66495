// The server commands of `coral`, run in-process against a fake corald: the requests they make,
// what they print, and their exit codes.
#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "cli/command_runner.h"
#include "cli/exit_codes.h"
#include "cli/fake_corald.h"

namespace coral::cli {
namespace {

using testing::FakeCorald;
using testing::RunCoral;
using Json = nlohmann::ordered_json;

std::string WriteFile(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / "coral-commands-test";
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

const char* kHello =
    "name: hello\n"
    "actors:\n"
    "  - {name: pulse, type: generator, params: {format: {a: 1}, timer: {rate: 1, times: 1}}}\n"
    "  - {name: out, type: log}\n"
    "links:\n"
    "  - {from: pulse, to: out}\n";

TEST_SUITE("cli/commands") {
  TEST_CASE("ApplyRefusesAnInvalidFileAndSendsNothing") {
    FakeCorald server;
    std::string file = WriteFile("invalid.yaml", "name: bad\nactors: []\n");
    auto run = RunCoral({"--server", server.url(), "apply", "-f", file});
    CHECK(run.exit_code == kExitInvalid);
    CHECK(run.err.find(file + ":2:") != std::string::npos);
    CHECK(run.err.find("nothing was sent") != std::string::npos);
    CHECK(server.requests().empty());
  }

  TEST_CASE("ApplyPutsTheDefinitionThenStartsItAndSaysWhatChanged") {
    FakeCorald server;
    std::string file = WriteFile("hello.yaml", kHello);
    auto first = RunCoral({"--server", server.url(), "apply", "-f", file});
    CHECK(first.exit_code == kExitOk);
    CHECK(first.out == "hello: created, started\n");
    auto requests = server.requests();
    REQUIRE(requests.size() == 3);
    CHECK(requests[0].method == "PUT");
    CHECK(requests[0].path == "/api/runtimes/hello");
    Json sent = Json::parse(requests[0].body);
    CHECK(sent["name"] == "hello");
    CHECK(sent["actors"][0]["params"]["timer"]["rate"] == 1);
    CHECK(requests[1].method == "GET");  // is it running already?
    CHECK(requests[2].method == "PATCH");
    CHECK(requests[2].path == "/api/runtimes/hello");
    CHECK(Json::parse(requests[2].body) == Json{{"status", "start"}});
    CHECK(server.runtime("hello")["status"] == "running");

    // The same file again changes nothing, and the PUT answer says it runs: no PATCH.
    server.ClearRequests();
    auto second = RunCoral({"--server", server.url(), "-o", "json", "apply", "-f", file});
    CHECK(second.exit_code == kExitOk);
    Json report = Json::parse(second.out);
    CHECK(report["runtimes"][0]["result"] == "unchanged");
    CHECK(report["runtimes"][0]["started"] == false);
    CHECK(report["runtimes"][0]["status"] == "running");
    CHECK(server.requests().size() == 1);
  }

  TEST_CASE("ApplyWithAServerThatCannotBeReachedExits6") {
    std::string file = WriteFile("hello.yaml", kHello);
    auto run = RunCoral({"--server", "http://127.0.0.1:1", "apply", "-f", file});
    CHECK(run.exit_code == kExitUnreachable);
    CHECK(run.err.find("cannot reach corald at http://127.0.0.1:1") != std::string::npos);
  }

  TEST_CASE("GetRuntimesPrintsAnAlignedTableAndGetRuntimeShowsOne") {
    FakeCorald server;
    std::string file = WriteFile("hello.yaml", kHello);
    REQUIRE(RunCoral({"--server", server.url(), "apply", "-f", file}).exit_code == 0);
    auto list = RunCoral({"--server", server.url(), "get", "runtimes"});
    CHECK(list.exit_code == kExitOk);
    CHECK(list.out.rfind("NAME   OWNER  STATUS   COPIES  STARTED  ID\n", 0) == 0);
    CHECK(list.out.find("hello  coral  running") != std::string::npos);
    auto one = RunCoral({"--server", server.url(), "get", "runtime", "hello"});
    CHECK(one.exit_code == kExitOk);
    CHECK(one.out.find("actors:      pulse (generator), out (log)") != std::string::npos);
    CHECK(one.out.find("links:       pulse -> out") != std::string::npos);
    auto yaml = RunCoral({"--server", server.url(), "get", "runtime", "hello", "--definition"});
    CHECK(yaml.out.rfind("name: hello\nactors:\n", 0) == 0);
    auto missing = RunCoral({"--server", server.url(), "get", "runtime", "nope"});
    CHECK(missing.exit_code == kExitNotFound);
    CHECK(missing.err == "coral: no such runtime: nope\n");
  }

  TEST_CASE("StartAndStopAreIdempotent") {
    FakeCorald server;
    std::string file = WriteFile("hello.yaml", kHello);
    REQUIRE(RunCoral({"--server", server.url(), "apply", "--no-start", "-f", file}).exit_code == 0);
    CHECK(RunCoral({"--server", server.url(), "start", "hello"}).out == "hello: started\n");
    CHECK(RunCoral({"--server", server.url(), "start", "hello"}).out == "hello: already running\n");
    CHECK(RunCoral({"--server", server.url(), "stop", "hello"}).out == "hello: stopped\n");
    auto missing = RunCoral({"--server", server.url(), "stop", "nope"});
    CHECK(missing.exit_code == kExitNotFound);
  }

  TEST_CASE("DeleteNeedsNamesOrAllButNotBoth") {
    FakeCorald server;
    CHECK(RunCoral({"--server", server.url(), "delete"}).exit_code == kExitUsage);
    CHECK(RunCoral({"--server", server.url(), "delete", "x", "--all"}).exit_code == kExitUsage);
    CHECK(server.requests().empty());
    auto missing = RunCoral({"--server", server.url(), "-o", "json", "delete", "nope"});
    CHECK(missing.exit_code == kExitNotFound);
    CHECK(Json::parse(missing.out) == Json{{"deleted", Json::array()}});
  }

  TEST_CASE("SendBatchesJsonLinesAndSkipsBadLinesByNumber") {
    FakeCorald server;
    std::string input = "{\"a\":1}\n\n{\"a\":2}\nnot json\n[1]\n{\"a\":3}\r\n";
    auto run =
        RunCoral({"--server", server.url(), "send", "hello", "out", "-", "--batch", "2"}, input);
    CHECK(run.exit_code == kExitFailed);
    CHECK(run.err.find("<stdin>:4: not JSON") != std::string::npos);
    CHECK(run.err.find("<stdin>:5: not a JSON object") != std::string::npos);
    CHECK(run.err.find("sent 3 events to hello/out in 2 requests; 2 lines skipped") !=
          std::string::npos);
    auto requests = server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].method == "POST");
    CHECK(requests[0].path == "/api/runtimes/hello/actors/out");
    CHECK(requests[0].body == "[{\"a\":1},{\"a\":2}]");
    CHECK(requests[1].body == "[{\"a\":3}]");
  }

  TEST_CASE("SendOneEventAsItIs") {
    FakeCorald server;
    auto run = RunCoral(
        {"--server", server.url(), "-o", "json", "send", "hello", "out", R"({"user": "ann"})"});
    CHECK(run.exit_code == kExitOk);
    CHECK(Json::parse(run.out)["sent"] == 1);
    CHECK(server.requests().at(0).body == R"({"user": "ann"})");
    auto bad = RunCoral({"--server", server.url(), "send", "hello", "out", "{oops"});
    CHECK(bad.exit_code == kExitUsage);
    CHECK(server.requests().size() == 1);
  }

  TEST_CASE("StatsCountPrintsOneJsonDocumentPerRefresh") {
    FakeCorald server;
    auto run = RunCoral({"--server", server.url(), "-o", "json", "stats", "hello", "--count", "2",
                         "--interval", "0.1"});
    CHECK(run.exit_code == kExitOk);
    std::istringstream lines(run.out);
    std::string line;
    std::vector<Json> frames;
    while (std::getline(lines, line)) frames.push_back(Json::parse(line));
    REQUIRE(frames.size() == 2);
    CHECK(frames[0]["totalMessages"] == 100);
    CHECK(frames[1]["totalMessages"] == 200);
    CHECK_FALSE(frames[0].contains("success"));
  }

  TEST_CASE("StatsTableHasARowPerActorAndTotalLast") {
    FakeCorald server;
    auto run = RunCoral({"--server", server.url(), "stats", "hello"});
    CHECK(run.exit_code == kExitOk);
    CHECK(run.out ==
          "hello: 2 actors, 100 messages, 0 exceptions\n"
          "\n"
          "ACTOR  RECEIVED  EMITTED\n"
          "pulse         0       50\n"
          "out          50        0\n"
          "total        50       50\n");
  }

  TEST_CASE("StatePrintsTheStateItself") {
    FakeCorald server;
    auto table = RunCoral({"--server", server.url(), "state", "hello", "stats"});
    CHECK(table.out == "count: 3\navg:   71.5\nmin:   -\n");
    auto yaml = RunCoral({"--server", server.url(), "-o", "yaml", "state", "hello", "stats"});
    CHECK(yaml.out == "count: 3\navg: 71.5\nmin: ~\n");
  }

  TEST_CASE("UserAddReadsThePasswordFromStdin") {
    FakeCorald server;
    auto run = RunCoral(
        {"--server", server.url(), "user", "add", "ann", "--email", "a@b.c", "--password-stdin"},
        "secret\n");
    CHECK(run.exit_code == kExitOk);
    auto requests = server.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].path == "/api/users");
    CHECK(Json::parse(requests[0].body) ==
          Json{{"name", "ann"}, {"email", "a@b.c"}, {"password", "secret"}});
    auto empty = RunCoral({"--server", server.url(), "user", "add", "bob", "--password-stdin"}, "");
    CHECK(empty.exit_code == kExitUsage);
  }

  TEST_CASE("PermissionRemoveByRuleFindsItsIdFirst") {
    FakeCorald server;
    auto run = RunCoral({"--server", server.url(), "permission", "remove", "hello", "--user", "bob",
                         "--method", "get", "--url", "/api/runtimes/hello/stats"});
    CHECK(run.exit_code == kExitOk);
    auto requests = server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].method == "GET");
    CHECK(requests[1].method == "DELETE");
    CHECK(requests[1].path == "/api/runtimes/hello/permissions/p-1");
    auto unknown = RunCoral({"--server", server.url(), "permission", "remove", "hello", "--user",
                             "eve", "--method", "GET", "--url", "/x"});
    CHECK(unknown.exit_code == kExitNotFound);
    auto half =
        RunCoral({"--server", server.url(), "permission", "remove", "hello", "--user", "x"});
    CHECK(half.exit_code == kExitUsage);
  }

  TEST_CASE("ClusterJoinChecksSeedsLocally") {
    FakeCorald server;
    auto run = RunCoral({"--server", server.url(), "cluster", "join", "nohostport"});
    CHECK(run.exit_code == kExitUsage);
    CHECK(server.requests().empty());
  }

  TEST_CASE("ABadServerUrlIsAUsageError") {
    auto run = RunCoral({"--server", "ftp://x", "get", "runtimes"});
    CHECK(run.exit_code == kExitUsage);
    CHECK(run.err.find("only http and https") != std::string::npos);
  }
}

}  // namespace
}  // namespace coral::cli
