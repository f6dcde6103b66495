#include "security/authenticator.h"

#include <sodium.h>

#include <atomic>
#include <thread>

#include <doctest/doctest.h>

#include "security/password.h"
#include "store/scratch_dir.h"
#include "store/sqlite_store.h"

namespace coral::security {
namespace {

using coral::testing::ScratchDir;
using std::chrono::milliseconds;

std::string Basic(std::string_view user, std::string_view password) {
  std::string plain = std::string(user) + ":" + std::string(password);
  std::string out(sodium_base64_encoded_len(plain.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(plain.data()),
                    plain.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return "Basic " + out;
}

// Time that moves only when the authenticator sleeps; the sleeps are recorded.
struct FakeTiming {
  SteadyTime now{std::chrono::hours(1000)};
  std::vector<long> sleeps;
  AuthTiming timing() {
    return AuthTiming{[this] { return now; },
                      [this](milliseconds delay) {
                        sleeps.push_back(delay.count());
                        now += delay;
                      }};
  }
};

struct Fixture {
  ScratchDir dir;
  std::unique_ptr<store::SqliteStore> store;
  FakeTiming time;

  Fixture() {
    auto opened = store::SqliteStore::Open(dir.path());
    REQUIRE_MESSAGE(opened.ok(), opened.error().message);
    store = std::move(opened).value();
  }

  store::User AddUser(const std::string& name, const std::string& password, bool admin = false) {
    store::User user;
    user.name = name;
    user.admin = admin;
    if (!password.empty()) user.password_hash = HashPassword(password).value();
    auto created = store->CreateUser(user);
    REQUIRE_MESSAGE(created.ok(), created.error().message);
    return created.value();
  }

  std::unique_ptr<Authenticator> Make(AuthMode mode) {
    AuthConfig config;
    config.mode = mode;
    config.throttle.base_delay = milliseconds(10);
    config.throttle.max_delay = milliseconds(1000);
    auto authenticator = MakeAuthenticator(config, *store, time.timing());
    REQUIRE_MESSAGE(authenticator.ok(), authenticator.error().message);
    return std::move(authenticator).value();
  }
};

void CheckRefused(Authenticator& authenticator, const std::string& header,
                  std::string_view message = "wrong user name or password") {
  auto principal = authenticator.Authenticate({header, "192.0.2.1"});
  REQUIRE_FALSE(principal.ok());
  CHECK(principal.error().code == ErrorCode::kUnauthenticated);
  CHECK(principal.error().message == message);
}

TEST_SUITE("security: authenticators") {
  TEST_CASE("auth modes parse from their names") {
    for (AuthMode mode :
         {AuthMode::kAcceptAll, AuthMode::kDenyAll, AuthMode::kCoral, AuthMode::kLdap}) {
      CHECK(ParseAuthMode(ToString(mode)).value() == mode);
    }
    auto unknown = ParseAuthMode("open");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == ErrorCode::kInvalidArgument);
  }

  TEST_CASE("accept-all: every request is the admin user coral, created once in the store") {
    Fixture fixture;
    auto authenticator = fixture.Make(AuthMode::kAcceptAll);
    auto first = authenticator->Authenticate({"", ""});
    REQUIRE(first.ok());
    CHECK(first.value().name == "coral");
    CHECK(first.value().admin);
    auto second = authenticator->Authenticate({"Basic garbage!", "192.0.2.1"});
    REQUIRE(second.ok());
    CHECK(second.value().user_id == first.value().user_id);
    auto stored = fixture.store->FindUserByName("coral");
    REQUIRE(stored.ok());
    CHECK(stored.value().id == first.value().user_id);
    CHECK(stored.value().password_hash.empty());
    CHECK(fixture.store->ListUsers().value().size() == 1);
  }

  TEST_CASE("deny-all refuses even good credentials") {
    Fixture fixture;
    fixture.AddUser("alice", "alice-password");
    auto authenticator = fixture.Make(AuthMode::kDenyAll);
    CheckRefused(*authenticator, Basic("alice", "alice-password"),
                 "authentication mode deny-all refuses every request");
    CheckRefused(*authenticator, "", "authentication mode deny-all refuses every request");
  }

  TEST_CASE("coral: good credentials give the store user; anything else is refused alike") {
    Fixture fixture;
    const store::User alice = fixture.AddUser("alice", "alice-password", true);
    fixture.AddUser("ldapuser", "");  // no password: cannot log in with mode coral
    auto authenticator = fixture.Make(AuthMode::kCoral);

    auto principal = authenticator->Authenticate({Basic("alice", "alice-password"), "192.0.2.1"});
    REQUIRE_MESSAGE(principal.ok(), principal.error().message);
    CHECK(principal.value().user_id == alice.id);
    CHECK(principal.value().name == "alice");
    CHECK(principal.value().admin);

    CheckRefused(*authenticator, Basic("alice", "wrong-password"));
    CheckRefused(*authenticator, Basic("nobody", "alice-password"));
    CheckRefused(*authenticator, Basic("ldapuser", ""));
    CheckRefused(*authenticator, Basic("ldapuser", "anything-at-all"));
    CheckRefused(*authenticator, "", "credentials required (HTTP Basic authentication)");
    CheckRefused(*authenticator, "Basic !!!", "the Basic credentials are not valid base64");
    CheckRefused(*authenticator, "Basic " + std::string(100'000, 'A'),
                 "the Authorization header is too long");
  }

  TEST_CASE("coral: failed attempts are slowed down more and more, and a success resets that") {
    Fixture fixture;
    fixture.AddUser("alice", "alice-password");
    auto authenticator = fixture.Make(AuthMode::kCoral);
    for (int i = 0; i < 4; ++i) CheckRefused(*authenticator, Basic("alice", "guess"));
    CHECK(fixture.time.sleeps == std::vector<long>{10, 20, 40});
    // The right password waits too (it cannot be told apart before it is checked) ...
    REQUIRE(authenticator->Authenticate({Basic("alice", "alice-password"), "192.0.2.1"}).ok());
    CHECK(fixture.time.sleeps.back() == 80);
    // ... and then the slate is clean.
    fixture.time.sleeps.clear();
    CheckRefused(*authenticator, Basic("alice", "guess"));
    CHECK(fixture.time.sleeps.empty());
  }

  TEST_CASE("coral: a password change or a delete takes effect at once despite the cache") {
    Fixture fixture;
    store::User alice = fixture.AddUser("alice", "old-password");
    auto authenticator = fixture.Make(AuthMode::kCoral);
    REQUIRE(authenticator->Authenticate({Basic("alice", "old-password"), "a"}).ok());
    REQUIRE(authenticator->Authenticate({Basic("alice", "old-password"), "a"}).ok());  // cached
    alice.password_hash = HashPassword("new-password").value();
    REQUIRE(fixture.store->UpdateUser(alice).ok());
    CheckRefused(*authenticator, Basic("alice", "old-password"));
    REQUIRE(authenticator->Authenticate({Basic("alice", "new-password"), "a"}).ok());
    REQUIRE(fixture.store->DeleteUser(alice.id).ok());
    CheckRefused(*authenticator, Basic("alice", "new-password"));
  }

  TEST_CASE("coral: many requests at once, good and bad, get the right answers") {
    Fixture fixture;
    const store::User alice = fixture.AddUser("alice", "alice-password");
    AuthConfig config;
    config.mode = AuthMode::kCoral;
    config.throttle.base_delay = milliseconds(1);
    config.throttle.max_delay = milliseconds(5);
    auto made = MakeAuthenticator(config, *fixture.store);  // real time, tiny delays
    REQUIRE(made.ok());
    Authenticator& authenticator = *made.value();
    std::atomic<int> wrong_answers{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 3; ++i) {
          const bool good = (t + i) % 2 == 0;
          auto principal = authenticator.Authenticate(
              {Basic("alice", good ? "alice-password" : "bad-password"), "10.0.0.1"});
          if (principal.ok() != good || (good && principal.value().user_id != alice.id)) {
            ++wrong_answers;
          }
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(wrong_answers == 0);
  }

  TEST_CASE("ldap: the configuration is checked") {
    Fixture fixture;
    AuthConfig config;
    config.mode = AuthMode::kLdap;
    config.ldap.uri = "http://127.0.0.1:389";
    config.ldap.bind_dn_template = "uid={user},dc=example,dc=org";
    CHECK(MakeAuthenticator(config, *fixture.store).error().code == ErrorCode::kInvalidArgument);
    config.ldap.uri = "ldap://127.0.0.1:389";
    config.ldap.bind_dn_template = "uid=alice,dc=example,dc=org";
    CHECK(MakeAuthenticator(config, *fixture.store).error().code == ErrorCode::kInvalidArgument);
    config.ldap.bind_dn_template = "uid={user},dc=example,dc=org";
    config.ldap.timeout = milliseconds(0);
    CHECK(MakeAuthenticator(config, *fixture.store).error().code == ErrorCode::kInvalidArgument);
    config.ldap.timeout = milliseconds(100);
    CHECK(MakeAuthenticator(config, *fixture.store).ok());
  }

  TEST_CASE("ldap: user names are escaped into the bind DN") {
    CHECK(LdapBindDn("uid={user},ou=people,dc=example,dc=org", "alice.smith@x-y_z") ==
          "uid=alice.smith@x-y_z,ou=people,dc=example,dc=org");
    CHECK(LdapBindDn("uid={user},dc=x", "a,b=c+d\"e\\f<g>h;i# j") ==
          R"(uid=a\2Cb\3Dc\2Bd\22e\5Cf\3Cg\3Eh\3Bi\23\20j,dc=x)");
    CHECK(LdapBindDn("cn={user},uid={user}", "x") == "cn=x,uid=x");
  }
}

}  // namespace
}  // namespace coral::security
