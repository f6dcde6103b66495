// Parsing of an HTTP `Authorization: Basic <base64(user:password)>` header value (RFC 7617).
// Thread-safety: a pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/error.h"

namespace coral::security {

// Longer header values are refused before decoding.
inline constexpr std::size_t kMaxAuthorizationLength = 4096;

// User name and password from a Basic header. The password is wiped from memory when the object
// dies (best effort: copies made by the caller are the caller's).
struct Credentials {
  std::string user;
  std::string password;

  Credentials() = default;
  Credentials(Credentials&&) noexcept = default;
  Credentials& operator=(Credentials&&) noexcept = default;
  Credentials(const Credentials&) = delete;
  Credentials& operator=(const Credentials&) = delete;
  ~Credentials();
};

// kUnauthenticated with a message naming what is wrong (never echoing the secret): an empty,
// oversized or non-Basic value, bad base64, no ':' separator, an empty user name, or control
// characters in the user name. The scheme is case-insensitive; the password may be empty (the
// authenticators decide).
Result<Credentials> ParseBasicAuthorization(std::string_view header);

}  // namespace coral::security
