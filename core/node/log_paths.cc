#include "node/log_paths.h"

#include <algorithm>
#include <system_error>

#include <fmt/format.h>

#include "definition/validator.h"

namespace coral::node {
namespace fs = std::filesystem;
namespace {

// `path` is `dir` or below it (both normalised).
bool Inside(const fs::path& path, const fs::path& dir) {
  auto [d, p] = std::mismatch(dir.begin(), dir.end(), path.begin(), path.end());
  // A trailing empty component of "dir/" counts as the end.
  return d == dir.end() || (std::next(d) == dir.end() && d->empty());
}

fs::path Canonical(const fs::path& path) {
  std::error_code ec;
  fs::path out = fs::weakly_canonical(path, ec);
  return ec ? path.lexically_normal() : out;
}

bool IsLog(const definition::ActorDefinition& actor) {
  return actor.type && actor.type->name == "log";
}

}  // namespace

LogPaths::LogPaths(fs::path data_dir, std::vector<fs::path> log_dirs)
    : data_dir_(std::move(data_dir)) {
  for (const auto& dir : log_dirs) log_dirs_.push_back(Canonical(dir));
}

fs::path LogPaths::RuntimeDir(std::string_view unique_name) const {
  return data_dir_ / "logs" / std::string(unique_name);
}

Result<fs::path> LogPaths::Locate(std::string_view unique_name, std::string_view file) const {
  fs::path path{std::string(file)};
  if (file.empty()) return Error{ErrorCode::kInvalidDefinition, "the log file name is empty"};
  if (path.is_relative()) {
    fs::path dir = RuntimeDir(unique_name).lexically_normal();
    fs::path full = (dir / path).lexically_normal();
    if (!Inside(full, dir) || full == dir) {
      return Error{ErrorCode::kInvalidDefinition,
                   fmt::format("file \"{}\" climbs out of the runtime's log directory {}; use a "
                               "name without \"..\"",
                               file, dir.string())};
    }
    return full;
  }
  fs::path full = Canonical(path);
  for (const auto& dir : log_dirs_) {
    if (Inside(full, dir) && full != dir) return full;
  }
  std::string allowed;
  for (const auto& dir : log_dirs_) allowed += (allowed.empty() ? "" : ", ") + dir.string();
  return Error{ErrorCode::kInvalidDefinition,
               fmt::format("file \"{}\" is outside the directories corald may write logs to ({}); "
                           "use a relative file (written under {}/) or ask the administrator to "
                           "add its directory to `log-dirs`",
                           file, allowed.empty() ? "log-dirs is empty" : "log-dirs: " + allowed,
                           RuntimeDir("<owner>-<name>").string())};
}

Result<fs::path> LogPaths::Resolve(std::string_view unique_name, std::string_view file) const {
  auto located = Locate(unique_name, file);
  if (!located.ok()) return located;
  std::error_code ec;
  fs::create_directories(located.value().parent_path(), ec);
  if (ec) {
    return Error{
        ErrorCode::kUnavailable,
        fmt::format("cannot create {}: {}", located.value().parent_path().string(), ec.message())};
  }
  return located;
}

Status LogPaths::Check(const definition::RuntimeDefinition& definition,
                       std::string_view unique_name) const {
  std::string problems;
  for (std::size_t i = 0; i < definition.actors.size(); ++i) {
    const auto& actor = definition.actors[i];
    if (!IsLog(actor) || !actor.params.is_object()) continue;
    auto file = actor.params.find("file");
    if (file == actor.params.end() || !file->is_string()) continue;
    auto located = Locate(unique_name, file->get<std::string>());
    if (!located.ok()) {
      if (!problems.empty()) problems += "\n";
      problems += fmt::format("actors[{}].params.file: actor `{}`: {}", i, actor.name,
                              located.error().message);
    }
  }
  if (problems.empty()) return {};
  return Error{ErrorCode::kInvalidDefinition, problems};
}

Result<std::shared_ptr<const definition::RuntimeDefinition>> LogPaths::ForEngine(
    std::shared_ptr<const definition::RuntimeDefinition> definition) const {
  Json source = definition->source;
  bool changed = false;
  if (source.contains("actors") && source["actors"].is_array()) {
    for (Json& actor : source["actors"]) {
      if (!actor.is_object() || actor.value("type", "") != "log") continue;
      Json& params = actor["params"];
      if (params.is_null()) params = Json::object();
      if (!params.is_object() || params.contains("file")) continue;
      params["file"] = actor.value("name", "log") + ".log";
      params["append"] = true;
      changed = true;
    }
  }
  if (!changed) return definition;
  definition::Validation validation = definition::ValidateText(source.dump());
  if (!validation.definition) {
    return Error{ErrorCode::kInternal, "the definition with default log files does not validate"};
  }
  return validation.definition;
}

}  // namespace coral::node
