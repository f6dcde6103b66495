#include "security/basic_auth.h"

#include <sodium.h>

#include <algorithm>
#include <vector>

#include "security/password.h"

namespace coral::security {

Credentials::~Credentials() {
  if (!password.empty()) sodium_memzero(password.data(), password.size());
}

namespace {

Error Refuse(std::string message) {
  return Error{ErrorCode::kUnauthenticated, std::move(message)};
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

}  // namespace

Result<Credentials> ParseBasicAuthorization(std::string_view header) {
  if (header.empty()) return Refuse("credentials required (HTTP Basic authentication)");
  if (header.size() > kMaxAuthorizationLength)
    return Refuse("the Authorization header is too long");
  auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!header.empty() && is_space(header.back())) header.remove_suffix(1);
  while (!header.empty() && is_space(header.front())) header.remove_prefix(1);
  const std::size_t space = header.find_first_of(" \t");
  if (space == std::string_view::npos || !EqualsIgnoreCase(header.substr(0, space), "basic")) {
    return Refuse("only HTTP Basic authentication is accepted");
  }
  std::string_view encoded = header.substr(space);
  while (!encoded.empty() && is_space(encoded.front())) encoded.remove_prefix(1);
  if (encoded.empty()) return Refuse("the Basic credentials are empty");

  InitSodium();
  std::vector<unsigned char> decoded(encoded.size() / 4 * 3 + 3);
  std::size_t length = 0;
  const char* end = nullptr;
  bool ok = false;
  for (int variant : {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING}) {
    if (sodium_base642bin(decoded.data(), decoded.size(), encoded.data(), encoded.size(), nullptr,
                          &length, &end, variant) == 0 &&
        end == encoded.data() + encoded.size()) {
      ok = true;
      break;
    }
  }
  if (!ok) {
    sodium_memzero(decoded.data(), decoded.size());
    return Refuse("the Basic credentials are not valid base64");
  }
  std::string_view text(reinterpret_cast<const char*>(decoded.data()), length);
  const std::size_t colon = text.find(':');
  Result<Credentials> result =
      Refuse("the Basic credentials have no ':' between user and password");
  if (colon != std::string_view::npos) {
    Credentials credentials;
    credentials.user = std::string(text.substr(0, colon));
    credentials.password = std::string(text.substr(colon + 1));
    const bool control = std::any_of(credentials.user.begin(), credentials.user.end(),
                                     [](unsigned char c) { return c < 0x20 || c == 0x7F; });
    if (credentials.user.empty()) {
      result = Refuse("the Basic credentials have an empty user name");
    } else if (control) {
      result = Refuse("the user name contains control characters");
    } else if (credentials.password.find('\0') != std::string::npos) {
      result = Refuse("the password contains a NUL character");
    } else {
      result = std::move(credentials);
    }
  }
  sodium_memzero(decoded.data(), decoded.size());
  return result;
}

}  // namespace coral::security
