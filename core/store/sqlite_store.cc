#include "store/sqlite_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstring>
#include <set>
#include <system_error>
#include <utility>

#include <sqlite3.h>

#include "store/migrations.h"
#include "store/uuid.h"

namespace coral::store {

// A cached prepared statement, borrowed for one use: reset and unbound when it goes away.
class SqliteStore::Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& other) noexcept
      : stmt_(std::exchange(other.stmt_, nullptr)), bind_rc_(other.bind_rc_) {}
  Statement& operator=(Statement&&) = delete;
  ~Statement() {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  Statement& Text(int index, std::string_view text) {
    if (text.size() > static_cast<std::size_t>(INT_MAX)) return Failed(SQLITE_TOOBIG);
    // A null data pointer would bind SQL NULL, not the empty string.
    return Check(sqlite3_bind_text(stmt_, index, text.data() != nullptr ? text.data() : "",
                                   static_cast<int>(text.size()), SQLITE_TRANSIENT));
  }
  Statement& Int(int index, std::int64_t value) {
    return Check(sqlite3_bind_int64(stmt_, index, value));
  }
  Statement& Null(int index) { return Check(sqlite3_bind_null(stmt_, index)); }
  Statement& OptionalText(int index, const std::optional<std::string>& text) {
    return text ? Text(index, *text) : Null(index);
  }
  Statement& OptionalInt(int index, std::optional<std::int64_t> value) {
    return value ? Int(index, *value) : Null(index);
  }

  // SQLITE_ROW, SQLITE_DONE or an error code (a failed bind is reported here).
  int Step() { return bind_rc_ != SQLITE_OK ? bind_rc_ : sqlite3_step(stmt_); }

  std::string ColumnText(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return text == nullptr
               ? std::string()
               : std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  std::int64_t ColumnInt(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool ColumnNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  Statement& Check(int rc) { return rc == SQLITE_OK ? *this : Failed(rc); }
  Statement& Failed(int rc) {
    if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
    return *this;
  }

  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed before Commit.
class SqliteStore::Transaction {
 public:
  explicit Transaction(SqliteStore& store) : store_(store) {}
  ~Transaction() {
    if (active_) (void)store_.Exec("ROLLBACK");
  }
  Status Begin() {
    Status status = store_.Exec("BEGIN IMMEDIATE");
    active_ = status.ok();
    return status;
  }
  Status Commit() {
    Status status = store_.Exec("COMMIT");
    if (status.ok()) active_ = false;
    return status;
  }

 private:
  SqliteStore& store_;
  bool active_ = false;
};

namespace {

#define CORAL_USER_COLUMNS \
  "id, name, fullname, email, mobile, department, password_hash, admin, created, version, node_id"
#define CORAL_PERMISSION_COLUMNS \
  "id, user_id, runtime_id, method, url, allowed, created, version, node_id"
#define CORAL_RUNTIME_COLUMNS                                                              \
  "id, owner_id, owner_name, name, unique_name, definition, status, start_time, created, " \
  "updated, version, node_id"

std::string Quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

Status Fail(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Opening and plumbing.

SqliteStore::SqliteStore(sqlite3* db, StoreOptions options)
    : db_(db), options_(std::move(options)) {
  if (options_.clock == nullptr) {
    own_clock_ = std::make_unique<HybridLogicalClock>();
    clock_ = own_clock_.get();
  } else {
    clock_ = options_.clock;
  }
  if (!options_.now) {
    options_.now = [] { return static_cast<Millis>(HybridLogicalClock::SystemMillis()); };
  }
}

SqliteStore::~SqliteStore() {
  std::lock_guard lock(mutex_);
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  statements_.clear();
  sqlite3_close(db_);
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::filesystem::path& data_dir,
                                                       StoreOptions options) {
  namespace fs = std::filesystem;
  if (options.event_log_rows_per_runtime == 0) {
    return Error{ErrorCode::kInvalidArgument, "the event log keeps at least one row per runtime"};
  }
  std::error_code ec;
  if (fs::create_directories(data_dir, ec)) {
    fs::permissions(data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  if (ec || !fs::is_directory(data_dir)) {
    return Error{ErrorCode::kUnavailable, "cannot create the data directory " +
                                              Quoted(data_dir.string()) +
                                              (ec ? ": " + ec.message() : std::string())};
  }
  const fs::path file = data_dir / kFileName;
  // Create the file ourselves so that it (and the -wal/-shm files SQLite gives the same mode)
  // is readable by the owner only: it holds password hashes.
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
  } else if (errno != EEXIST) {
    return Error{ErrorCode::kUnavailable,
                 "cannot create " + Quoted(file.string()) + ": " + std::strerror(errno)};
  }

  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Error{ErrorCode::kUnavailable, "cannot open " + Quoted(file.string()) + ": " + message};
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, std::move(options)));
  Status status = store->Initialise();
  if (!status.ok()) {
    return Error{status.error().code, Quoted(file.string()) + ": " + status.error().message};
  }
  return store;
}

Status SqliteStore::Initialise() {
  std::lock_guard lock(mutex_);
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, static_cast<int>(options_.busy_timeout.count()));

  {
    auto stmt = Prepare("PRAGMA journal_mode = WAL");
    if (!stmt.ok()) return stmt.error();
    int rc = stmt.value().Step();
    if (rc != SQLITE_ROW) return SqlError(rc, "cannot switch to WAL mode");
    if (stmt.value().ColumnText(0) != "wal") {
      return Fail(ErrorCode::kUnavailable, "the database refuses WAL mode (journal mode " +
                                               stmt.value().ColumnText(0) + ")");
    }
  }
  // NORMAL is safe from corruption in WAL mode; a power cut may lose the last commits.
  for (std::string_view pragma : {"PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL"}) {
    if (Status status = Exec(pragma); !status.ok()) return status;
  }
  {
    auto stmt = Prepare("PRAGMA foreign_keys");
    if (!stmt.ok()) return stmt.error();
    if (stmt.value().Step() != SQLITE_ROW || stmt.value().ColumnInt(0) != 1) {
      return Fail(ErrorCode::kInternal, "this SQLite cannot enforce foreign keys");
    }
  }

  if (Status status =
          Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
               "description TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT");
      !status.ok()) {
    return status;
  }
  auto current_version = [this]() -> Result<int> {
    auto stmt = Prepare("SELECT ifnull(max(version), 0) FROM schema_migrations");
    if (!stmt.ok()) return stmt.error();
    int rc = stmt.value().Step();
    if (rc != SQLITE_ROW) return SqlError(rc, "cannot read the schema version");
    return static_cast<int>(stmt.value().ColumnInt(0));
  };
  auto found = current_version();
  if (!found.ok()) return found.error();
  const int latest = Migrations().back().version;
  if (found.value() > latest) {
    return Fail(ErrorCode::kInternal, "the database has schema version " +
                                          std::to_string(found.value()) +
                                          ", newer than this program knows (" +
                                          std::to_string(latest) + "): use a newer corald");
  }
  for (const Migration& migration : Migrations()) {
    if (migration.version <= found.value()) continue;
    Transaction transaction(*this);
    if (Status status = transaction.Begin(); !status.ok()) return status;
    auto now_version = current_version();  // another process may have migrated meanwhile
    if (!now_version.ok()) return now_version.error();
    if (migration.version <= now_version.value()) continue;
    char* message = nullptr;
    const std::string sql(migration.sql);
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string text = message != nullptr ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      return Fail(ErrorCode::kInternal,
                  "migration " + std::to_string(migration.version) + " failed: " + text);
    }
    auto insert = Prepare(
        "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?1, ?2, ?3)");
    if (!insert.ok()) return insert.error();
    insert.value().Int(1, migration.version).Text(2, migration.description).Int(3, Now());
    if (int step = insert.value().Step(); step != SQLITE_DONE) {
      return SqlError(step, "cannot record migration " + std::to_string(migration.version));
    }
    if (Status status = transaction.Commit(); !status.ok()) return status;
  }
  auto applied = current_version();
  if (!applied.ok()) return applied.error();
  schema_version_ = applied.value();

  // Versions must keep growing across restarts even if the wall clock went back.
  auto stmt = Prepare(
      "SELECT max(ifnull((SELECT max(version) FROM users), 0), "
      "ifnull((SELECT max(version) FROM permissions), 0), "
      "ifnull((SELECT max(version) FROM runtimes), 0))");
  if (!stmt.ok()) return stmt.error();
  int rc = stmt.value().Step();
  if (rc != SQLITE_ROW) return SqlError(rc, "cannot read the latest version");
  clock_->Advance(static_cast<std::uint64_t>(stmt.value().ColumnInt(0)));
  return {};
}

int SqliteStore::schema_version() const {
  std::lock_guard lock(mutex_);
  return schema_version_;
}

Result<SqliteStore::Statement> SqliteStore::Prepare(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return Statement(it->second);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqlError(rc, "cannot prepare a statement");
  statements_.emplace(sql, stmt);
  return Statement(stmt);
}

Status SqliteStore::Exec(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.error();
  int rc;
  while ((rc = stmt.value().Step()) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) return SqlError(rc, sql);
  return {};
}

Error SqliteStore::SqlError(int rc, std::string_view what) const {
  ErrorCode code = ErrorCode::kInternal;
  switch (rc & 0xFF) {
    case SQLITE_CONSTRAINT:
      code = (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
                 ? ErrorCode::kConflict
             : rc == SQLITE_CONSTRAINT_FOREIGNKEY ? ErrorCode::kNotFound
                                                  : ErrorCode::kInvalidArgument;
      break;
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      code = ErrorCode::kInvalidArgument;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
    case SQLITE_PERM:
    case SQLITE_NOTADB:
    case SQLITE_NOLFS:
      code = ErrorCode::kUnavailable;
      break;
    default:
      break;
  }
  // SQLite's messages name tables and columns, never bound values.
  std::string detail = sqlite3_errstr(rc);
  const char* message = sqlite3_errmsg(db_);
  if (message != nullptr && detail != message) detail += std::string(" (") + message + ")";
  return Error{code, std::string(what) + ": " + detail};
}

Version SqliteStore::NextVersion() {
  return Version{clock_->Tick(), options_.node_id};
}

Millis SqliteStore::Now() const {
  return options_.now();
}

// ---------------------------------------------------------------------------------------------
// Users.

namespace {

template <typename Stmt>
User ReadUser(const Stmt& stmt) {
  User user;
  user.id = stmt.ColumnText(0);
  user.name = stmt.ColumnText(1);
  user.fullname = stmt.ColumnText(2);
  user.email = stmt.ColumnText(3);
  user.mobile = stmt.ColumnText(4);
  user.department = stmt.ColumnText(5);
  user.password_hash = stmt.ColumnText(6);
  user.admin = stmt.ColumnInt(7) != 0;
  user.created = stmt.ColumnInt(8);
  user.version.hlc = static_cast<std::uint64_t>(stmt.ColumnInt(9));
  user.version.node_id = stmt.ColumnText(10);
  return user;
}

template <typename Stmt>
Permission ReadPermission(const Stmt& stmt) {
  Permission permission;
  permission.id = stmt.ColumnText(0);
  permission.user_id = stmt.ColumnText(1);
  if (!stmt.ColumnNull(2)) permission.runtime_id = stmt.ColumnText(2);
  permission.method = stmt.ColumnText(3);
  permission.url = stmt.ColumnText(4);
  permission.allowed = stmt.ColumnInt(5) != 0;
  permission.created = stmt.ColumnInt(6);
  permission.version.hlc = static_cast<std::uint64_t>(stmt.ColumnInt(7));
  permission.version.node_id = stmt.ColumnText(8);
  return permission;
}

template <typename Stmt>
Runtime ReadRuntime(const Stmt& stmt) {
  Runtime runtime;
  runtime.id = stmt.ColumnText(0);
  runtime.owner_id = stmt.ColumnText(1);
  runtime.owner_name = stmt.ColumnText(2);
  runtime.name = stmt.ColumnText(3);
  runtime.unique_name = stmt.ColumnText(4);
  runtime.definition = stmt.ColumnText(5);
  auto status = ParseRuntimeStatus(stmt.ColumnText(6));
  runtime.status = status.ok() ? status.value() : RuntimeStatus::kCreated;  // CHECK constraint
  if (!stmt.ColumnNull(7)) runtime.start_time = stmt.ColumnInt(7);
  runtime.created = stmt.ColumnInt(8);
  runtime.updated = stmt.ColumnInt(9);
  runtime.version.hlc = static_cast<std::uint64_t>(stmt.ColumnInt(10));
  runtime.version.node_id = stmt.ColumnText(11);
  return runtime;
}

// Runs a query and collects every row with `read`.
template <typename T, typename Stmt, typename Read>
Result<std::vector<T>> Collect(Stmt& stmt, Read read, const std::function<Error(int)>& error) {
  std::vector<T> rows;
  int rc;
  while ((rc = stmt.Step()) == SQLITE_ROW) rows.push_back(read(stmt));
  if (rc != SQLITE_DONE) return error(rc);
  return rows;
}

}  // namespace

Result<User> SqliteStore::CreateUser(User user) {
  if (Status status = ValidateUserName(user.name); !status.ok()) return status.error();
  std::lock_guard lock(mutex_);
  user.id = NewUuid();
  user.created = Now();
  user.version = NextVersion();
  auto stmt = Prepare("INSERT INTO users (" CORAL_USER_COLUMNS
                      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  if (!stmt.ok()) return stmt.error();
  stmt.value()
      .Text(1, user.id)
      .Text(2, user.name)
      .Text(3, user.fullname)
      .Text(4, user.email)
      .Text(5, user.mobile)
      .Text(6, user.department)
      .Text(7, user.password_hash)
      .Int(8, user.admin ? 1 : 0)
      .Int(9, user.created)
      .Int(10, static_cast<std::int64_t>(user.version.hlc))
      .Text(11, user.version.node_id);
  int rc = stmt.value().Step();
  if (rc != SQLITE_DONE) {
    Error error = SqlError(rc, "cannot create user " + Quoted(user.name));
    if (error.code == ErrorCode::kConflict) {
      error.message = "a user named " + Quoted(user.name) + " already exists";
    }
    return error;
  }
  return user;
}

Result<User> SqliteStore::GetUserLocked(std::string_view id) {
  auto stmt = Prepare("SELECT " CORAL_USER_COLUMNS " FROM users WHERE id = ?1 AND deleted = 0");
  if (!stmt.ok()) return stmt.error();
  stmt.value().Text(1, id);
  int rc = stmt.value().Step();
  if (rc == SQLITE_ROW) return ReadUser(stmt.value());
  if (rc == SQLITE_DONE) return Error{ErrorCode::kNotFound, "no user with id " + Quoted(id)};
  return SqlError(rc, "cannot read a user");
}

Result<User> SqliteStore::GetUser(std::string_view id) {
  std::lock_guard lock(mutex_);
  return GetUserLocked(id);
}

Result<User> SqliteStore::FindUserByName(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto stmt = Prepare("SELECT " CORAL_USER_COLUMNS " FROM users WHERE name = ?1 AND deleted = 0");
  if (!stmt.ok()) return stmt.error();
  stmt.value().Text(1, name);
  int rc = stmt.value().Step();
  if (rc == SQLITE_ROW) return ReadUser(stmt.value());
  if (rc == SQLITE_DONE) return Error{ErrorCode::kNotFound, "no user named " + Quoted(name)};
  return SqlError(rc, "cannot read a user");
}

Result<std::vector<User>> SqliteStore::ListUsers() {
  std::lock_guard lock(mutex_);
  auto stmt = Prepare("SELECT " CORAL_USER_COLUMNS " FROM users WHERE deleted = 0 ORDER BY name");
  if (!stmt.ok()) return stmt.error();
  return Collect<User>(
      stmt.value(), [](const Statement& s) { return ReadUser(s); },
      [this](int rc) { return SqlError(rc, "cannot list users"); });
}

Result<User> SqliteStore::UpdateUser(const User& user) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*this);
  if (Status status = transaction.Begin(); !status.ok()) return status.error();
  auto existing = GetUserLocked(user.id);
  if (!existing.ok()) return existing.error();
  if (existing.value().name != user.name) {
    return Error{ErrorCode::kInvalidArgument, "a user's name cannot be changed"};
  }
  User updated = user;
  updated.created = existing.value().created;
  updated.version = NextVersion();
  auto stmt = Prepare(
      "UPDATE users SET fullname = ?2, email = ?3, mobile = ?4, department = ?5, "
      "password_hash = ?6, admin = ?7, version = ?8, node_id = ?9 WHERE id = ?1 AND deleted = 0");
  if (!stmt.ok()) return stmt.error();
  stmt.value()
      .Text(1, updated.id)
      .Text(2, updated.fullname)
      .Text(3, updated.email)
      .Text(4, updated.mobile)
      .Text(5, updated.department)
      .Text(6, updated.password_hash)
      .Int(7, updated.admin ? 1 : 0)
      .Int(8, static_cast<std::int64_t>(updated.version.hlc))
      .Text(9, updated.version.node_id);
  if (int rc = stmt.value().Step(); rc != SQLITE_DONE) return SqlError(rc, "cannot update a user");
  if (Status status = transaction.Commit(); !status.ok()) return status.error();
  return updated;
}

Status SqliteStore::DeleteUser(std::string_view id) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*this);
  if (Status status = transaction.Begin(); !status.ok()) return status;
  const Version version = NextVersion();
  {
    auto stmt = Prepare(
        "UPDATE users SET deleted = 1, password_hash = '', version = ?2, node_id = ?3 "
        "WHERE id = ?1 AND deleted = 0");
    if (!stmt.ok()) return stmt.error();
    stmt.value()
        .Text(1, id)
        .Int(2, static_cast<std::int64_t>(version.hlc))
        .Text(3, version.node_id);
    if (int rc = stmt.value().Step(); rc != SQLITE_DONE) return SqlError(rc, "cannot delete");
    if (sqlite3_changes(db_) == 0)
      return Fail(ErrorCode::kNotFound, "no user with id " + Quoted(id));
  }
  auto stmt = Prepare(
      "UPDATE permissions SET deleted = 1, version = ?2, node_id = ?3 "
      "WHERE user_id = ?1 AND deleted = 0");
  if (!stmt.ok()) return stmt.error();
  stmt.value().Text(1, id).Int(2, static_cast<std::int64_t>(version.hlc)).Text(3, version.node_id);
  if (int rc = stmt.value().Step(); rc != SQLITE_DONE) return SqlError(rc, "cannot delete");
  return transaction.Commit();
}

// ---------------------------------------------------------------------------------------------
// Permissions.

Result<Permission> SqliteStore::AddPermission(Permission permission) {
  std::transform(permission.method.begin(), permission.method.end(), permission.method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (permission.method.empty() ||
      !std::all_of(permission.method.begin(), permission.method.end(),
                   [](char c) { return (c >= 'A' && c <= 'Z') || c == '*'; })) {
    return Error{ErrorCode::kInvalidArgument,
                 "a permission's method is an HTTP method (GET, POST, ...) or *"};
  }
  if (permission.url.empty() || (permission.url.front() != '/' && permission.url != "*")) {
    return Error{ErrorCode::kInvalidArgument,
                 "a permission's url is a path starting with / (a trailing * matches a prefix)"};
  }
  std::lock_guard lock(mutex_);
  Transaction transaction(*this);
  if (Status status = transaction.Begin(); !status.ok()) return status.error();
  if (auto user = GetUserLocked(permission.user_id); !user.ok()) {
    if (user.error().code != ErrorCode::kNotFound) return user.error();
    return Error{ErrorCode::kInvalidArgument,
                 "a permission for an unknown user " + Quoted(permission.user_id)};
  }
  if (permission.runtime_id) {
    if (auto runtime = GetRuntimeLocked(*permission.runtime_id); !runtime.ok()) {
      if (runtime.error().code != ErrorCode::kNotFound) return runtime.error();
      return Error{ErrorCode::kInvalidArgument,
                   "a permission for an unknown runtime " + Quoted(*permission.runtime_id)};
    }
  }
  permission.id = NewUuid();
  permission.created = Now();
  permission.version = NextVersion();
  auto stmt = Prepare("INSERT INTO permissions (" CORAL_PERMISSION_COLUMNS
                      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!stmt.ok()) return stmt.error();
  stmt.value()
      .Text(1, permission.id)
      .Text(2, permission.user_id)
      .OptionalText(3, permission.runtime_id)
      .Text(4, permission.method)
      .Text(5, permission.url)
      .Int(6, permission.allowed ? 1 : 0)
      .Int(7, permission.created)
      .Int(8, static_cast<std::int64_t>(permission.version.hlc))
      .Text(9, permission.version.node_id);
  if (int rc = stmt.value().Step(); rc != SQLITE_DONE) {
    Error error = SqlError(rc, "cannot add a permission");
    if (error.code == ErrorCode::kConflict) {
      error.message = "the user already has a permission for " + permission.method + " " +
                      Quoted(permission.url) + (permission.runtime_id ? " on this runtime" : "") +
                      "; change that one instead";
    }
    return error;
  }
  if (Status status = transaction.Commit(); !status.ok()) return status.error();
  return permission;
}

Result<Permission> SqliteStore::GetPermissionLocked(std::string_view id) {
  auto stmt =
      Prepare("SELECT " CORAL_PERMISSION_COLUMNS " FROM permissions WHERE id = ?1 AND deleted = 0");
  if (!stmt.ok()) return stmt.error();
  stmt.value().Text(1, id);
  int rc = stmt.value().Step();
  if (rc == SQLITE_ROW) return ReadPermission(stmt.value());
  if (rc == SQLITE_DONE) return Error{ErrorCode::kNotFound, "no permission with id " + Quoted(id)};
  return SqlError(rc, "cannot read a permission");
}

Result<Permission> SqliteStore::GetPermission(std::string_view id) {
  std::lock_guard lock(mutex_);
  return GetPermissionLocked(id);
}

Result<std::vector<Permission>> SqliteStore::ListPermissions(const PermissionFilter& filter) {
  std::lock_guard lock(mutex_);
  auto stmt = Prepare("SELECT " CORAL_PERMISSION_COLUMNS
                      " FROM permissions WHERE deleted = 0 AND (?1 IS NULL OR user_id = ?1) "
                      "AND (?2 IS NULL OR runtime_id = ?2) ORDER BY created, id");
  if (!stmt.ok()) return stmt.error();
  stmt.value().OptionalText(1, filter.user_id).OptionalText(2, filter.runtime_id);
  return Collect<Permission>(
      stmt.value(), [](const Statement& s) { return ReadPermission(s); },
      [this](int rc) { return SqlError(rc, "cannot list permissions"); });
}

Result<Permission> SqliteStore::SetPermissionAllowed(std::string_view id, bool allowed) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*this);
  if (Status status = transaction.Begin(); !status.ok()) return status.error();
  const Version version = NextVersion();
  auto stmt = Prepare(
      "UPDATE permissions SET allowed = ?2, version = ?3, node_id = ?4 "
      "WHERE id = ?1 AND deleted = 0");
  if (!stmt.ok()) return stmt.error();
  stmt.value()
      .Text(1, id)
      .Int(2, allowed ? 1 : 0)
      .Int(3, static_cast<std::int64_t>(version.hlc))
      .Text(4, version.node_id);
  if (int rc = stmt.value().Step(); rc != SQLITE_DONE) {
    return SqlError(rc, "cannot change a permission");
  }
  if (sqlite3_changes(db_) == 0) {
    return Error{ErrorCode::kNotFound, "no permission with id " + Quoted(id)};
  }
  auto permission = GetPermissionLocked(id);
  if (!permission.ok()) return permission.error();
  if (Status status = transaction.Commit(); !status.ok()) return status.error();
  return permission;
}

Status SqliteStore::DeletePermission(std::string_view id) {
  std::lock_guard lock(mutex_);
  const Version version = NextVersion();
  auto stmt = Prepare(
      "UPDATE permissions SET deleted = 1, version = ?2, node_id = ?3 "
      "WHERE id = ?1 AND deleted = 0");
  if (!stmt.ok()) return stmt.error();
  stmt.value().Text(1, id).Int(2, static_cast<std::int64_t>(version.hlc)).Text(3, version.node_id);
  if (int rc = stmt.value().Step(); rc != SQLITE_DONE) {
    return SqlError(rc, "cannot delete a permission");
  }
  if (sqlite3_changes(db_) == 0) {
    return Fail(ErrorCode::kNotFound, "no permission with id " + Quoted(id));
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Runtimes.

Result<Runtime> SqliteStore::CreateRuntime(Runtime runtime) {
  if (runtime.name.empty()) {
    return Error{ErrorCode::kInvalidArgument, "a runtime needs a name"};
  }
  std::lock_guard lock(mutex_);
  Transaction transaction(*this);
  if (Status status = transaction.Begin(); !status.ok()) return status.error();
  auto owner = GetUserLocked(runtime.owner_id);
  if (!owner.ok()) {
    if (owner.error().code != ErrorCode::kNotFound) return owner.error();
    return Error{ErrorCode::kInvalidArgument,
                 "a runtime's owner must be a user; no user with id " + Quoted(runtime.owner_id)};
  }
  runtime.id = NewUuid();
  runtime.owner_name = owner.value().name;
  runtime.unique_name = runtime.owner_name + "-" + runtime.name;
  runtime.status = RuntimeStatus::kCreated;
  runtime.start_time.reset();
  runtime.created = runtime.updated = Now();
  runtime.version = NextVersion();
  auto stmt = Prepare("INSERT INTO runtimes (" CORAL_RUNTIME_COLUMNS
                      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  if (!stmt.ok()) return stmt.error();
  stmt.value()
      .Text(1, runtime.id)
      .Text(2, runtime.owner_id)
      .Text(3, runtime.owner_name)
      .Text(4, runtime.name)
      .Text(5, runtime.unique_name)
      .Text(6, runtime.definition)
      .Text(7, ToString(runtime.status))
      .Null(8)
      .Int(9, runtime.created)
      .Int(10, runtime.updated)
      .Int(11, static_cast<std::int64_t>(runtime.version.hlc))
      .Text(12, runtime.version.node_id);
  if (int rc = stmt.value().Step(); rc != SQLITE_DONE) {
    Error error = SqlError(rc, "cannot create runtime " + Quoted(runtime.unique_name));
    if (error.code == ErrorCode::kConflict) {
      error.message = "a runtime named " + Quoted(runtime.unique_name) + " already exists";
    }
    return error;
  }
  if (Status status = transaction.Commit(); !status.ok()) return status.error();
  return runtime;
}

Result<Runtime> SqliteStore::GetRuntimeLocked(std::string_view id) {
  auto stmt =
      Prepare("SELECT " CORAL_RUNTIME_COLUMNS " FROM runtimes WHERE id = ?1 AND deleted = 0");
  if (!stmt.ok()) return stmt.error();
  stmt.value().Text(1, id);
  int rc = stmt.value().Step();
  if (rc == SQLITE_ROW) return ReadRuntime(stmt.value());
  if (rc == SQLITE_DONE) return Error{ErrorCode::kNotFound, "no runtime with id " + Quoted(id)};
  return SqlError(rc, "cannot read a runtime");
}

Result<Runtime> SqliteStore::GetRuntime(std::string_view id) {
  std::lock_guard lock(mutex_);
  return GetRuntimeLocked(id);
}

Result<Runtime> SqliteStore::FindRuntimeByUniqueName(std::string_view unique_name) {
  std::lock_guard lock(mutex_);
  auto stmt = Prepare("SELECT " CORAL_RUNTIME_COLUMNS
                      " FROM runtimes WHERE unique_name = ?1 AND deleted = 0");
  if (!stmt.ok()) return stmt.error();
  stmt.value().Text(1, unique_name);
  int rc = stmt.value().Step();
  if (rc == SQLITE_ROW) return ReadRuntime(stmt.value());
  if (rc == SQLITE_DONE) {
    return Error{ErrorCode::kNotFound, "no runtime named " + Quoted(unique_name)};
  }
  return SqlError(rc, "cannot read a runtime");
}

Result<std::vector<Runtime>> SqliteStore::ListRuntimes(std::optional<std::string_view> owner_id) {
  std::lock_guard lock(mutex_);
  auto stmt = Prepare("SELECT " CORAL_RUNTIME_COLUMNS
                      " FROM runtimes WHERE deleted = 0 AND (?1 IS NULL OR owner_id = ?1) "
                      "ORDER BY unique_name");
  if (!stmt.ok()) return stmt.error();
  if (owner_id) stmt.value().Text(1, *owner_id);
  return Collect<Runtime>(
      stmt.value(), [](const Statement& s) { return ReadRuntime(s); },
      [this](int rc) { return SqlError(rc, "cannot list runtimes"); });
}

Result<Runtime> SqliteStore::ReplaceRuntimeDefinition(std::string_view id,
                                                      std::string_view definition) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*this);
  if (Status status = transaction.Begin(); !status.ok()) return status.error();
  const Version version = NextVersion();
  auto stmt = Prepare(
      "UPDATE runtimes SET definition = ?2, updated = ?3, version = ?4, node_id = ?5 "
      "WHERE id = ?1 AND deleted = 0");
  if (!stmt.ok()) return stmt.error();
  stmt.value()
      .Text(1, id)
      .Text(2, definition)
      .Int(3, Now())
      .Int(4, static_cast<std::int64_t>(version.hlc))
      .Text(5, version.node_id);
  if (int rc = stmt.value().Step(); rc != SQLITE_DONE) {
    return SqlError(rc, "cannot replace a definition");
  }
  if (sqlite3_changes(db_) == 0) {
    return Error{ErrorCode::kNotFound, "no runtime with id " + Quoted(id)};
  }
  auto runtime = GetRuntimeLocked(id);
  if (!runtime.ok()) return runtime.error();
  if (Status status = transaction.Commit(); !status.ok()) return status.error();
  return runtime;
}

Result<Runtime> SqliteStore::SetRuntimeStatus(std::string_view id, RuntimeStatus status,
                                              std::optional<Millis> start_time) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*this);
  if (Status begun = transaction.Begin(); !begun.ok()) return begun.error();
  const Version version = NextVersion();
  auto stmt = Prepare(
      "UPDATE runtimes SET status = ?2, start_time = coalesce(?3, start_time), updated = ?4, "
      "version = ?5, node_id = ?6 WHERE id = ?1 AND deleted = 0");
  if (!stmt.ok()) return stmt.error();
  stmt.value()
      .Text(1, id)
      .Text(2, ToString(status))
      .OptionalInt(3, start_time)
      .Int(4, Now())
      .Int(5, static_cast<std::int64_t>(version.hlc))
      .Text(6, version.node_id);
  if (int rc = stmt.value().Step(); rc != SQLITE_DONE) {
    return SqlError(rc, "cannot change a runtime's status");
  }
  if (sqlite3_changes(db_) == 0) {
    return Error{ErrorCode::kNotFound, "no runtime with id " + Quoted(id)};
  }
  auto runtime = GetRuntimeLocked(id);
  if (!runtime.ok()) return runtime.error();
  if (Status committed = transaction.Commit(); !committed.ok()) return committed.error();
  return runtime;
}

Status SqliteStore::DeleteRuntime(std::string_view id) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*this);
  if (Status status = transaction.Begin(); !status.ok()) return status;
  const Version version = NextVersion();
  {
    auto stmt = Prepare(
        "UPDATE runtimes SET deleted = 1, version = ?2, node_id = ?3 "
        "WHERE id = ?1 AND deleted = 0");
    if (!stmt.ok()) return stmt.error();
    stmt.value()
        .Text(1, id)
        .Int(2, static_cast<std::int64_t>(version.hlc))
        .Text(3, version.node_id);
    if (int rc = stmt.value().Step(); rc != SQLITE_DONE) return SqlError(rc, "cannot delete");
    if (sqlite3_changes(db_) == 0) {
      return Fail(ErrorCode::kNotFound, "no runtime with id " + Quoted(id));
    }
  }
  {
    auto stmt = Prepare(
        "UPDATE permissions SET deleted = 1, version = ?2, node_id = ?3 "
        "WHERE runtime_id = ?1 AND deleted = 0");
    if (!stmt.ok()) return stmt.error();
    stmt.value()
        .Text(1, id)
        .Int(2, static_cast<std::int64_t>(version.hlc))
        .Text(3, version.node_id);
    if (int rc = stmt.value().Step(); rc != SQLITE_DONE) return SqlError(rc, "cannot delete");
  }
  for (std::string_view sql : {"DELETE FROM actor_snapshots WHERE runtime_id = ?1",
                               "DELETE FROM event_log WHERE runtime_id = ?1"}) {
    auto stmt = Prepare(sql);
    if (!stmt.ok()) return stmt.error();
    stmt.value().Text(1, id);
    if (int rc = stmt.value().Step(); rc != SQLITE_DONE) return SqlError(rc, "cannot delete");
  }
  return transaction.Commit();
}

// ---------------------------------------------------------------------------------------------
// Actor snapshots and the event log.

namespace {

// Distinct runtime ids of a batch, so each is checked (and trimmed) once.
template <typename Rows>
std::set<std::string_view> RuntimeIds(const Rows& rows) {
  std::set<std::string_view> ids;
  for (const auto& row : rows) ids.insert(row.runtime_id);
  return ids;
}

}  // namespace

Status SqliteStore::PutSnapshots(std::span<const ActorSnapshot> snapshots) {
  if (snapshots.empty()) return {};
  std::lock_guard lock(mutex_);
  Transaction transaction(*this);
  if (Status status = transaction.Begin(); !status.ok()) return status;
  for (std::string_view runtime_id : RuntimeIds(snapshots)) {
    if (auto runtime = GetRuntimeLocked(runtime_id); !runtime.ok()) return runtime.error();
  }
  const Millis now = Now();
  for (const ActorSnapshot& snapshot : snapshots) {
    auto stmt = Prepare(
        "INSERT INTO actor_snapshots (runtime_id, copy, actor, instance_key, state, taken_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (runtime_id, copy, actor, instance_key) "
        "DO UPDATE SET state = excluded.state, taken_at = excluded.taken_at");
    if (!stmt.ok()) return stmt.error();
    stmt.value()
        .Text(1, snapshot.runtime_id)
        .Int(2, snapshot.copy)
        .Text(3, snapshot.actor)
        .Text(4, snapshot.instance_key)
        .Text(5, snapshot.state)
        .Int(6, snapshot.taken_at != 0 ? snapshot.taken_at : now);
    if (int rc = stmt.value().Step(); rc != SQLITE_DONE) {
      return SqlError(rc, "cannot store a snapshot of actor " + Quoted(snapshot.actor));
    }
  }
  return transaction.Commit();
}

Result<std::vector<ActorSnapshot>> SqliteStore::GetSnapshots(std::string_view runtime_id) {
  std::lock_guard lock(mutex_);
  auto stmt = Prepare(
      "SELECT runtime_id, copy, actor, instance_key, state, taken_at FROM actor_snapshots "
      "WHERE runtime_id = ?1 ORDER BY copy, actor, instance_key");
  if (!stmt.ok()) return stmt.error();
  stmt.value().Text(1, runtime_id);
  return Collect<ActorSnapshot>(
      stmt.value(),
      [](const Statement& s) {
        return ActorSnapshot{s.ColumnText(0), static_cast<int>(s.ColumnInt(1)),
                             s.ColumnText(2), s.ColumnText(3),
                             s.ColumnText(4), s.ColumnInt(5)};
      },
      [this](int rc) { return SqlError(rc, "cannot read snapshots"); });
}

Status SqliteStore::DeleteSnapshots(std::string_view runtime_id) {
  std::lock_guard lock(mutex_);
  auto stmt = Prepare("DELETE FROM actor_snapshots WHERE runtime_id = ?1");
  if (!stmt.ok()) return stmt.error();
  stmt.value().Text(1, runtime_id);
  if (int rc = stmt.value().Step(); rc != SQLITE_DONE) {
    return SqlError(rc, "cannot delete snapshots");
  }
  return {};
}

Status SqliteStore::TrimEventLogLocked(std::string_view runtime_id) {
  auto stmt = Prepare(
      "DELETE FROM event_log WHERE runtime_id = ?1 AND seq <= (SELECT seq FROM event_log "
      "WHERE runtime_id = ?1 ORDER BY seq DESC LIMIT 1 OFFSET ?2)");
  if (!stmt.ok()) return stmt.error();
  stmt.value()
      .Text(1, runtime_id)
      .Int(2, static_cast<std::int64_t>(options_.event_log_rows_per_runtime));
  if (int rc = stmt.value().Step(); rc != SQLITE_DONE) {
    return SqlError(rc, "cannot trim the event log");
  }
  return {};
}

Status SqliteStore::AppendEvents(std::span<const LoggedEvent> events) {
  if (events.empty()) return {};
  std::lock_guard lock(mutex_);
  Transaction transaction(*this);
  if (Status status = transaction.Begin(); !status.ok()) return status;
  const auto runtime_ids = RuntimeIds(events);
  for (std::string_view runtime_id : runtime_ids) {
    if (auto runtime = GetRuntimeLocked(runtime_id); !runtime.ok()) return runtime.error();
  }
  const Millis now = Now();
  for (const LoggedEvent& event : events) {
    auto stmt = Prepare(
        "INSERT INTO event_log (runtime_id, copy, actor, direction, event, at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!stmt.ok()) return stmt.error();
    stmt.value()
        .Text(1, event.runtime_id)
        .Int(2, event.copy)
        .Text(3, event.actor)
        .Text(4, event.direction == Direction::kIn ? "in" : "out")
        .Text(5, event.event)
        .Int(6, event.at != 0 ? event.at : now);
    if (int rc = stmt.value().Step(); rc != SQLITE_DONE) {
      return SqlError(rc, "cannot append to the event log");
    }
  }
  for (std::string_view runtime_id : runtime_ids) {
    if (Status status = TrimEventLogLocked(runtime_id); !status.ok()) return status;
  }
  return transaction.Commit();
}

Result<std::vector<LoggedEvent>> SqliteStore::ReadEvents(std::string_view runtime_id,
                                                         std::int64_t after_seq,
                                                         std::size_t limit) {
  std::lock_guard lock(mutex_);
  auto stmt = Prepare(
      "SELECT seq, runtime_id, copy, actor, direction, event, at FROM event_log "
      "WHERE runtime_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
  if (!stmt.ok()) return stmt.error();
  stmt.value()
      .Text(1, runtime_id)
      .Int(2, after_seq)
      .Int(3, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
  return Collect<LoggedEvent>(
      stmt.value(),
      [](const Statement& s) {
        LoggedEvent event;
        event.seq = s.ColumnInt(0);
        event.runtime_id = s.ColumnText(1);
        event.copy = static_cast<int>(s.ColumnInt(2));
        event.actor = s.ColumnText(3);
        event.direction = s.ColumnText(4) == "out" ? Direction::kOut : Direction::kIn;
        event.event = s.ColumnText(5);
        event.at = s.ColumnInt(6);
        return event;
      },
      [this](int rc) { return SqlError(rc, "cannot read the event log"); });
}

}  // namespace coral::store
