#include "security/basic_auth.h"

#include <sodium.h>

#include <random>

#include <doctest/doctest.h>

namespace coral::security {
namespace {

std::string Base64(std::string_view text) {
  std::string out(sodium_base64_encoded_len(text.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()),
                    text.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

void CheckRefused(std::string_view header, std::string_view message_part) {
  auto parsed = ParseBasicAuthorization(header);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().code == ErrorCode::kUnauthenticated);
  CHECK_MESSAGE(parsed.error().message.find(message_part) != std::string::npos,
                parsed.error().message);
}

TEST_SUITE("security: Basic header") {
  TEST_CASE("user and password come out; the password may hold colons; the scheme any case") {
    for (const std::string scheme : {"Basic ", "basic ", "BASIC  ", "  Basic\t"}) {
      auto parsed = ParseBasicAuthorization(scheme + Base64("alice:pa:ss word") + " ");
      REQUIRE_MESSAGE(parsed.ok(), parsed.error().message);
      CHECK(parsed.value().user == "alice");
      CHECK(parsed.value().password == "pa:ss word");
    }
    auto empty_password = ParseBasicAuthorization("Basic " + Base64("alice:"));
    REQUIRE(empty_password.ok());
    CHECK(empty_password.value().password.empty());
    auto unpadded = Base64("alice:secret1");  // 13 bytes -> padded with '='
    while (unpadded.back() == '=') unpadded.pop_back();
    CHECK(ParseBasicAuthorization("Basic " + unpadded).ok());
  }

  TEST_CASE("malformed values are kUnauthenticated, never echoing the secret") {
    CheckRefused("", "credentials required");
    CheckRefused("Bearer abc.def", "only HTTP Basic");
    CheckRefused("Basic", "only HTTP Basic");
    CheckRefused("Basic    ", "only HTTP Basic");
    CheckRefused("Basic !!!notbase64", "not valid base64");
    CheckRefused("Basic " + Base64("alice:x") + "#", "not valid base64");
    CheckRefused("Basic " + Base64("no colon here"), "no ':'");
    CheckRefused("Basic " + Base64(":password"), "empty user name");
    CheckRefused("Basic " + Base64(std::string("al\nice:password")), "control characters");
    CheckRefused("Basic " + Base64(std::string("alice:pass\0word", 15)), "NUL");
    CheckRefused("Basic " + std::string(kMaxAuthorizationLength, 'A'), "too long");
    auto wrong = ParseBasicAuthorization("Basic " + Base64("secretpassword"));
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().message.find("secretpassword") == std::string::npos);
  }

  TEST_CASE("random bytes never crash the parser") {
    std::mt19937 random(12345);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> length(0, 200);
    for (int i = 0; i < 3000; ++i) {
      std::string noise(static_cast<std::size_t>(length(random)), '\0');
      for (char& c : noise) c = static_cast<char>(byte(random));
      (void)ParseBasicAuthorization(noise);
      (void)ParseBasicAuthorization("Basic " + noise);
      (void)ParseBasicAuthorization("Basic " + Base64(noise));
    }
  }
}

}  // namespace
}  // namespace coral::security
