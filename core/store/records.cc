#include "store/records.h"

#include <string>

namespace coral::store {

std::string_view ToString(RuntimeStatus status) {
  switch (status) {
    case RuntimeStatus::kCreated:
      return "created";
    case RuntimeStatus::kRunning:
      return "running";
    case RuntimeStatus::kStopped:
      return "stopped";
  }
  return "created";
}

Result<RuntimeStatus> ParseRuntimeStatus(std::string_view text) {
  if (text == "created") return RuntimeStatus::kCreated;
  if (text == "running") return RuntimeStatus::kRunning;
  if (text == "stopped") return RuntimeStatus::kStopped;
  return Error{ErrorCode::kInvalidArgument, "unknown runtime status '" + std::string(text) + "'"};
}

Status ValidateUserName(std::string_view name) {
  constexpr std::size_t kMaxLength = 64;
  if (name.empty()) return Error{ErrorCode::kInvalidArgument, "a user name cannot be empty"};
  if (name.size() > kMaxLength) {
    return Error{ErrorCode::kInvalidArgument,
                 "a user name has at most " + std::to_string(kMaxLength) + " characters"};
  }
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(name.front())) {
    return Error{ErrorCode::kInvalidArgument, "a user name starts with a letter or a digit"};
  }
  for (char c : name) {
    if (!alnum(c) && c != '.' && c != '_' && c != '@' && c != '-') {
      return Error{ErrorCode::kInvalidArgument,
                   "a user name has only letters, digits and . _ @ - (invalid user name)"};
    }
  }
  return {};
}

}  // namespace coral::store
