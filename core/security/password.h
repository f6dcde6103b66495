// Password hashing with argon2id (libsodium crypto_pwhash, "interactive" limits: 64 MiB and a
// fraction of a second per hash or verification -- see the tests for the measured time).
// Passwords and hashes are secrets: never log them, never put them in error messages.
//
// Thread-safety: every function may be called from any thread. Each call in flight holds
// 64 MiB; callers that verify on behalf of the network bound how many run at once.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/error.h"

namespace coral::security {

inline constexpr std::size_t kMinPasswordLength = 8;     // characters (UTF-8 code points)
inline constexpr std::size_t kMaxPasswordLength = 1024;  // bytes

// Initialises libsodium (idempotent). Throws std::runtime_error when it cannot (no entropy
// source): nothing secure can be done then.
void InitSodium();

// kInvalidArgument with a message for the user when the password is too short or too long or
// contains a NUL byte.
Status CheckPasswordPolicy(std::string_view password);

// An argon2id hash string ("$argon2id$v=19$m=...") of a password that passes the policy.
// kInvalidArgument (policy), kInternal (out of memory).
Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `hash`. False for an empty or malformed hash. Constant-time in
// the comparison of secrets (libsodium).
bool VerifyPassword(std::string_view password, std::string_view hash);

}  // namespace coral::security
