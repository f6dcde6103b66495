#include "store/sqlite_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "store/migrations.h"
#include "store/scratch_dir.h"
#include "store/uuid.h"

namespace coral::store {
namespace {

using coral::testing::ScratchDir;

std::unique_ptr<SqliteStore> OpenStore(const ScratchDir& dir, StoreOptions options = {}) {
  auto store = SqliteStore::Open(dir.path(), std::move(options));
  REQUIRE_MESSAGE(store.ok(), store.error().message);
  return std::move(store).value();
}

User MakeUser(const std::string& name, bool admin = false) {
  User user;
  user.name = name;
  user.fullname = "Full " + name;
  user.email = name + "@example.org";
  user.mobile = "+31 6 0000";
  user.department = "R&D";
  user.password_hash = "$argon2id$not-a-real-hash-" + name;
  user.admin = admin;
  return user;
}

User CreateUser(Store& store, const std::string& name, bool admin = false) {
  auto user = store.CreateUser(MakeUser(name, admin));
  REQUIRE_MESSAGE(user.ok(), user.error().message);
  return user.value();
}

Runtime CreateRuntime(Store& store, const User& owner, const std::string& name) {
  Runtime runtime;
  runtime.owner_id = owner.id;
  runtime.name = name;
  runtime.definition = R"({"name": ")" + name + R"(", "actors": []})";
  auto created = store.CreateRuntime(runtime);
  REQUIRE_MESSAGE(created.ok(), created.error().message);
  return created.value();
}

// A value read with plain SQL, to look behind the store's back (tombstones, pragmas).
std::string QueryText(const std::filesystem::path& db_path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

TEST_SUITE("store: opening and migrations") {
  TEST_CASE("a new data directory gets a migrated database in WAL mode, readable by its owner") {
    ScratchDir dir;
    const auto data_dir = dir.path() / "data";
    auto store = SqliteStore::Open(data_dir);
    REQUIRE_MESSAGE(store.ok(), store.error().message);
    CHECK(store.value()->schema_version() == Migrations().back().version);
    const auto db = data_dir / SqliteStore::kFileName;
    CHECK(QueryText(db, "PRAGMA journal_mode") == "wal");
    CHECK(QueryText(db, "SELECT count(*) FROM schema_migrations") ==
          std::to_string(Migrations().size()));
    struct stat info {};
    REQUIRE(::stat(db.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    REQUIRE(::stat(data_dir.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700);
  }

  TEST_CASE("an existing empty file is migrated") {
    ScratchDir dir;
    std::ofstream(dir.path() / SqliteStore::kFileName).close();
    auto store = OpenStore(dir);
    CHECK(store->schema_version() == Migrations().back().version);
    CHECK(store->ListUsers().value().empty());
  }

  TEST_CASE("migrations are numbered 1, 2, 3, ... in order") {
    int expected = 1;
    for (const Migration& migration : Migrations()) CHECK(migration.version == expected++);
  }

  TEST_CASE("re-opening keeps the data and does not migrate again") {
    ScratchDir dir;
    std::string user_id, runtime_id;
    {
      auto store = OpenStore(dir);
      user_id = CreateUser(*store, "alice").id;
      runtime_id = CreateRuntime(*store, store->GetUser(user_id).value(), "rt").id;
    }
    auto store = OpenStore(dir);
    CHECK(store->GetUser(user_id).value().name == "alice");
    CHECK(store->GetRuntime(runtime_id).value().unique_name == "alice-rt");
    CHECK(
        QueryText(dir.path() / SqliteStore::kFileName, "SELECT count(*) FROM schema_migrations") ==
        std::to_string(Migrations().size()));
  }

  TEST_CASE("a database from a newer program is refused") {
    ScratchDir dir;
    OpenStore(dir).reset();
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir.path() / SqliteStore::kFileName).c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (999, 'from the future', 0)",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    auto store = SqliteStore::Open(dir.path());
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().code == ErrorCode::kInternal);
    CHECK(store.error().message.find("newer") != std::string::npos);
  }

  TEST_CASE("a file that is not a database is an error value, not a crash") {
    ScratchDir dir;
    std::ofstream(dir.path() / SqliteStore::kFileName) << std::string(8192, 'x');
    auto store = SqliteStore::Open(dir.path());
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().code == ErrorCode::kUnavailable);
  }

  TEST_CASE("a data directory that cannot be created is kUnavailable") {
    ScratchDir dir;
    std::ofstream(dir.path() / "file").close();
    auto store = SqliteStore::Open(dir.path() / "file" / "sub");
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().code == ErrorCode::kUnavailable);
  }
}

TEST_SUITE("store: users") {
  TEST_CASE("create, get, find, list, update and delete a user") {
    ScratchDir dir;
    auto store = OpenStore(dir, StoreOptions{.node_id = "10.0.0.1:2551"});
    const User alice = CreateUser(*store, "alice", true);
    CHECK(IsUuid(alice.id));
    CHECK(alice.created > 0);
    CHECK(alice.version.hlc > 0);
    CHECK(alice.version.node_id == "10.0.0.1:2551");

    auto got = store->GetUser(alice.id);
    REQUIRE(got.ok());
    CHECK(got.value().name == "alice");
    CHECK(got.value().fullname == "Full alice");
    CHECK(got.value().email == "alice@example.org");
    CHECK(got.value().mobile == "+31 6 0000");
    CHECK(got.value().department == "R&D");
    CHECK(got.value().password_hash == alice.password_hash);
    CHECK(got.value().admin);
    CHECK(got.value().version.hlc == alice.version.hlc);
    CHECK(store->FindUserByName("alice").value().id == alice.id);

    CreateUser(*store, "bob");
    auto users = store->ListUsers();
    REQUIRE(users.ok());
    REQUIRE(users.value().size() == 2);
    CHECK(users.value()[0].name == "alice");
    CHECK(users.value()[1].name == "bob");

    User changed = got.value();
    changed.email = "a@example.com";
    changed.admin = false;
    changed.created = 1;  // ignored
    auto updated = store->UpdateUser(changed);
    REQUIRE(updated.ok());
    CHECK(updated.value().version.hlc > alice.version.hlc);
    CHECK(store->GetUser(alice.id).value().email == "a@example.com");
    CHECK_FALSE(store->GetUser(alice.id).value().admin);
    CHECK(store->GetUser(alice.id).value().created == alice.created);

    REQUIRE(store->DeleteUser(alice.id).ok());
    CHECK(store->GetUser(alice.id).error().code == ErrorCode::kNotFound);
    CHECK(store->FindUserByName("alice").error().code == ErrorCode::kNotFound);
    CHECK(store->ListUsers().value().size() == 1);
    CHECK(store->DeleteUser(alice.id).error().code == ErrorCode::kNotFound);
    CHECK(store->UpdateUser(changed).error().code == ErrorCode::kNotFound);
  }

  TEST_CASE("a taken name is kConflict; after a delete the name is free again") {
    ScratchDir dir;
    auto store = OpenStore(dir);
    const User first = CreateUser(*store, "alice");
    auto again = store->CreateUser(MakeUser("alice"));
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == ErrorCode::kConflict);
    CHECK(again.error().message == "a user named 'alice' already exists");
    REQUIRE(store->DeleteUser(first.id).ok());
    const User second = CreateUser(*store, "alice");
    CHECK(second.id != first.id);
  }

  TEST_CASE("a delete leaves a tombstone without the password hash") {
    ScratchDir dir;
    auto store = OpenStore(dir);
    const User alice = CreateUser(*store, "alice");
    REQUIRE(store->DeleteUser(alice.id).ok());
    const auto db = dir.path() / SqliteStore::kFileName;
    CHECK(QueryText(db, "SELECT deleted || ':' || password_hash || ':' || name FROM users") ==
          "1::alice");
    CHECK(std::stoull(QueryText(db, "SELECT version FROM users")) > alice.version.hlc);
  }

  TEST_CASE("invalid names are kInvalidArgument; the name cannot change") {
    ScratchDir dir;
    auto store = OpenStore(dir);
    for (const char* name : {"", "-x", "a b", "o'brien", "x;DROP TABLE users", "é"}) {
      auto user = store->CreateUser(MakeUser(name));
      REQUIRE_FALSE(user.ok());
      CHECK(user.error().code == ErrorCode::kInvalidArgument);
    }
    CHECK_FALSE(store->CreateUser(MakeUser(std::string(65, 'a'))).ok());
    CHECK(store->CreateUser(MakeUser(std::string(64, 'a'))).ok());
    User alice = CreateUser(*store, "alice.smith@corp-1_x");
    alice.name = "mallory";
    CHECK(store->UpdateUser(alice).error().code == ErrorCode::kInvalidArgument);
  }

  TEST_CASE("versions keep growing across a restart even when the wall clock went back") {
    ScratchDir dir;
    std::atomic<std::uint64_t> millis{1'800'000'000'000};
    std::uint64_t before = 0;
    {
      HybridLogicalClock clock([&] { return millis.load(); });
      auto store = OpenStore(dir, StoreOptions{.clock = &clock});
      before = CreateUser(*store, "alice").version.hlc;
    }
    millis -= 3'600'000;
    HybridLogicalClock clock([&] { return millis.load(); });
    auto store = OpenStore(dir, StoreOptions{.clock = &clock});
    CHECK(CreateUser(*store, "bob").version.hlc > before);
  }
}

TEST_SUITE("store: permissions") {
  TEST_CASE("add, get, list, allow/deny and delete a permission") {
    ScratchDir dir;
    auto store = OpenStore(dir);
    const User alice = CreateUser(*store, "alice");
    const User bob = CreateUser(*store, "bob");
    const Runtime runtime = CreateRuntime(*store, alice, "rt");

    Permission permission;
    permission.user_id = bob.id;
    permission.runtime_id = runtime.id;
    permission.method = "get";
    permission.url = "/api/runtimes/alice-rt/*";
    auto added = store->AddPermission(permission);
    REQUIRE_MESSAGE(added.ok(), added.error().message);
    CHECK(IsUuid(added.value().id));
    CHECK(added.value().method == "GET");
    CHECK(added.value().allowed);

    Permission platform;
    platform.user_id = bob.id;
    platform.method = "*";
    platform.url = "/api/platform/*";
    platform.allowed = false;
    const Permission platform_added = store->AddPermission(platform).value();
    CHECK_FALSE(platform_added.runtime_id.has_value());

    auto got = store->GetPermission(added.value().id);
    REQUIRE(got.ok());
    CHECK(got.value().runtime_id == runtime.id);
    CHECK(got.value().url == "/api/runtimes/alice-rt/*");

    CHECK(store->ListPermissions({}).value().size() == 2);
    CHECK(store->ListPermissions({.user_id = bob.id}).value().size() == 2);
    CHECK(store->ListPermissions({.user_id = alice.id}).value().empty());
    auto scoped = store->ListPermissions({.runtime_id = runtime.id}).value();
    REQUIRE(scoped.size() == 1);
    CHECK(scoped[0].id == added.value().id);

    auto denied = store->SetPermissionAllowed(added.value().id, false);
    REQUIRE(denied.ok());
    CHECK_FALSE(denied.value().allowed);
    CHECK(denied.value().version.hlc > added.value().version.hlc);
    CHECK_FALSE(store->GetPermission(added.value().id).value().allowed);

    REQUIRE(store->DeletePermission(added.value().id).ok());
    CHECK(store->GetPermission(added.value().id).error().code == ErrorCode::kNotFound);
    CHECK(store->DeletePermission(added.value().id).error().code == ErrorCode::kNotFound);
    CHECK(store->SetPermissionAllowed(added.value().id, true).error().code == ErrorCode::kNotFound);
    CHECK(store->ListPermissions({}).value().size() == 1);
  }

  TEST_CASE(
      "a duplicate permission is kConflict; unknown users, runtimes and bad fields are not "
      "stored") {
    ScratchDir dir;
    auto store = OpenStore(dir);
    const User bob = CreateUser(*store, "bob");
    Permission permission;
    permission.user_id = bob.id;
    permission.method = "POST";
    permission.url = "/api/platform/cluster";
    REQUIRE(store->AddPermission(permission).ok());
    permission.allowed = false;
    CHECK(store->AddPermission(permission).error().code == ErrorCode::kConflict);

    Permission unknown_user = permission;
    unknown_user.user_id = NewUuid();
    CHECK(store->AddPermission(unknown_user).error().code == ErrorCode::kInvalidArgument);
    Permission unknown_runtime = permission;
    unknown_runtime.runtime_id = NewUuid();
    CHECK(store->AddPermission(unknown_runtime).error().code == ErrorCode::kInvalidArgument);
    Permission bad_method = permission;
    bad_method.method = "GE T";
    CHECK(store->AddPermission(bad_method).error().code == ErrorCode::kInvalidArgument);
    Permission bad_url = permission;
    bad_url.url = "api/x";
    CHECK(store->AddPermission(bad_url).error().code == ErrorCode::kInvalidArgument);
    CHECK(store->ListPermissions({}).value().size() == 1);
  }

  TEST_CASE("deleting a user tombstones their permissions") {
    ScratchDir dir;
    auto store = OpenStore(dir);
    const User bob = CreateUser(*store, "bob");
    Permission permission;
    permission.user_id = bob.id;
    permission.method = "GET";
    permission.url = "*";
    REQUIRE(store->AddPermission(permission).ok());
    REQUIRE(store->DeleteUser(bob.id).ok());
    CHECK(store->ListPermissions({}).value().empty());
  }
}

TEST_SUITE("store: runtimes") {
  TEST_CASE("create, get, find, list, replace, change status and delete a runtime") {
    ScratchDir dir;
    auto store = OpenStore(dir);
    const User alice = CreateUser(*store, "alice");
    const User bob = CreateUser(*store, "bob");
    Runtime runtime;
    runtime.owner_id = alice.id;
    runtime.owner_name = "ignored";
    runtime.name = "rt";
    runtime.definition = R"({"name": "rt", "quote": "it's \"fine\"; DROP TABLE runtimes"})";
    auto created = store->CreateRuntime(runtime);
    REQUIRE_MESSAGE(created.ok(), created.error().message);
    CHECK(IsUuid(created.value().id));
    CHECK(created.value().owner_name == "alice");
    CHECK(created.value().unique_name == "alice-rt");
    CHECK(created.value().status == RuntimeStatus::kCreated);
    CHECK_FALSE(created.value().start_time.has_value());

    const std::string id = created.value().id;
    auto got = store->GetRuntime(id);
    REQUIRE(got.ok());
    CHECK(got.value().definition == runtime.definition);
    CHECK(store->FindRuntimeByUniqueName("alice-rt").value().id == id);
    CHECK(store->FindRuntimeByUniqueName("rt").error().code == ErrorCode::kNotFound);

    CreateRuntime(*store, bob, "rt");
    CreateRuntime(*store, alice, "other");
    CHECK(store->ListRuntimes(std::nullopt).value().size() == 3);
    auto mine = store->ListRuntimes(alice.id).value();
    REQUIRE(mine.size() == 2);
    CHECK(mine[0].unique_name == "alice-other");
    CHECK(mine[1].unique_name == "alice-rt");

    auto replaced = store->ReplaceRuntimeDefinition(id, R"({"name": "rt", "v": 2})");
    REQUIRE(replaced.ok());
    CHECK(replaced.value().definition == R"({"name": "rt", "v": 2})");
    CHECK(replaced.value().version.hlc > created.value().version.hlc);

    auto running = store->SetRuntimeStatus(id, RuntimeStatus::kRunning, 1234);
    REQUIRE(running.ok());
    CHECK(running.value().status == RuntimeStatus::kRunning);
    CHECK(running.value().start_time == 1234);
    auto stopped = store->SetRuntimeStatus(id, RuntimeStatus::kStopped, std::nullopt);
    REQUIRE(stopped.ok());
    CHECK(stopped.value().status == RuntimeStatus::kStopped);
    CHECK(stopped.value().start_time == 1234);

    REQUIRE(store->DeleteRuntime(id).ok());
    CHECK(store->GetRuntime(id).error().code == ErrorCode::kNotFound);
    CHECK(store->FindRuntimeByUniqueName("alice-rt").error().code == ErrorCode::kNotFound);
    CHECK(store->ListRuntimes(alice.id).value().size() == 1);
    CHECK(store->DeleteRuntime(id).error().code == ErrorCode::kNotFound);
    CHECK(store->SetRuntimeStatus(id, RuntimeStatus::kRunning, std::nullopt).error().code ==
          ErrorCode::kNotFound);
    CHECK(store->ReplaceRuntimeDefinition(id, "{}").error().code == ErrorCode::kNotFound);
    CHECK(QueryText(dir.path() / SqliteStore::kFileName,
                    "SELECT count(*) FROM runtimes WHERE deleted = 1") == "1");
    // The unique name is free again.
    CreateRuntime(*store, alice, "rt");
  }

  TEST_CASE("unique names conflict, including owner/name splits that collide") {
    ScratchDir dir;
    auto store = OpenStore(dir);
    const User alice = CreateUser(*store, "alice");
    const User ab = CreateUser(*store, "a-b");
    const User a = CreateUser(*store, "a");
    CreateRuntime(*store, alice, "rt");
    Runtime again;
    again.owner_id = alice.id;
    again.name = "rt";
    again.definition = "{}";
    auto conflict = store->CreateRuntime(again);
    REQUIRE_FALSE(conflict.ok());
    CHECK(conflict.error().code == ErrorCode::kConflict);
    CHECK(conflict.error().message == "a runtime named 'alice-rt' already exists");

    CreateRuntime(*store, ab, "c");
    Runtime collide;
    collide.owner_id = a.id;
    collide.name = "b-c";
    collide.definition = "{}";
    CHECK(store->CreateRuntime(collide).error().code == ErrorCode::kConflict);
  }

  TEST_CASE("a runtime needs a live owner and a name") {
    ScratchDir dir;
    auto store = OpenStore(dir);
    Runtime runtime;
    runtime.owner_id = NewUuid();
    runtime.name = "rt";
    runtime.definition = "{}";
    CHECK(store->CreateRuntime(runtime).error().code == ErrorCode::kInvalidArgument);
    const User alice = CreateUser(*store, "alice");
    runtime.owner_id = alice.id;
    runtime.name = "";
    CHECK(store->CreateRuntime(runtime).error().code == ErrorCode::kInvalidArgument);
  }

  TEST_CASE("deleting a runtime drops its permissions, snapshots and event log") {
    ScratchDir dir;
    auto store = OpenStore(dir);
    const User alice = CreateUser(*store, "alice");
    const User bob = CreateUser(*store, "bob");
    const Runtime runtime = CreateRuntime(*store, alice, "rt");
    const Runtime kept = CreateRuntime(*store, alice, "kept");
    Permission permission;
    permission.user_id = bob.id;
    permission.runtime_id = runtime.id;
    permission.method = "GET";
    permission.url = "*";
    REQUIRE(store->AddPermission(permission).ok());
    const ActorSnapshot snapshots[] = {{runtime.id, 0, "a", "", "{}", 0},
                                       {kept.id, 0, "a", "", "{}", 0}};
    REQUIRE(store->PutSnapshots(snapshots).ok());
    const LoggedEvent events[] = {{0, runtime.id, 0, "a", Direction::kIn, "{}", 0},
                                  {0, kept.id, 0, "a", Direction::kIn, "{}", 0}};
    REQUIRE(store->AppendEvents(events).ok());

    REQUIRE(store->DeleteRuntime(runtime.id).ok());
    CHECK(store->ListPermissions({}).value().empty());
    CHECK(store->GetSnapshots(runtime.id).value().empty());
    CHECK(store->ReadEvents(runtime.id, 0, 100).value().empty());
    CHECK(store->GetSnapshots(kept.id).value().size() == 1);
    CHECK(store->ReadEvents(kept.id, 0, 100).value().size() == 1);
  }
}

TEST_SUITE("store: snapshots and event log") {
  TEST_CASE("snapshots round-trip; a put on the same key replaces") {
    ScratchDir dir;
    auto store = OpenStore(dir, StoreOptions{.now = [] { return Millis{42}; }});
    const User alice = CreateUser(*store, "alice");
    const Runtime runtime = CreateRuntime(*store, alice, "rt");
    std::vector<ActorSnapshot> snapshots;
    for (int copy = 0; copy < 3; ++copy) {
      snapshots.push_back(
          {runtime.id, copy, "stats", "", R"({"count": )" + std::to_string(copy) + "}", 0});
      snapshots.push_back({runtime.id, copy, "grouped", "key \"1\"", R"({"k": 1})", 7});
    }
    REQUIRE(store->PutSnapshots(snapshots).ok());
    auto got = store->GetSnapshots(runtime.id);
    REQUIRE(got.ok());
    REQUIRE(got.value().size() == 6);
    CHECK(got.value()[0].copy == 0);
    CHECK(got.value()[0].actor == "grouped");
    CHECK(got.value()[0].instance_key == "key \"1\"");
    CHECK(got.value()[0].taken_at == 7);
    CHECK(got.value()[1].actor == "stats");
    CHECK(got.value()[1].state == R"({"count": 0})");
    CHECK(got.value()[1].taken_at == 42);

    const ActorSnapshot newer[] = {{runtime.id, 1, "stats", "", R"({"count": 99})", 0}};
    REQUIRE(store->PutSnapshots(newer).ok());
    got = store->GetSnapshots(runtime.id);
    REQUIRE(got.value().size() == 6);
    CHECK(got.value()[3].state == R"({"count": 99})");

    REQUIRE(store->DeleteSnapshots(runtime.id).ok());
    CHECK(store->GetSnapshots(runtime.id).value().empty());
  }

  TEST_CASE("a batch of snapshots with an unknown runtime stores nothing") {
    ScratchDir dir;
    auto store = OpenStore(dir);
    const Runtime runtime = CreateRuntime(*store, CreateUser(*store, "alice"), "rt");
    const ActorSnapshot snapshots[] = {{runtime.id, 0, "a", "", "{}", 0},
                                       {NewUuid(), 0, "a", "", "{}", 0}};
    auto status = store->PutSnapshots(snapshots);
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().code == ErrorCode::kNotFound);
    CHECK(store->GetSnapshots(runtime.id).value().empty());
  }

  TEST_CASE("the event log keeps the newest N rows of each runtime") {
    ScratchDir dir;
    auto store = OpenStore(dir, StoreOptions{.event_log_rows_per_runtime = 10});
    const User alice = CreateUser(*store, "alice");
    const Runtime busy = CreateRuntime(*store, alice, "busy");
    const Runtime quiet = CreateRuntime(*store, alice, "quiet");
    const LoggedEvent quiet_events[] = {{0, quiet.id, 0, "a", Direction::kIn, "{\"q\":1}", 5},
                                        {0, quiet.id, 1, "a", Direction::kOut, "{\"q\":2}", 6}};
    REQUIRE(store->AppendEvents(quiet_events).ok());
    for (int batch = 0; batch < 5; ++batch) {
      std::vector<LoggedEvent> events;
      for (int i = 0; i < 5; ++i) {
        const int n = batch * 5 + i;
        events.push_back({0, busy.id, n % 2, "gen", n % 3 == 0 ? Direction::kOut : Direction::kIn,
                          "{\"n\":" + std::to_string(n) + "}", 0});
      }
      REQUIRE(store->AppendEvents(events).ok());
    }
    auto kept = store->ReadEvents(busy.id, 0, 100);
    REQUIRE(kept.ok());
    REQUIRE(kept.value().size() == 10);
    CHECK(kept.value().front().event == "{\"n\":15}");
    CHECK(kept.value().back().event == "{\"n\":24}");
    for (std::size_t i = 1; i < kept.value().size(); ++i) {
      CHECK(kept.value()[i].seq > kept.value()[i - 1].seq);
    }
    CHECK(kept.value().back().direction == Direction::kOut);  // 24 % 3 == 0
    CHECK(kept.value().back().copy == 0);
    CHECK(kept.value().back().at > 0);

    auto quiet_kept = store->ReadEvents(quiet.id, 0, 100);
    REQUIRE(quiet_kept.value().size() == 2);
    CHECK(quiet_kept.value()[1].direction == Direction::kOut);
    CHECK(quiet_kept.value()[1].at == 6);

    auto page = store->ReadEvents(busy.id, kept.value()[4].seq, 3);
    REQUIRE(page.value().size() == 3);
    CHECK(page.value()[0].seq == kept.value()[5].seq);

    const LoggedEvent unknown[] = {{0, NewUuid(), 0, "a", Direction::kIn, "{}", 0}};
    CHECK(store->AppendEvents(unknown).error().code == ErrorCode::kNotFound);
    CHECK(
        SqliteStore::Open(dir.path(), StoreOptions{.event_log_rows_per_runtime = 0}).error().code ==
        ErrorCode::kInvalidArgument);
  }
}

TEST_SUITE("store: concurrency") {
  TEST_CASE("several threads, and a second connection, write and read at the same time") {
    ScratchDir dir;
    auto store = OpenStore(dir, StoreOptions{.event_log_rows_per_runtime = 50});
    auto other = OpenStore(dir);  // as `corald user add` would, from another process
    constexpr int kThreads = 4;
    constexpr int kEach = 25;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        Store& mine = t == 0 ? static_cast<Store&>(*other) : static_cast<Store&>(*store);
        auto user = mine.CreateUser(MakeUser("user" + std::to_string(t)));
        if (!user.ok()) {
          ++failures;
          return;
        }
        for (int i = 0; i < kEach; ++i) {
          Runtime runtime;
          runtime.owner_id = user.value().id;
          runtime.name = "rt" + std::to_string(i);
          runtime.definition = "{}";
          auto created = mine.CreateRuntime(runtime);
          if (!created.ok()) {
            ++failures;
            continue;
          }
          const LoggedEvent events[] = {{0, created.value().id, 0, "a", Direction::kIn, "{}", 0}};
          const ActorSnapshot snapshots[] = {{created.value().id, 0, "a", "", "{}", 0}};
          if (!mine.AppendEvents(events).ok() || !mine.PutSnapshots(snapshots).ok() ||
              !mine.ListRuntimes(user.value().id).ok()) {
            ++failures;
          }
          // Everyone races for the same shared name: exactly one wins.
          auto shared = mine.CreateUser(MakeUser("shared" + std::to_string(i)));
          if (!shared.ok() && shared.error().code != ErrorCode::kConflict) ++failures;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(failures == 0);
    CHECK(store->ListRuntimes(std::nullopt).value().size() == kThreads * kEach);
    CHECK(store->ListUsers().value().size() == kThreads + kEach);
    CHECK(other->ListRuntimes(std::nullopt).value().size() == kThreads * kEach);
  }
}

}  // namespace
}  // namespace coral::store
