#include "node/runtime_manager.h"

#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>

#include "common/log.h"
#include "definition/validator.h"

namespace coral::node {
namespace {

using definition::RuntimeDefinition;

store::Millis NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Field order does not make two definitions different.
nlohmann::json Canonical(const Json& value) {
  return nlohmann::json::parse(value.dump());
}

// Names of the actors present in both definitions with the same type, params, group, collect
// and state: their snapshots survive a replace.
std::set<std::string> KeptActors(const Json& before, const Json& after) {
  auto by_name = [](const Json& source) {
    std::unordered_map<std::string, nlohmann::json> out;
    if (!source.contains("actors") || !source["actors"].is_array()) return out;
    for (const Json& actor : source["actors"]) {
      if (!actor.is_object() || !actor.contains("name") || !actor["name"].is_string()) continue;
      nlohmann::json key = nlohmann::json::object();
      for (const char* field : {"type", "params", "group", "collect", "state"}) {
        key[field] = actor.contains(field) ? Canonical(actor[field]) : nlohmann::json();
      }
      out.emplace(actor["name"].get<std::string>(), std::move(key));
    }
    return out;
  };
  auto old_actors = by_name(before);
  std::set<std::string> kept;
  for (const auto& [name, key] : by_name(after)) {
    auto found = old_actors.find(name);
    if (found != old_actors.end() && found->second == key) kept.insert(name);
  }
  return kept;
}

// Ungrouped instances are keyed "#<actor copy>"; a group key is JSON text, never starting so.
std::vector<store::ActorSnapshot> ToRows(const std::string& runtime_id, int copy,
                                         const Json& snapshot) {
  std::vector<store::ActorSnapshot> rows;
  store::Millis now = NowMillis();
  for (const Json& entry : snapshot) {
    store::ActorSnapshot row;
    row.runtime_id = runtime_id;
    row.copy = copy;
    row.actor = entry["actor"].get<std::string>();
    row.instance_key = entry.contains("key") ? entry["key"].get<std::string>()
                                             : fmt::format("#{}", entry.value("copy", 1));
    row.state = entry["state"].dump();
    row.taken_at = now;
    rows.push_back(std::move(row));
  }
  return rows;
}

Json FromRows(const std::vector<store::ActorSnapshot>& rows, int copy) {
  Json snapshot = Json::array();
  for (const auto& row : rows) {
    if (row.copy != copy) continue;
    Json state = Json::parse(row.state, nullptr, /*allow_exceptions=*/false);
    if (state.is_discarded()) continue;
    Json entry = {{"actor", row.actor}};
    if (!row.instance_key.empty() && row.instance_key[0] == '#') {
      int actor_copy = 1;
      std::from_chars(row.instance_key.data() + 1,
                      row.instance_key.data() + row.instance_key.size(), actor_copy);
      entry["copy"] = actor_copy;
    } else {
      entry["key"] = row.instance_key;
    }
    entry["state"] = std::move(state);
    snapshot.push_back(std::move(entry));
  }
  return snapshot;
}

Error NotFound(std::string_view id) {
  return Error{ErrorCode::kNotFound, fmt::format("no runtime is named `{}`", id)};
}

}  // namespace

std::string_view ToString(PutOutcome outcome) {
  switch (outcome) {
    case PutOutcome::kCreated:
      return "created";
    case PutOutcome::kUnchanged:
      return "unchanged";
    case PutOutcome::kReplaced:
      return "replaced";
  }
  return "?";
}

namespace {

std::shared_ptr<const store::Runtime> WithStatus(store::Runtime record,
                                                 store::RuntimeStatus status) {
  record.status = status;
  return std::make_shared<const store::Runtime>(std::move(record));
}

}  // namespace

struct RuntimeManager::Entry {
  std::mutex lifecycle;  // held for a whole start, stop, replace or delete
  mutable std::mutex data;
  // Replaced, never changed in place, so that readers copy a pointer under `data` (the API reads
  // it on every request; copying the record itself under the lock made requests queue).
  std::shared_ptr<const store::Runtime> record;         // guarded by data
  std::shared_ptr<const RuntimeDefinition> definition;  // guarded by data
  std::shared_ptr<RuntimeCopies> copies;                // guarded by data
  bool deleted = false;                                 // guarded by lifecycle
};

RuntimeManager::RuntimeManager(engine::Engine& engine, store::Store& store, LogPaths log_paths,
                               ManagerOptions options)
    : engine_(engine),
      store_(store),
      log_paths_(std::move(log_paths)),
      options_(std::move(options)) {}

RuntimeManager::~RuntimeManager() {
  {
    std::lock_guard lock(snapshot_mutex_);
    shutting_down_ = true;
  }
  snapshot_wake_.notify_all();
  if (snapshotter_.joinable()) snapshotter_.join();
}

RuntimeView RuntimeManager::ViewOf(const Entry& entry) const {
  std::shared_ptr<const store::Runtime> record;
  RuntimeView view;
  {
    std::lock_guard lock(entry.data);
    record = entry.record;
    view.definition = entry.definition;
    view.copies = entry.copies;
  }
  view.record = *record;
  return view;
}

std::shared_ptr<RuntimeManager::Entry> RuntimeManager::Lookup(const std::string& runtime_id) const {
  std::shared_lock lock(mutex_);
  auto found = by_id_.find(runtime_id);
  return found == by_id_.end() ? nullptr : found->second;
}

Status RuntimeManager::Load() {
  auto runtimes = store_.ListRuntimes(std::nullopt);
  if (!runtimes.ok()) return runtimes.error();
  int restarted = 0;
  for (store::Runtime& record : runtimes.value()) {
    definition::Validation validation = definition::ValidateText(record.definition);
    if (!validation.definition) {
      log::Error("runtime {}: its stored definition no longer validates; skipped",
                 record.unique_name);
      continue;
    }
    auto entry = std::make_shared<Entry>();
    entry->definition = validation.definition;
    entry->record = std::make_shared<const store::Runtime>(std::move(record));
    {
      std::unique_lock lock(mutex_);
      id_by_unique_name_[entry->record->unique_name] = entry->record->id;
      by_id_[entry->record->id] = entry;
    }
    if (entry->record->status != store::RuntimeStatus::kRunning) continue;
    std::lock_guard lifecycle(entry->lifecycle);
    Status started = StartLocked(*entry);
    if (started.ok()) {
      ++restarted;
    } else {
      log::Error("runtime {}: cannot restart it: {}", entry->record->unique_name,
                 started.error().message);
      auto stopped =
          store_.SetRuntimeStatus(entry->record->id, store::RuntimeStatus::kStopped, std::nullopt);
      if (stopped.ok()) {
        std::lock_guard lock(entry->data);
        entry->record = std::make_shared<const store::Runtime>(stopped.value());
      }
    }
  }
  log::Info("{} runtimes loaded, {} restarted with their state", by_id_.size(), restarted);
  return {};
}

Status RuntimeManager::CheckDefinition(const RuntimeDefinition& definition,
                                       const std::string& unique_name) const {
  return log_paths_.Check(definition, unique_name);
}

Status RuntimeManager::StartLocked(Entry& entry) {
  store::Runtime record;
  std::shared_ptr<const RuntimeDefinition> definition;
  {
    std::lock_guard lock(entry.data);
    record = *entry.record;
    definition = entry.definition;
  }
  auto for_engine = log_paths_.ForEngine(definition);
  if (!for_engine.ok()) return for_engine.error();
  std::vector<store::ActorSnapshot> rows;
  if (auto snapshots = store_.GetSnapshots(record.id); snapshots.ok()) {
    rows = std::move(snapshots.value());
  } else {
    log::Warn("runtime {}: cannot read its snapshots ({}); starting with empty state",
              record.unique_name, snapshots.error().message);
  }
  auto copies = std::make_shared<RuntimeCopies>();
  int count = std::max(1, definition->distribution.copies);
  for (int k = 1; k <= count; ++k) {
    engine::RuntimeCopyOptions options;
    options.runtime_name = record.unique_name;
    options.copy = k;
    options.queue_budget = options_.queue_budget;
    options.resolve_log_file = [paths = log_paths_, unique = record.unique_name](
                                   std::string_view file) { return paths.Resolve(unique, file); };
    auto made = engine::RuntimeCopy::Create(engine_, for_engine.value(), std::move(options));
    if (!made.ok()) return made.error();
    Status restored = made.value()->RestoreStates(FromRows(rows, k));
    if (!restored.ok()) {
      log::Warn("runtime {} copy {}: state not restored: {}", record.unique_name, k,
                restored.error().message);
    }
    copies->copies.push_back(std::move(made).value());
  }
  for (auto& copy : copies->copies) {
    Status started = copy->Start();
    if (!started.ok()) {
      for (auto& other : copies->copies) other->Stop();
      return started;
    }
  }
  auto stored = store_.SetRuntimeStatus(record.id, store::RuntimeStatus::kRunning, NowMillis());
  if (!stored.ok()) {
    for (auto& copy : copies->copies) copy->Stop();
    return stored.error();
  }
  std::lock_guard lock(entry.data);
  entry.record = std::make_shared<const store::Runtime>(stored.value());
  entry.copies = std::move(copies);
  log::Info("runtime {} started ({} copies)", record.unique_name, count);
  return {};
}

void RuntimeManager::SnapshotLocked(Entry& entry) {
  std::shared_ptr<RuntimeCopies> copies;
  std::string id, name;
  {
    std::lock_guard lock(entry.data);
    copies = entry.copies;
    id = entry.record->id;
    name = entry.record->unique_name;
  }
  if (!copies) return;
  std::vector<store::ActorSnapshot> rows;
  for (std::size_t i = 0; i < copies->copies.size(); ++i) {
    auto part = ToRows(id, static_cast<int>(i + 1), copies->copies[i]->SnapshotStates());
    std::move(part.begin(), part.end(), std::back_inserter(rows));
  }
  if (rows.empty()) return;
  Status put = store_.PutSnapshots(rows);
  if (!put.ok()) log::Error("runtime {}: snapshot not stored: {}", name, put.error().message);
}

void RuntimeManager::StopLocked(Entry& entry, bool keep_running_status) {
  std::shared_ptr<RuntimeCopies> copies;
  bool running;
  {
    std::lock_guard lock(entry.data);
    copies = entry.copies;
    running = entry.record->status == store::RuntimeStatus::kRunning;
  }
  if (copies && running) {
    for (auto& copy : copies->copies) copy->Stop();  // drains; log actors flush
    SnapshotLocked(entry);
  }
  if (keep_running_status || !running) return;
  auto stored =
      store_.SetRuntimeStatus(entry.record->id, store::RuntimeStatus::kStopped, std::nullopt);
  std::lock_guard lock(entry.data);
  if (stored.ok())
    entry.record = std::make_shared<const store::Runtime>(stored.value());
  else
    entry.record = WithStatus(*entry.record, store::RuntimeStatus::kStopped);
  log::Info("runtime {} stopped", entry.record->unique_name);
}

void RuntimeManager::Shutdown() {
  {
    std::lock_guard lock(snapshot_mutex_);
    shutting_down_ = true;
  }
  snapshot_wake_.notify_all();
  if (snapshotter_.joinable()) snapshotter_.join();
  std::vector<std::shared_ptr<Entry>> entries;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [id, entry] : by_id_) entries.push_back(entry);
  }
  for (const auto& entry : entries) {
    std::lock_guard lifecycle(entry->lifecycle);
    StopLocked(*entry, /*keep_running_status=*/true);
    std::lock_guard lock(entry->data);
    entry->copies.reset();
  }
}

void RuntimeManager::SnapshotAll() {
  std::vector<std::shared_ptr<Entry>> entries;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [id, entry] : by_id_) entries.push_back(entry);
  }
  for (const auto& entry : entries) {
    std::lock_guard lifecycle(entry->lifecycle);
    if (entry->deleted) continue;
    bool running;
    {
      std::lock_guard lock(entry->data);
      running = entry->record->status == store::RuntimeStatus::kRunning && entry->copies;
    }
    if (running) SnapshotLocked(*entry);
  }
}

void RuntimeManager::StartPeriodicSnapshots(std::chrono::seconds interval) {
  snapshotter_ = std::thread([this, interval] {
    std::unique_lock lock(snapshot_mutex_);
    while (!snapshot_wake_.wait_for(lock, interval, [&] { return shutting_down_; })) {
      lock.unlock();
      SnapshotAll();
      lock.lock();
    }
  });
}

Result<RuntimeView> RuntimeManager::Find(std::string_view id, const std::string& caller_name,
                                         int* copy) const {
  if (copy) *copy = 0;
  {
    std::shared_lock lock(mutex_);
    auto by_id = by_id_.find(std::string(id));
    if (by_id != by_id_.end()) return ViewOf(*by_id->second);
    for (const std::string& unique : {caller_name + "-" + std::string(id), std::string(id)}) {
      auto found = id_by_unique_name_.find(unique);
      if (found == id_by_unique_name_.end()) continue;
      auto entry = by_id_.find(found->second);
      if (entry != by_id_.end()) return ViewOf(*entry->second);
    }
  }
  std::size_t dot = id.rfind('.');
  if (!copy || dot == std::string_view::npos || dot + 1 == id.size()) return NotFound(id);
  int k = 0;
  auto [end, ec] = std::from_chars(id.data() + dot + 1, id.data() + id.size(), k);
  if (ec != std::errc() || end != id.data() + id.size()) return NotFound(id);
  auto base = Find(id.substr(0, dot), caller_name, nullptr);
  if (!base.ok()) return base;
  int copies = std::max(1, base.value().definition->distribution.copies);
  if (k < 1 || k > copies) {
    return Error{ErrorCode::kNotFound,
                 fmt::format("runtime `{}` has copies 1 to {}; there is no copy {}",
                             id.substr(0, dot), copies, k)};
  }
  *copy = k;
  return base;
}

std::vector<RuntimeView> RuntimeManager::List() const {
  std::vector<RuntimeView> views;
  {
    std::shared_lock lock(mutex_);
    views.reserve(by_id_.size());
    for (const auto& [id, entry] : by_id_) views.push_back(ViewOf(*entry));
  }
  std::sort(views.begin(), views.end(), [](const RuntimeView& a, const RuntimeView& b) {
    return a.record.unique_name < b.record.unique_name;
  });
  return views;
}

Result<RuntimeView> RuntimeManager::Create(const Owner& owner,
                                           std::shared_ptr<const RuntimeDefinition> definition) {
  std::string unique = owner.name + "-" + definition->name;
  Status checked = CheckDefinition(*definition, unique);
  if (!checked.ok()) return checked.error();
  store::Runtime record;
  record.owner_id = owner.user_id;
  record.owner_name = owner.name;
  record.name = definition->name;
  record.definition = definition->source.dump();
  auto created = store_.CreateRuntime(std::move(record));
  if (!created.ok()) return created.error();
  auto entry = std::make_shared<Entry>();
  entry->record = std::make_shared<const store::Runtime>(std::move(created).value());
  entry->definition = std::move(definition);
  {
    std::unique_lock lock(mutex_);
    id_by_unique_name_[entry->record->unique_name] = entry->record->id;
    by_id_[entry->record->id] = entry;
  }
  log::Info("runtime {} created", entry->record->unique_name);
  return ViewOf(*entry);
}

Result<std::pair<PutOutcome, RuntimeView>> RuntimeManager::Put(
    const Owner& owner, const std::optional<RuntimeView>& existing,
    std::shared_ptr<const RuntimeDefinition> definition) {
  if (!existing) {
    auto created = Create(owner, std::move(definition));
    if (!created.ok()) return created.error();
    return std::pair{PutOutcome::kCreated, std::move(created).value()};
  }
  std::shared_ptr<Entry> entry = Lookup(existing->record.id);
  if (!entry) return NotFound(existing->record.unique_name);
  std::lock_guard lifecycle(entry->lifecycle);
  if (entry->deleted) return NotFound(existing->record.unique_name);
  RuntimeView current = ViewOf(*entry);
  if (definition->name != current.record.name) {
    return Error{ErrorCode::kInvalidArgument,
                 fmt::format("the definition is named `{}` but the runtime is `{}`; a runtime "
                             "cannot be renamed (create the new name, delete the old)",
                             definition->name, current.record.name)};
  }
  if (Canonical(current.definition->source) == Canonical(definition->source)) {
    return std::pair{PutOutcome::kUnchanged, std::move(current)};
  }
  Status checked = CheckDefinition(*definition, current.record.unique_name);
  if (!checked.ok()) return checked.error();
  bool was_running = current.running();
  StopLocked(*entry, /*keep_running_status=*/true);
  // Keep only the snapshots of actors that did not change.
  std::set<std::string> kept = KeptActors(current.definition->source, definition->source);
  if (auto rows = store_.GetSnapshots(current.record.id); rows.ok()) {
    std::vector<store::ActorSnapshot> keep;
    for (auto& row : rows.value()) {
      if (kept.count(row.actor)) keep.push_back(std::move(row));
    }
    Status dropped = store_.DeleteSnapshots(current.record.id);
    if (dropped.ok() && !keep.empty()) dropped = store_.PutSnapshots(keep);
    if (!dropped.ok()) return dropped.error();
  }
  auto replaced = store_.ReplaceRuntimeDefinition(current.record.id, definition->source.dump());
  if (!replaced.ok()) return replaced.error();
  {
    std::lock_guard lock(entry->data);
    entry->record = std::make_shared<const store::Runtime>(replaced.value());
    entry->definition = std::move(definition);
    entry->copies.reset();
  }
  log::Info("runtime {} replaced ({} actors keep their state)", current.record.unique_name,
            kept.size());
  if (was_running) {
    Status started = StartLocked(*entry);
    if (!started.ok()) {
      auto stopped =
          store_.SetRuntimeStatus(current.record.id, store::RuntimeStatus::kStopped, std::nullopt);
      std::lock_guard lock(entry->data);
      if (stopped.ok()) entry->record = std::make_shared<const store::Runtime>(stopped.value());
      return started.error();
    }
  }
  return std::pair{PutOutcome::kReplaced, ViewOf(*entry)};
}

Result<RuntimeView> RuntimeManager::Start(const std::string& runtime_id) {
  std::shared_ptr<Entry> entry = Lookup(runtime_id);
  if (!entry) return NotFound(runtime_id);
  std::lock_guard lifecycle(entry->lifecycle);
  if (entry->deleted) return NotFound(runtime_id);
  if (ViewOf(*entry).running()) return ViewOf(*entry);
  Status started = StartLocked(*entry);
  if (!started.ok()) return started.error();
  return ViewOf(*entry);
}

Result<RuntimeView> RuntimeManager::Stop(const std::string& runtime_id) {
  std::shared_ptr<Entry> entry = Lookup(runtime_id);
  if (!entry) return NotFound(runtime_id);
  std::lock_guard lifecycle(entry->lifecycle);
  if (entry->deleted) return NotFound(runtime_id);
  StopLocked(*entry, /*keep_running_status=*/false);
  return ViewOf(*entry);
}

Status RuntimeManager::Delete(const std::string& runtime_id) {
  std::shared_ptr<Entry> entry = Lookup(runtime_id);
  if (!entry) return NotFound(runtime_id);
  std::lock_guard lifecycle(entry->lifecycle);
  if (entry->deleted) return NotFound(runtime_id);
  std::shared_ptr<RuntimeCopies> copies;
  std::string unique;
  {
    std::lock_guard lock(entry->data);
    copies = std::move(entry->copies);
    unique = entry->record->unique_name;
  }
  if (copies) {
    for (auto& copy : copies->copies) copy->Stop();
  }
  Status deleted = store_.DeleteRuntime(runtime_id);
  if (!deleted.ok()) return deleted;
  entry->deleted = true;
  {
    std::unique_lock lock(mutex_);
    by_id_.erase(runtime_id);
    id_by_unique_name_.erase(unique);
  }
  log::Info("runtime {} deleted", unique);
  return {};
}

RuntimeManager::Totals RuntimeManager::totals() const {
  Totals totals;
  std::shared_lock lock(mutex_);
  for (const auto& [id, entry] : by_id_) {
    std::lock_guard data(entry->data);
    ++totals.runtimes;
    if (entry->record->status != store::RuntimeStatus::kRunning) continue;
    ++totals.running;
    totals.actors += static_cast<int>(entry->definition->actors.size()) *
                     std::max(1, entry->definition->distribution.copies);
  }
  return totals;
}

}  // namespace coral::node
