#include "definition/diagnostics.h"

#include <algorithm>
#include <regex>

#include <fmt/format.h>

namespace coral::definition {

void Diagnostics::Error(std::string path, Position position, std::string message) {
  items_.push_back({Severity::kError, std::move(path), position, std::move(message)});
  ++errors_;
}

void Diagnostics::Warning(std::string path, Position position, std::string message) {
  items_.push_back({Severity::kWarning, std::move(path), position, std::move(message)});
}

void Diagnostics::PromoteWarningsToErrors() {
  for (Diagnostic& item : items_) {
    if (item.severity == Severity::kWarning) {
      item.severity = Severity::kError;
      ++errors_;
    }
  }
}

void Diagnostics::SortByPosition() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.position.line != b.position.line) return a.position.line < b.position.line;
    return a.position.column < b.position.column;
  });
}

std::string FormatDiagnostic(const Diagnostic& diagnostic, const std::string& file) {
  std::string where = file;
  if (diagnostic.position.line > 0) {
    where += fmt::format(":{}:{}", diagnostic.position.line, diagnostic.position.column);
  }
  const char* severity = diagnostic.severity == Severity::kError ? "error" : "warning";
  if (diagnostic.path.empty()) return fmt::format("{}: {}: {}", where, severity, diagnostic.message);
  return fmt::format("{}: {}: {}: {}", where, severity, diagnostic.path, diagnostic.message);
}

std::string JoinPath(const std::string& parent, const std::string& key) {
  static const std::regex plain(R"([A-Za-z_][A-Za-z0-9_-]*)");
  std::string part = std::regex_match(key, plain) ? key : "[" + nlohmann::json(key).dump() + "]";
  if (parent.empty()) return part;
  return part.front() == '[' ? parent + part : parent + "." + part;
}

std::string IndexPath(const std::string& parent, std::size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

}  // namespace coral::definition
