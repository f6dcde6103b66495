// The exit codes of every `coral` command (spec: api-and-cli.md), derived from ErrorCode here and
// nowhere else.
#pragma once

#include "common/error.h"

namespace coral::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,         // the operation failed on the server
  kExitUsage = 2,          // usage error
  kExitInvalid = 3,        // invalid definition
  kExitNotFound = 4,
  kExitNotAllowed = 5,     // not authenticated or not allowed
  kExitUnreachable = 6,    // cannot reach the server
};

inline int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return kExitUsage;
    case ErrorCode::kInvalidDefinition:
      return kExitInvalid;
    case ErrorCode::kNotFound:
      return kExitNotFound;
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kPermissionDenied:
      return kExitNotAllowed;
    case ErrorCode::kUnavailable:
      return kExitUnreachable;
    case ErrorCode::kConflict:
    case ErrorCode::kInternal:
      break;
  }
  return kExitFailed;
}

}  // namespace coral::cli
