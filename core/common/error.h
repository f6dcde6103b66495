// The one error rule of the Coral codebase.
//
// 1. Anything that comes from outside the process -- a definition file, a flag, an HTTP body, an
//    event, a Kafka message, a UDP packet -- is untrusted. Problems with it are values: a
//    `Diagnostics` list (definitions, where every problem is reported at once) or a `Result<T>`
//    (everything else). Such problems never throw across a module boundary.
// 2. Exceptions are for the environment failing under us (out of memory, a file that cannot be
//    written) and for broken invariants. They are caught at the edge -- a CLI command, an HTTP
//    handler, an actor turn -- logged or counted, and turned into an error value there.
// 3. Exit codes and HTTP statuses are derived from `ErrorCode`, in exactly one place each.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace coral {

enum class ErrorCode {
  kInvalidArgument,  // bad input from the caller: usage error, malformed request
  kInvalidDefinition,
  kNotFound,
  kConflict,
  kUnauthenticated,
  kPermissionDenied,
  kUnavailable,  // cannot reach a server, a broker, a file
  kInternal,
};

struct Error {
  ErrorCode code;
  std::string message;
};

// A value or an Error. Deliberately tiny: `ok()`, `value()`, `error()`.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  const T& value() const& { return std::get<0>(state_); }
  T& value() & { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

// Result<void>: success or an Error.
class Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_{ErrorCode::kInternal, {}};
  bool ok_ = true;
};

}  // namespace coral
