#include "security/password.h"

#include <chrono>

#include <doctest/doctest.h>

namespace coral::security {
namespace {

TEST_SUITE("security: passwords") {
  TEST_CASE("a hash is argon2id, salted, never the password, and verifies only that password") {
    const std::string password = "correct horse battery";
    const auto started = std::chrono::steady_clock::now();
    auto hash = HashPassword(password);
    const auto took = std::chrono::steady_clock::now() - started;
    REQUIRE_MESSAGE(hash.ok(), hash.error().message);
    MESSAGE("one argon2id hash (interactive limits) took ",
            std::chrono::duration_cast<std::chrono::milliseconds>(took).count(), " ms");
    CHECK(hash.value().starts_with("$argon2id$"));
    CHECK(hash.value() != password);
    CHECK(hash.value().find(password) == std::string::npos);
    CHECK(VerifyPassword(password, hash.value()));
    CHECK_FALSE(VerifyPassword("correct horse battery!", hash.value()));
    CHECK_FALSE(VerifyPassword("Correct horse battery", hash.value()));
    CHECK_FALSE(VerifyPassword("", hash.value()));

    auto again = HashPassword(password);
    REQUIRE(again.ok());
    CHECK(again.value() != hash.value());  // a fresh salt each time
    CHECK(VerifyPassword(password, again.value()));
  }

  TEST_CASE("passwords shorter than 8 characters are refused with a clear message") {
    for (const char* weak : {"", "1234567", "ééééééé"}) {  // the last: 7 characters, 14 bytes
      auto hash = HashPassword(weak);
      REQUIRE_FALSE(hash.ok());
      CHECK(hash.error().code == ErrorCode::kInvalidArgument);
      CHECK(hash.error().message == "a password has at least 8 characters");
    }
    CHECK(CheckPasswordPolicy("12345678").ok());
    CHECK(CheckPasswordPolicy("éééééééé").ok());
    CHECK_FALSE(CheckPasswordPolicy(std::string(kMaxPasswordLength + 1, 'x')).ok());
    CHECK_FALSE(CheckPasswordPolicy(std::string("abcd\0efgh", 9)).ok());
  }

  TEST_CASE("empty, malformed or foreign hashes never verify") {
    CHECK_FALSE(VerifyPassword("whatever123", ""));
    CHECK_FALSE(VerifyPassword("whatever123", "whatever123"));
    CHECK_FALSE(VerifyPassword("whatever123", "$argon2id$v=19$m=65536,t=2,p=1$garbage"));
    CHECK_FALSE(VerifyPassword("whatever123", std::string(500, '$')));
  }
}

}  // namespace
}  // namespace coral::security
