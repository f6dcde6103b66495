#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

#include <doctest/doctest.h>

#include "actors/diagnostic_checks.h"
#include "support/actor_harness.h"

namespace coral::testing {
namespace {

namespace fs = std::filesystem;

class RecordingSink : public actors::LineSink {
 public:
  void WriteLines(std::string_view lines) override {
    if (fail) throw std::runtime_error("the output is gone");
    writes.emplace_back(lines);
  }
  void Flush() override { ++flushes; }

  std::string All() const {
    std::string out;
    for (const std::string& write : writes) out += write;
    return out;
  }

  std::vector<std::string> writes;
  int flushes = 0;
  bool fail = false;
};

// A fresh directory under the system's temporary directory, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("coral-log-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Yaml(const fs::path& path, std::string_view extra = "") {
  return "{file: " + Json(path.string()).dump() + std::string(extra) + "}";
}

TEST_SUITE("log") {
  TEST_CASE("LogRejectsBadParams") {
    Configured mapping = Configure("log", "{file: {name: x}, append: yes}");
    CHECK_FALSE(mapping.create);
    CHECK_PARAM_ERROR(mapping, "actors[0].params.file", "expected a string, found a mapping");
    CHECK_PARAM_ERROR(mapping, "actors[0].params.append",
                      "expected true or false, found the string \"yes\"");

    Configured empty = Configure("log", "{file: ''}");
    CHECK_FALSE(empty.create);
    CHECK_PARAM_ERROR(empty, "actors[0].params.file",
                      "the file name is empty; write a path such as `events.log`");

    Configured typo = Configure("log", "{fiel: out.log}");
    CHECK(typo.create);
    CHECK_PARAM_WARNING(typo, "actors[0].params.fiel", "did you mean `file`?");
  }

  TEST_CASE("LogWithoutParamsWritesToStandardOutput") {
    auto sink = std::make_shared<RecordingSink>();
    actors::ActorEnv env;
    env.standard_output = sink;
    auto actor = MakeActor("log", "", env);
    FakeActorContext context;
    actor->OnStart(context);
    actor->OnEvent(Ev(R"({"b": 1, "a": [1, 2]})"), context);
    actor->OnEvent(Event::FromJson(Json::parse(R"({"z": "x"})")), context);
    CHECK(sink->writes.empty());  // buffered until the end of the turn
    actor->OnTurnEnd(context);
    // The original bytes as written (never re-serialised), one line per event.
    CHECK(sink->All() == "{\"b\": 1, \"a\": [1, 2]}\n{\"z\":\"x\"}\n");
    CHECK(sink->writes.size() == 1);
    CHECK(sink->flushes == 1);
    CHECK(context.emitted.empty());
    CHECK(context.failures.empty());
  }

  TEST_CASE("LogKeepsAMultiLineEventOnOneLine") {
    auto sink = std::make_shared<RecordingSink>();
    actors::ActorEnv env;
    env.standard_output = sink;
    auto actor = MakeActor("log", "{}", env);
    FakeActorContext context;
    actor->OnStart(context);
    actor->OnEvent(Ev("{\n  \"a\": \"x\\ny\",\n  \"b\": 2\n}"), context);
    actor->OnStop(context);
    CHECK(sink->All() == "{\"a\":\"x\\ny\",\"b\":2}\n");
  }

  TEST_CASE("LogWritesABigBatchBeforeTheTurnEnds") {
    auto sink = std::make_shared<RecordingSink>();
    actors::ActorEnv env;
    env.standard_output = sink;
    auto actor = MakeActor("log", "", env);
    FakeActorContext context;
    actor->OnStart(context);
    Event event = Ev(R"({"text": ")" + std::string(1000, 'x') + R"("})");
    for (int i = 0; i < 100; ++i) actor->OnEvent(event, context);
    CHECK(sink->writes.size() >= 1);  // ~100 KB: the 64 KiB buffer went out mid-batch
    actor->OnTurnEnd(context);
    CHECK(sink->All().size() == 100 * (event.bytes().size() + 1));
  }

  TEST_CASE("LogCountsAFailingOutput") {
    auto sink = std::make_shared<RecordingSink>();
    sink->fail = true;
    actors::ActorEnv env;
    env.standard_output = sink;
    auto actor = MakeActor("log", "", env);
    FakeActorContext context;
    actor->OnStart(context);
    actor->OnEvent(Ev(R"({"a": 1})"), context);
    actor->OnTurnEnd(context);
    REQUIRE(context.failures.size() == 1);
    CHECK(context.failures[0] == "the output is gone");
  }

  TEST_CASE("LogTruncatesTheFileAtStart") {
    TempDir dir;
    fs::path file = dir.path() / "events.log";
    std::ofstream(file) << "old line\n";
    auto actor = MakeActor("log", Yaml(file));
    FakeActorContext context;
    actor->OnStart(context);
    CHECK(ReadFile(file).empty());
    actor->OnEvent(Ev(R"({"a": 1})"), context);
    actor->OnEvent(Ev(R"({"a": 2})"), context);
    actor->OnTurnEnd(context);
    CHECK(ReadFile(file) == "{\"a\": 1}\n{\"a\": 2}\n");
    actor->OnEvent(Ev(R"({"a": 3})"), context);
    actor->OnStop(context);
    CHECK(ReadFile(file) == "{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3}\n");
    CHECK(context.failures.empty());
  }

  TEST_CASE("LogAppendsWhenAsked") {
    TempDir dir;
    fs::path file = dir.path() / "events.log";
    std::ofstream(file) << "{\"old\":true}\n";
    auto actor = MakeActor("log", Yaml(file, ", append: true"));
    FakeActorContext context;
    actor->OnStart(context);
    actor->OnEvent(Ev(R"({"new":true})"), context);
    actor->OnStop(context);
    CHECK(ReadFile(file) == "{\"old\":true}\n{\"new\":true}\n");
  }

  TEST_CASE("LogOpensTheFileTheEnvironmentResolves") {
    TempDir dir;
    actors::ActorEnv env;
    std::string asked;
    env.resolve_log_file = [&](std::string_view name) -> Result<fs::path> {
      asked = std::string(name);
      return dir.path() / name;
    };
    auto actor = MakeActor("log", "{file: out.log}", env);
    FakeActorContext context;
    actor->OnStart(context);
    actor->OnEvent(Ev(R"({"a": 1})"), context);
    actor->OnTurnEnd(context);
    CHECK(asked == "out.log");
    CHECK(ReadFile(dir.path() / "out.log") == "{\"a\": 1}\n");
  }

  TEST_CASE("LogCountsAFileItMayNotOpen") {
    actors::ActorEnv env;
    env.resolve_log_file = [](std::string_view) -> Result<fs::path> {
      return Error{ErrorCode::kPermissionDenied, "log files must stay under /var/lib/coral/logs"};
    };
    auto actor = MakeActor("log", "{file: /etc/passwd}", env);
    FakeActorContext context;
    actor->OnStart(context);
    REQUIRE(context.failures.size() == 1);
    CHECK(context.failures[0] == "log files must stay under /var/lib/coral/logs");
    actor->OnEvent(Ev(R"({"a": 1})"), context);
    CHECK(context.failures.size() == 2);  // every event it cannot write is counted
  }

  TEST_CASE("LogCountsAFileThatCannotBeOpened") {
    TempDir dir;
    auto actor = MakeActor("log", Yaml(dir.path() / "missing" / "events.log"));
    FakeActorContext context;
    actor->OnStart(context);
    REQUIRE(context.failures.size() == 1);
    CHECK(context.failures[0].find("cannot open log file") != std::string::npos);
    CHECK(context.failures[0].find("No such file or directory") != std::string::npos);
  }

  TEST_CASE("LogCountsAWriteFailure") {
    if (!fs::exists("/dev/full")) return;
    auto actor = MakeActor("log", "{file: /dev/full, append: true}");
    FakeActorContext context;
    actor->OnStart(context);
    REQUIRE(context.failures.empty());
    actor->OnEvent(Ev(R"({"a": 1})"), context);
    actor->OnTurnEnd(context);
    REQUIRE(context.failures.size() >= 1);
    CHECK(context.failures[0].find("cannot write to log file /dev/full") != std::string::npos);
  }
}

}  // namespace
}  // namespace coral::testing
