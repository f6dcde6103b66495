// The Store on SQLite: `<data_dir>/coral.db` in WAL mode with a busy timeout and foreign keys on,
// its schema migrated on open (migrations.h). Created with permissions 0600 (it holds password
// hashes); the data directory is created 0700 when missing.
//
// Thread-safety: one connection guarded by one mutex; every method may be called from any
// thread, calls are serialised. Other processes (`corald user add`) may use the same file at the
// same time: writes take the database lock up front (BEGIN IMMEDIATE) and wait up to
// `busy_timeout` for it.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "store/hlc.h"
#include "store/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace coral::store {

struct StoreOptions {
  std::string node_id = "local";  // written into the version of every record this node writes
  // Shared with the cluster layer, which merges remote timestamps into it. Not owned; must
  // outlive the store. nullptr: the store keeps a clock of its own.
  HybridLogicalClock* clock = nullptr;
  std::size_t event_log_rows_per_runtime = 10'000;
  std::chrono::milliseconds busy_timeout{5'000};
  std::function<Millis()> now;  // wall clock for created/updated/taken_at; default: system clock
};

class SqliteStore final : public Store {
 public:
  static constexpr const char* kFileName = "coral.db";

  // Opens (creating if needed) and migrates the database in `data_dir`. kUnavailable when the
  // directory or file cannot be created or opened; kInternal when its schema is newer than this
  // program knows.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::filesystem::path& data_dir,
                                                   StoreOptions options = {});
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // The version the schema has now (the number of the last migration applied).
  int schema_version() const;
  HybridLogicalClock& clock() { return *clock_; }

  Result<User> CreateUser(User user) override;
  Result<User> GetUser(std::string_view id) override;
  Result<User> FindUserByName(std::string_view name) override;
  Result<std::vector<User>> ListUsers() override;
  Result<User> UpdateUser(const User& user) override;
  Status DeleteUser(std::string_view id) override;

  Result<Permission> AddPermission(Permission permission) override;
  Result<Permission> GetPermission(std::string_view id) override;
  Result<std::vector<Permission>> ListPermissions(const PermissionFilter& filter) override;
  Result<Permission> SetPermissionAllowed(std::string_view id, bool allowed) override;
  Status DeletePermission(std::string_view id) override;

  Result<Runtime> CreateRuntime(Runtime runtime) override;
  Result<Runtime> GetRuntime(std::string_view id) override;
  Result<Runtime> FindRuntimeByUniqueName(std::string_view unique_name) override;
  Result<std::vector<Runtime>> ListRuntimes(std::optional<std::string_view> owner_id) override;
  Result<Runtime> ReplaceRuntimeDefinition(std::string_view id,
                                           std::string_view definition) override;
  Result<Runtime> SetRuntimeStatus(std::string_view id, RuntimeStatus status,
                                   std::optional<Millis> start_time) override;
  Status DeleteRuntime(std::string_view id) override;

  Status PutSnapshots(std::span<const ActorSnapshot> snapshots) override;
  Result<std::vector<ActorSnapshot>> GetSnapshots(std::string_view runtime_id) override;
  Status DeleteSnapshots(std::string_view runtime_id) override;

  Status AppendEvents(std::span<const LoggedEvent> events) override;
  Result<std::vector<LoggedEvent>> ReadEvents(std::string_view runtime_id, std::int64_t after_seq,
                                              std::size_t limit) override;

 private:
  class Statement;
  class Transaction;
  SqliteStore(sqlite3* db, StoreOptions options);

  Status Initialise();  // pragmas, migrations, clock seeding; called by Open
  // The cached prepared statement for `sql` (a string literal), reset when the Statement dies.
  Result<Statement> Prepare(std::string_view sql);
  Status Exec(std::string_view sql);  // one statement without parameters or rows
  Error SqlError(int rc, std::string_view what) const;
  Version NextVersion();
  Millis Now() const;

  // Unlocked bodies shared by several public methods. REQUIRES: mutex_ held.
  Result<User> GetUserLocked(std::string_view id);
  Result<Runtime> GetRuntimeLocked(std::string_view id);
  Result<Permission> GetPermissionLocked(std::string_view id);
  Status TrimEventLogLocked(std::string_view runtime_id);

  sqlite3* db_;
  StoreOptions options_;
  std::unique_ptr<HybridLogicalClock> own_clock_;
  HybridLogicalClock* clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string_view, sqlite3_stmt*> statements_;  // guarded by mutex_
  int schema_version_ = 0;
};

}  // namespace coral::store
