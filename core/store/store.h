// The store: users, permissions, runtime definitions and status (replicated records, versioned,
// deleted as tombstones), actor snapshots and the event log (local). SqliteStore is the
// implementation (sqlite_store.h).
//
// Conventions, for every method (no default arguments: this is an interface):
// - Errors are values: kNotFound (no live record with that id/name), kConflict (a uniqueness rule:
//   user name, runtime unique name, duplicate permission), kInvalidArgument (a field the store
//   checks: user name, empty runtime name, unknown ids referenced by a new record...),
//   kUnavailable (the database cannot be read or written: disk, lock held too long), kInternal.
// - Tombstoned (deleted) records are invisible to every query.
// - Writes of replicated records set `version` (a fresh HLC tick and this node's id) and return
//   the record as stored.
//
// Thread-safety: every method may be called from any thread concurrently.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "store/records.h"

namespace coral::store {

struct PermissionFilter {
  std::optional<std::string> user_id;     // only this user's permissions
  std::optional<std::string> runtime_id;  // only those scoped to this runtime
};

class Store {
 public:
  virtual ~Store() = default;

  // --- Users.
  // Assigns id and created (the given values are ignored). kInvalidArgument for an invalid name,
  // kConflict when a live user has the name.
  virtual Result<User> CreateUser(User user) = 0;
  virtual Result<User> GetUser(std::string_view id) = 0;
  virtual Result<User> FindUserByName(std::string_view name) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;  // by name
  // Replaces the profile fields, password_hash and admin of the live user `user.id`; the name and
  // created cannot change (kInvalidArgument if `user.name` differs).
  virtual Result<User> UpdateUser(const User& user) = 0;
  // Tombstones the user (clearing its password hash) and its permissions. Its runtimes are left
  // alone: what happens to them is the caller's decision.
  virtual Status DeleteUser(std::string_view id) = 0;

  // --- Permissions.
  // Assigns id and created. kInvalidArgument when the user (or the runtime, if given) is not a
  // live record, the method or url is empty; kConflict when a live permission has the same user,
  // runtime, method and url (change its `allowed` instead). The method is stored in upper case.
  virtual Result<Permission> AddPermission(Permission permission) = 0;
  virtual Result<Permission> GetPermission(std::string_view id) = 0;
  virtual Result<std::vector<Permission>> ListPermissions(const PermissionFilter& filter) = 0;
  virtual Result<Permission> SetPermissionAllowed(std::string_view id, bool allowed) = 0;
  virtual Status DeletePermission(std::string_view id) = 0;

  // --- Runtimes.
  // Needs owner_id, owner_name, name and definition; assigns id, unique_name
  // ("<owner_name>-<name>"), status created, created and updated. kConflict when a live runtime
  // has the unique name (which also catches "a-b" + "c" against "a" + "b-c").
  virtual Result<Runtime> CreateRuntime(Runtime runtime) = 0;
  virtual Result<Runtime> GetRuntime(std::string_view id) = 0;
  virtual Result<Runtime> FindRuntimeByUniqueName(std::string_view unique_name) = 0;
  // All live runtimes, or only those of one owner; by unique name.
  virtual Result<std::vector<Runtime>> ListRuntimes(std::optional<std::string_view> owner_id) = 0;
  virtual Result<Runtime> ReplaceRuntimeDefinition(std::string_view id,
                                                   std::string_view definition) = 0;
  // Sets the status; `start_time` replaces the stored one when given.
  virtual Result<Runtime> SetRuntimeStatus(std::string_view id, RuntimeStatus status,
                                           std::optional<Millis> start_time) = 0;
  // Tombstones the runtime and the permissions scoped to it, and drops its snapshots and event
  // log, in one transaction.
  virtual Status DeleteRuntime(std::string_view id) = 0;

  // --- Actor snapshots (local). One row per (runtime, copy, actor, instance_key): a put replaces.
  // All in one transaction: either every snapshot is stored or none. kNotFound when a runtime id
  // is unknown.
  virtual Status PutSnapshots(std::span<const ActorSnapshot> snapshots) = 0;
  // Every snapshot of the runtime, by copy, actor, instance key.
  virtual Result<std::vector<ActorSnapshot>> GetSnapshots(std::string_view runtime_id) = 0;
  virtual Status DeleteSnapshots(std::string_view runtime_id) = 0;

  // --- Event log (local). Appends in one transaction (assigning seq) and then keeps only the
  // newest `event_log_rows_per_runtime` rows of each runtime appended to (StoreOptions).
  virtual Status AppendEvents(std::span<const LoggedEvent> events) = 0;
  // The runtime's events with seq > after_seq (0: from the start), oldest first, at most `limit`.
  virtual Result<std::vector<LoggedEvent>> ReadEvents(std::string_view runtime_id,
                                                      std::int64_t after_seq,
                                                      std::size_t limit) = 0;
};

}  // namespace coral::store
