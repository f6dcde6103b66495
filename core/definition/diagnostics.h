// Problems found in a definition. Every rule adds to one Diagnostics list, so a user sees all
// problems at once; each carries the path inside the document (`actors[2].params.threshold`) and
// the source position, and says in plain words what to write instead.
#pragma once

#include <string>
#include <vector>

#include "definition/node.h"

namespace coral::definition {

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity;
  std::string path;  // empty for problems with the document as a whole
  Position position;
  std::string message;
};

class Diagnostics {
 public:
  void Error(std::string path, Position position, std::string message);
  void Warning(std::string path, Position position, std::string message);

  const std::vector<Diagnostic>& all() const { return items_; }
  bool HasErrors() const { return errors_ > 0; }
  int errors() const { return errors_; }
  int warnings() const { return static_cast<int>(items_.size()) - errors_; }
  // Strict mode: warnings about unknown fields become errors.
  void PromoteWarningsToErrors();
  // Orders by source position so that output reads top to bottom.
  void SortByPosition();

 private:
  std::vector<Diagnostic> items_;
  int errors_ = 0;
};

// "file:line:column: error: path: message" (the gcc shape, so editors can jump to it).
std::string FormatDiagnostic(const Diagnostic& diagnostic, const std::string& file);

// "actors[2]" / "actors[2].params" -- path building used across the validator.
std::string JoinPath(const std::string& parent, const std::string& key);
std::string IndexPath(const std::string& parent, std::size_t index);

}  // namespace coral::definition
