#include "store/migrations.h"

namespace coral::store {
namespace {

// Replicated tables (users, permissions, runtimes) carry version/node_id/deleted and have no
// foreign keys between them: replication may deliver a permission before its user. Uniqueness
// holds among live rows only (partial indexes), so a tombstone does not block a name.
// Local tables (actor_snapshots, event_log) reference runtimes with ON DELETE CASCADE.
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE users (
  id            TEXT PRIMARY KEY NOT NULL,
  name          TEXT NOT NULL,
  fullname      TEXT NOT NULL DEFAULT '',
  email         TEXT NOT NULL DEFAULT '',
  mobile        TEXT NOT NULL DEFAULT '',
  department    TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL DEFAULT '',
  admin         INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1)),
  created       INTEGER NOT NULL,
  version       INTEGER NOT NULL,
  node_id       TEXT NOT NULL,
  deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) STRICT;
CREATE UNIQUE INDEX users_live_name ON users (name) WHERE deleted = 0;

CREATE TABLE permissions (
  id         TEXT PRIMARY KEY NOT NULL,
  user_id    TEXT NOT NULL,
  runtime_id TEXT,
  method     TEXT NOT NULL,
  url        TEXT NOT NULL,
  allowed    INTEGER NOT NULL CHECK (allowed IN (0, 1)),
  created    INTEGER NOT NULL,
  version    INTEGER NOT NULL,
  node_id    TEXT NOT NULL,
  deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) STRICT;
CREATE UNIQUE INDEX permissions_live_rule
  ON permissions (user_id, ifnull(runtime_id, ''), method, url) WHERE deleted = 0;
CREATE INDEX permissions_live_runtime ON permissions (runtime_id) WHERE deleted = 0;

CREATE TABLE runtimes (
  id          TEXT PRIMARY KEY NOT NULL,
  owner_id    TEXT NOT NULL,
  owner_name  TEXT NOT NULL,
  name        TEXT NOT NULL,
  unique_name TEXT NOT NULL,
  definition  TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('created', 'running', 'stopped')),
  start_time  INTEGER,
  created     INTEGER NOT NULL,
  updated     INTEGER NOT NULL,
  version     INTEGER NOT NULL,
  node_id     TEXT NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) STRICT;
CREATE UNIQUE INDEX runtimes_live_unique_name ON runtimes (unique_name) WHERE deleted = 0;
CREATE INDEX runtimes_live_owner ON runtimes (owner_id) WHERE deleted = 0;

CREATE TABLE actor_snapshots (
  runtime_id   TEXT NOT NULL REFERENCES runtimes (id) ON DELETE CASCADE,
  copy         INTEGER NOT NULL,
  actor        TEXT NOT NULL,
  instance_key TEXT NOT NULL DEFAULT '',
  state        TEXT NOT NULL,
  taken_at     INTEGER NOT NULL,
  PRIMARY KEY (runtime_id, copy, actor, instance_key)
) STRICT, WITHOUT ROWID;

CREATE TABLE event_log (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  runtime_id TEXT NOT NULL REFERENCES runtimes (id) ON DELETE CASCADE,
  copy       INTEGER NOT NULL,
  actor      TEXT NOT NULL,
  direction  TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  event      TEXT NOT NULL,
  at         INTEGER NOT NULL
) STRICT;
CREATE INDEX event_log_runtime ON event_log (runtime_id, seq);
)sql";

constexpr Migration kMigrations[] = {
    {1, "users, permissions, runtimes, actor snapshots, event log", kInitialSchema},
};

}  // namespace

std::span<const Migration> Migrations() {
  return kMigrations;
}

}  // namespace coral::store
