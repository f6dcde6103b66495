#include "event/field_path.h"

#include <cctype>

namespace coral {
namespace {

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '$' ||
         c == '@' || c == ':' || static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

std::optional<FieldPath> FieldPath::Parse(std::string_view text, std::string* error) {
  auto fail = [&](std::string message) -> std::optional<FieldPath> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  FieldPath path;
  path.text_ = std::string(text);
  if (text.empty()) return fail("the path is empty; write a field name such as `amount` or `a.b[0]`");
  if (text == "*") {
    path.whole_ = true;
    return path;
  }
  std::size_t i = 0;
  bool expect_name = true;  // at the start and after '.'
  while (i < text.size()) {
    char c = text[i];
    if (c == '[') {
      std::size_t close = text.find(']', i);
      if (close == std::string_view::npos) return fail("`[` without a closing `]`");
      std::string_view inside = text.substr(i + 1, close - i - 1);
      if (inside.size() >= 2 && (inside.front() == '\'' || inside.front() == '"') &&
          inside.back() == inside.front()) {
        path.steps_.emplace_back(std::string(inside.substr(1, inside.size() - 2)));
      } else if (!inside.empty() &&
                 inside.find_first_not_of("0123456789") == std::string_view::npos &&
                 inside.size() <= 9) {
        path.steps_.emplace_back(static_cast<std::size_t>(std::stoul(std::string(inside))));
      } else {
        return fail("inside `[...]` write an index such as [2] or a quoted key such as ['b c']");
      }
      i = close + 1;
      expect_name = false;
    } else if (c == '.') {
      if (expect_name) return fail("a `.` must follow a field name");
      ++i;
      expect_name = true;
      if (i == text.size()) return fail("the path ends with `.`; name the field after it");
    } else if (IsNameChar(c)) {
      if (!expect_name) return fail("write `.` between field names");
      std::size_t start = i;
      while (i < text.size() && IsNameChar(text[i])) ++i;
      path.steps_.emplace_back(std::string(text.substr(start, i - start)));
      expect_name = false;
    } else {
      return fail(std::string("unexpected character `") + c +
                  "`; quote unusual keys as ['key with spaces']");
    }
  }
  return path;
}

std::string_view FieldPath::Head() const {
  if (steps_.empty()) return {};
  if (const auto* key = std::get_if<std::string>(&steps_.front())) return *key;
  return {};
}

const Json* FieldPath::Resolve(const Json& value) const {
  const Json* current = &value;
  for (const Step& step : steps_) {
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

}  // namespace coral
