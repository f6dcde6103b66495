// Where the `log` actors of corald's runtimes may write.
//
// A relative `file` lands under `<data-dir>/logs/<unique name>/` (and may not climb out of it with
// ".."); an absolute one must lie inside a `log-dirs` entry of the configuration, compared after
// resolving symbolic links and "..", so that a runtime's owner cannot make the daemon write where
// its user can but the owner should not. A `log` actor without `file` writes (appending) to
// `<data-dir>/logs/<unique name>/<actor>.log`: the daemon has no terminal.
//
// Thread-safety: immutable after construction; every method may be called from any thread.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "definition/model.h"

namespace coral::node {

class LogPaths {
 public:
  LogPaths(std::filesystem::path data_dir, std::vector<std::filesystem::path> log_dirs);

  // `<data-dir>/logs/<unique name>`.
  std::filesystem::path RuntimeDir(std::string_view unique_name) const;
  // The path a `log` actor of runtime `unique_name` opens for `file`; creates the runtime's log
  // directory for a relative file. kInvalidDefinition saying what is allowed otherwise.
  Result<std::filesystem::path> Resolve(std::string_view unique_name, std::string_view file) const;
  // Every `log` actor's file checked with Resolve (without creating anything); one message per
  // offending actor, naming it. kInvalidDefinition.
  Status Check(const definition::RuntimeDefinition& definition, std::string_view unique_name) const;
  // The definition the engine runs: `log` actors without `file` get `file: <actor>.log` and
  // `append: true`. Returns `definition` itself when there is no such actor.
  Result<std::shared_ptr<const definition::RuntimeDefinition>> ForEngine(
      std::shared_ptr<const definition::RuntimeDefinition> definition) const;

 private:
  Result<std::filesystem::path> Locate(std::string_view unique_name, std::string_view file) const;

  std::filesystem::path data_dir_;
  std::vector<std::filesystem::path> log_dirs_;  // canonical
};

}  // namespace coral::node
