// A path into an event: `a.b`, `a[2]`, `a['b c']`, `a.b[2].c`, or `*` for the whole event.
// Parsed once at definition time; resolving it per event allocates nothing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace coral {

using Json = nlohmann::ordered_json;

class FieldPath {
 public:
  using Step = std::variant<std::string, std::size_t>;  // object key or array index

  FieldPath() = default;
  // Parses `text` (surrounding spaces ignored). On a malformed path returns nullopt and, when
  // `error` is given, says what is wrong in words a user can act on.
  static std::optional<FieldPath> Parse(std::string_view text, std::string* error = nullptr);

  bool IsWholeEvent() const { return whole_; }
  const std::vector<Step>& steps() const { return steps_; }
  const std::string& text() const { return text_; }
  // The first key, e.g. "a" for "a.b[1]"; empty for `*`.
  std::string_view Head() const;

  // The value at this path, or nullptr when it does not resolve (missing key, index out of range,
  // stepping into a scalar).
  const Json* Resolve(const Json& value) const;

 private:
  std::vector<Step> steps_;
  std::string text_;
  bool whole_ = false;
};

}  // namespace coral
