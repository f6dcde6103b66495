#include "security/password.h"

#include <stdexcept>

#include <sodium.h>

namespace coral::security {

void InitSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
}

Status CheckPasswordPolicy(std::string_view password) {
  if (password.size() > kMaxPasswordLength) {
    return Error{ErrorCode::kInvalidArgument,
                 "a password has at most " + std::to_string(kMaxPasswordLength) + " bytes"};
  }
  if (password.find('\0') != std::string_view::npos) {
    return Error{ErrorCode::kInvalidArgument, "a password cannot contain a NUL character"};
  }
  std::size_t characters = 0;
  for (char c : password) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++characters;  // skip UTF-8 continuations
  }
  if (characters < kMinPasswordLength) {
    return Error{ErrorCode::kInvalidArgument,
                 "a password has at least " + std::to_string(kMinPasswordLength) + " characters"};
  }
  return {};
}

Result<std::string> HashPassword(std::string_view password) {
  if (Status status = CheckPasswordPolicy(password); !status.ok()) return status.error();
  InitSodium();
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error{ErrorCode::kInternal, "cannot hash a password: out of memory"};
  }
  return std::string(hash);
}

bool VerifyPassword(std::string_view password, std::string_view hash) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  if (password.size() > kMaxPasswordLength) return false;
  InitSodium();
  const std::string terminated(hash);  // crypto_pwhash_str_verify reads a C string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

}  // namespace coral::security
