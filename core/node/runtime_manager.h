// The runtimes of this node: definitions and status kept in the store, running copies on one
// Engine. A runtime with `distribution.copies: n` runs n RuntimeCopy objects here, named
// `<name>.1` ... `<name>.n` (all local until the cluster places them).
//
// Lifecycle: Create/Put store a definition (status created); Start builds the copies (putting
// back the actors' last snapshot) and runs them; Stop drains them (log files flushed) and
// snapshots every actor instance's State() into the store. Put of a changed definition restarts a
// running runtime with the new definition, keeping the state of actors whose type, params, group,
// collect and state did not change. Load (at daemon start) restarts every runtime whose stored
// status is running; Shutdown stops them all, snapshots, and leaves their status running.
//
// Errors are values (common/error.h): kNotFound, kConflict, kInvalidDefinition (a `log` file
// outside the allowed directories), kUnavailable (store), kInternal.
//
// Thread-safety: every method may be called from any thread. Lifecycle operations on one runtime
// are serialised; reads (Find, List, stats of a view) take no lifecycle lock.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/error.h"
#include "definition/model.h"
#include "engine/engine.h"
#include "engine/runtime_copy.h"
#include "node/log_paths.h"
#include "store/store.h"

namespace coral::node {

// The copies of one run of a runtime. Kept after Stop (stopped copies still answer stats and
// state) until the next Start, a replace or a delete.
struct RuntimeCopies {
  std::vector<std::unique_ptr<engine::RuntimeCopy>> copies;  // copy k at index k-1
  mutable std::atomic<std::uint64_t> next{0};                // round-robin for injected events
  engine::RuntimeCopy& Next() const { return *copies[next++ % copies.size()]; }
};

// A consistent picture of one runtime at one moment.
struct RuntimeView {
  store::Runtime record;
  std::shared_ptr<const definition::RuntimeDefinition> definition;
  std::shared_ptr<const RuntimeCopies> copies;  // nullptr when it has not run since load
  bool running() const { return record.status == store::RuntimeStatus::kRunning; }
};

struct Owner {
  std::string user_id;
  std::string name;
};

enum class PutOutcome { kCreated, kUnchanged, kReplaced };
std::string_view ToString(PutOutcome outcome);  // "created", "unchanged", "replaced"

struct ManagerOptions {
  std::int64_t queue_budget = 32768;  // per copy
};

class RuntimeManager {
 public:
  RuntimeManager(engine::Engine& engine, store::Store& store, LogPaths log_paths,
                 ManagerOptions options = {});
  // REQUIRES: Shutdown() was called (or nothing was ever started).
  ~RuntimeManager();
  RuntimeManager(const RuntimeManager&) = delete;
  RuntimeManager& operator=(const RuntimeManager&) = delete;

  // Reads every runtime from the store and starts those whose status is running, with their
  // snapshots. A runtime that cannot start is logged and left stopped; only a store failure is
  // an error.
  Status Load();
  // Stops every running runtime and snapshots it, leaving its stored status running.
  void Shutdown();
  // Snapshots every running runtime into the store (periodic; also from Stop and Shutdown).
  void SnapshotAll();
  // Calls SnapshotAll every `interval` on a thread of its own until Shutdown.
  void StartPeriodicSnapshots(std::chrono::seconds interval);

  // `id`: the caller's runtime name, `<owner>-<name>`, or the UUID. With `copy`, also
  // `<name>.<k>` (and `*copy` is set to k, else to 0).
  Result<RuntimeView> Find(std::string_view id, const std::string& caller_name,
                           int* copy = nullptr) const;
  std::vector<RuntimeView> List() const;  // by unique name

  // REQUIRES: `definition` validated. kConflict when the owner has a runtime of that name.
  Result<RuntimeView> Create(const Owner& owner,
                             std::shared_ptr<const definition::RuntimeDefinition> definition);
  // Create, or replace `existing` (see above).
  Result<std::pair<PutOutcome, RuntimeView>> Put(
      const Owner& owner, const std::optional<RuntimeView>& existing,
      std::shared_ptr<const definition::RuntimeDefinition> definition);
  Result<RuntimeView> Start(const std::string& runtime_id);
  Result<RuntimeView> Stop(const std::string& runtime_id);
  Status Delete(const std::string& runtime_id);

  struct Totals {
    int runtimes = 0;
    int running = 0;
    int actors = 0;  // actors of running runtimes, times their copies
  };
  Totals totals() const;

 private:
  struct Entry;
  std::shared_ptr<Entry> Lookup(const std::string& runtime_id) const;
  RuntimeView ViewOf(const Entry& entry) const;
  Status CheckDefinition(const definition::RuntimeDefinition& definition,
                         const std::string& unique_name) const;
  // REQUIRES: entry.lifecycle held.
  Status StartLocked(Entry& entry);
  void StopLocked(Entry& entry, bool keep_running_status);
  void SnapshotLocked(Entry& entry);

  engine::Engine& engine_;
  store::Store& store_;
  const LogPaths log_paths_;
  const ManagerOptions options_;

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Entry>> by_id_;   // guarded by mutex_
  std::unordered_map<std::string, std::string> id_by_unique_name_;  // guarded by mutex_

  std::mutex snapshot_mutex_;
  std::condition_variable snapshot_wake_;
  bool shutting_down_ = false;  // guarded by snapshot_mutex_
  std::thread snapshotter_;
};

}  // namespace coral::node
