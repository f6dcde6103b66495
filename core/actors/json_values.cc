#include "actors/json_values.h"

#include <charconv>
#include <cmath>
#include <cstdint>

#include "common/text.h"

namespace coral::actors {
namespace {

constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

bool IsExactInteger(double value) {
  return std::trunc(value) == value && std::fabs(value) <= kMaxExactInteger;
}

}  // namespace

Json NumberJson(double value) {
  if (IsExactInteger(value)) return static_cast<std::int64_t>(value);
  return value;
}

std::string NumberText(double value) {
  char buffer[64];
  std::to_chars_result result;
  if (IsExactInteger(value)) {
    result = std::to_chars(buffer, buffer + sizeof buffer, static_cast<std::int64_t>(value));
  } else {
    result = std::to_chars(buffer, buffer + sizeof buffer, value);
  }
  return std::string(buffer, result.ptr);
}

Json* MutableAt(Json& root, const FieldPath& path) {
  Json* current = &root;
  for (const FieldPath::Step& step : path.steps()) {
    if (const auto* key = std::get_if<std::string>(&step)) {
      if (!current->is_object()) return nullptr;
      auto it = current->find(*key);
      if (it == current->end()) return nullptr;
      current = &*it;
    } else {
      std::size_t index = std::get<std::size_t>(step);
      if (!current->is_array() || index >= current->size()) return nullptr;
      current = &(*current)[index];
    }
  }
  return current;
}

std::variant<double, IgnoreReason> NumberIn(const Json& value, const FieldPath& path) {
  const Json* found = path.Resolve(value);
  if (!found) return IgnoreReason::kMissingField;
  if (!found->is_number()) return IgnoreReason::kWrongType;
  double number = found->get<double>();
  if (!std::isfinite(number)) return IgnoreReason::kNotFinite;
  return number;
}

Event WithField(const Event& event, const std::string& key, Json value) {
  Json copy = event.value();
  copy[key] = std::move(value);
  return Event::FromJson(std::move(copy));
}

std::string ValidUtf8(std::string_view text) {
  std::size_t bad = FindInvalidUtf8(text);
  if (bad == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  while (bad != std::string_view::npos) {
    out.append(text.substr(0, bad));
    out.append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
    text.remove_prefix(bad + 1);
    bad = FindInvalidUtf8(text);
  }
  out.append(text);
  return out;
}

}  // namespace coral::actors
