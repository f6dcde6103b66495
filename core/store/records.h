// The records the store keeps. Users, permissions and runtimes are replicated records: each
// carries the version (a hybrid logical clock timestamp) and the node that last wrote it; a
// delete leaves a tombstone that every query skips. Actor snapshots and the event log are local
// to the node that runs the runtime.
//
// Times are milliseconds since the Unix epoch. Strings are UTF-8.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace coral::store {

using Millis = std::int64_t;

// Who wrote a replicated record last, and when (HLC timestamp). Set by the store on every write.
struct Version {
  std::uint64_t hlc = 0;
  std::string node_id;
};

struct User {
  std::string id;    // UUID, assigned by CreateUser
  std::string name;  // unique among live users; see ValidateUserName; cannot be changed
  std::string fullname;
  std::string email;
  std::string mobile;
  std::string department;
  // An argon2id string from security::HashPassword; empty for a user without a password (an
  // LDAP user), who can never log in with auth mode `coral`. Never log it.
  std::string password_hash;
  bool admin = false;
  Millis created = 0;
  Version version;
};

// Allows or denies `method` on `url` to a user. `runtime_id` scopes it to one runtime; without it
// it is platform-wide. See security/access_policy.h for how it is matched.
struct Permission {
  std::string id;  // UUID, assigned by AddPermission
  std::string user_id;
  std::optional<std::string> runtime_id;
  std::string method;  // an HTTP method in upper case, or "*"
  std::string url;     // a path, exact or ending in "*" (a prefix)
  bool allowed = true;
  Millis created = 0;
  Version version;
};

enum class RuntimeStatus { kCreated, kRunning, kStopped };
std::string_view ToString(RuntimeStatus status);
Result<RuntimeStatus> ParseRuntimeStatus(std::string_view text);

struct Runtime {
  std::string id;  // UUID, assigned by CreateRuntime
  std::string owner_id;
  std::string owner_name;
  std::string name;
  std::string unique_name;  // "<owner_name>-<name>", set by the store; unique among live runtimes
  std::string definition;   // JSON text
  RuntimeStatus status = RuntimeStatus::kCreated;
  std::optional<Millis> start_time;  // when it was last started
  Millis created = 0;
  Millis updated = 0;
  Version version;
};

// The state of one actor instance of one copy of a runtime. `instance_key` is the group.by
// value of a grouped actor's instance, "" otherwise.
struct ActorSnapshot {
  std::string runtime_id;
  int copy = 0;
  std::string actor;
  std::string instance_key;
  std::string state;  // JSON text
  Millis taken_at = 0;
};

enum class Direction { kIn, kOut };

struct LoggedEvent {
  std::int64_t seq = 0;  // assigned by AppendEvents, increasing over the whole log
  std::string runtime_id;
  int copy = 0;
  std::string actor;
  Direction direction = Direction::kIn;
  std::string event;  // JSON text
  Millis at = 0;
};

// User names: 1 to 64 characters of [A-Za-z0-9._@-], starting with a letter or digit (they end
// up in runtime names, URLs, LDAP DNs and log lines). kInvalidArgument with the reason otherwise.
Status ValidateUserName(std::string_view name);

}  // namespace coral::store
