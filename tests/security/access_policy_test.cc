#include "security/access_policy.h"

#include <doctest/doctest.h>

namespace coral::security {
namespace {

const Principal kAlice{"id-alice", "alice", false};  // owns the runtime
const Principal kBob{"id-bob", "bob", false};
const Principal kRoot{"id-root", "root", true};  // an admin, not the owner

store::Runtime AlicesRuntime() {
  store::Runtime runtime;
  runtime.id = "8f14e45f-ceea-467f-a5c3-3b8d2e2b4a11";
  runtime.owner_id = kAlice.user_id;
  runtime.owner_name = "alice";
  runtime.name = "rt";
  runtime.unique_name = "alice-rt";
  return runtime;
}

store::Permission MakePermission(const Principal& who, std::string method, std::string url,
                                 bool allowed, std::optional<std::string> runtime_id = {}) {
  store::Permission permission;
  permission.id = "p-" + who.name + "-" + method;
  permission.user_id = who.user_id;
  permission.runtime_id = std::move(runtime_id);
  permission.method = std::move(method);
  permission.url = std::move(url);
  permission.allowed = allowed;
  return permission;
}

bool Allowed(AuthMode mode, const Principal& who, const std::vector<store::Permission>& granted,
             std::string_view method, std::string_view path,
             const store::Runtime* runtime = nullptr) {
  return AccessPolicy(mode).Check(who, granted, {method, path, runtime}).allowed;
}

TEST_SUITE("security: access policy") {
  TEST_CASE("the matrix: mode x user x permission x method on a runtime") {
    const store::Runtime runtime = AlicesRuntime();
    enum class Grant { kNone, kAllow, kDeny, kAllowOtherMethod };
    for (AuthMode mode :
         {AuthMode::kAcceptAll, AuthMode::kDenyAll, AuthMode::kCoral, AuthMode::kLdap}) {
      for (const Principal* who : {&kAlice, &kBob, &kRoot}) {
        for (Grant grant : {Grant::kNone, Grant::kAllow, Grant::kDeny, Grant::kAllowOtherMethod}) {
          for (std::string_view method : {"GET", "POST", "PATCH", "DELETE"}) {
            for (std::string_view path :
                 {"/api/runtimes/alice-rt", "/api/runtimes/alice-rt/actors/a/stats"}) {
              std::vector<store::Permission> granted;
              if (grant == Grant::kAllow || grant == Grant::kDeny) {
                granted.push_back(MakePermission(
                    *who, std::string(method), "/api/runtimes/alice-rt*", grant == Grant::kAllow));
              } else if (grant == Grant::kAllowOtherMethod) {
                granted.push_back(MakePermission(*who, method == "GET" ? "POST" : "GET",
                                                 "/api/runtimes/alice-rt*", true));
              }
              bool expected;
              if (mode == AuthMode::kAcceptAll) {
                expected = true;
              } else if (mode == AuthMode::kDenyAll) {
                expected = false;
              } else if (grant == Grant::kDeny) {
                expected = false;  // a deny wins, even for the owner
              } else if (who == &kAlice) {
                expected = true;  // the owner may do anything not denied
              } else {
                expected = grant == Grant::kAllow;  // others only when allowed, admins too
              }
              CAPTURE(ToString(mode));
              CAPTURE(who->name);
              CAPTURE(static_cast<int>(grant));
              CAPTURE(method);
              CAPTURE(path);
              CHECK(Allowed(mode, *who, granted, method, path, &runtime) == expected);
            }
          }
        }
      }
    }
  }

  TEST_CASE("a user trying another user's runtime is denied, whatever they hold on their own") {
    const store::Runtime alices = AlicesRuntime();
    store::Runtime bobs = AlicesRuntime();
    bobs.id = "0cc175b9-c0f1-4b6a-931c-99e4b2d3f6a7";
    bobs.owner_id = kBob.user_id;
    bobs.owner_name = "bob";
    bobs.unique_name = "bob-rt";
    const std::vector<store::Permission> bob_on_his_own = {
        MakePermission(kBob, "*", "*", true, bobs.id)};
    CHECK(Allowed(AuthMode::kCoral, kBob, bob_on_his_own, "GET", "/api/runtimes/bob-rt", &bobs));
    CHECK_FALSE(
        Allowed(AuthMode::kCoral, kBob, bob_on_his_own, "GET", "/api/runtimes/alice-rt", &alices));
    CHECK_FALSE(
        Allowed(AuthMode::kCoral, kBob, {}, "DELETE", "/api/runtimes/" + alices.id, &alices));
    // Alice's permission list does not help Bob.
    const std::vector<store::Permission> alices_grant = {MakePermission(kAlice, "*", "*", true)};
    CHECK_FALSE(
        Allowed(AuthMode::kCoral, kBob, alices_grant, "GET", "/api/runtimes/alice-rt", &alices));
    auto decision =
        AccessPolicy(AuthMode::kCoral).Check(kBob, {}, {"GET", "/api/runtimes/alice-rt", &alices});
    CHECK(decision.reason == "not the owner of runtime alice-rt and no permission allows it");
  }

  TEST_CASE("a runtime's permission matches whichever way the request names it") {
    const store::Runtime runtime = AlicesRuntime();
    const std::string by_id = "/api/runtimes/" + runtime.id + "/actors/a/state";
    const std::vector<store::Permission> by_unique = {
        MakePermission(kBob, "GET", "/api/runtimes/alice-rt/*", true)};
    CHECK(Allowed(AuthMode::kCoral, kBob, by_unique, "GET", by_id, &runtime));
    CHECK(Allowed(AuthMode::kCoral, kBob, by_unique, "GET", "/api/runtimes/alice-rt", &runtime));
    CHECK(Allowed(AuthMode::kCoral, kBob, by_unique, "GET", "/api/runtimes/alice-rt.2/stats",
                  &runtime));
    const std::vector<store::Permission> one_copy = {
        MakePermission(kBob, "GET", "/api/runtimes/alice-rt.2/stats", true)};
    CHECK(Allowed(AuthMode::kCoral, kBob, one_copy, "GET", "/api/runtimes/alice-rt.2/stats",
                  &runtime));
    CHECK_FALSE(Allowed(AuthMode::kCoral, kBob, one_copy, "GET", "/api/runtimes/alice-rt.1/stats",
                        &runtime));
    // The short name counts only for permissions scoped to the runtime.
    const std::vector<store::Permission> by_short = {
        MakePermission(kBob, "GET", "/api/runtimes/rt/*", true)};
    CHECK_FALSE(Allowed(AuthMode::kCoral, kBob, by_short, "GET", by_id, &runtime));
    const std::vector<store::Permission> scoped_short = {
        MakePermission(kBob, "GET", "/api/runtimes/rt/*", true, runtime.id)};
    CHECK(Allowed(AuthMode::kCoral, kBob, scoped_short, "GET", by_id, &runtime));
    // A scoped permission does not apply to another runtime, even with a matching url.
    store::Runtime other = runtime;
    other.id = "00000000-0000-4000-8000-000000000001";
    const std::vector<store::Permission> scoped_elsewhere = {
        MakePermission(kBob, "GET", "*", true, other.id)};
    CHECK_FALSE(Allowed(AuthMode::kCoral, kBob, scoped_elsewhere, "GET", by_id, &runtime));
  }

  TEST_CASE("only admins manage users; no permission grants it; a deny still wins") {
    const std::vector<store::Permission> bob_allowed = {
        MakePermission(kBob, "*", "/api/users*", true)};
    for (std::string_view method : {"GET", "POST", "DELETE"}) {
      CHECK(Allowed(AuthMode::kCoral, kRoot, {}, method, "/api/users"));
      CHECK(Allowed(AuthMode::kLdap, kRoot, {}, method, "/api/users/id-bob"));
      CHECK_FALSE(Allowed(AuthMode::kCoral, kBob, {}, method, "/api/users"));
      CHECK_FALSE(Allowed(AuthMode::kCoral, kBob, bob_allowed, method, "/api/users/id-bob"));
    }
    const std::vector<store::Permission> root_denied = {
        MakePermission(kRoot, "DELETE", "/api/users/*", false)};
    CHECK_FALSE(Allowed(AuthMode::kCoral, kRoot, root_denied, "DELETE", "/api/users/id-bob"));
    CHECK(Allowed(AuthMode::kCoral, kRoot, root_denied, "GET", "/api/users/id-bob"));
    CHECK(Allowed(AuthMode::kCoral, kBob, {}, "GET", "/api/usersx"));  // not under /api/users
  }

  TEST_CASE("requests not about an existing runtime") {
    for (std::string_view method : {"GET", "POST", "DELETE"}) {
      CHECK(Allowed(AuthMode::kCoral, kBob, {}, method, "/api/runtimes"));
    }
    CHECK(Allowed(AuthMode::kCoral, kBob, {}, "PUT", "/api/runtimes/new-one"));  // create
    CHECK(Allowed(AuthMode::kCoral, kBob, {}, "GET", "/api/platform/stats"));
    CHECK(Allowed(AuthMode::kCoral, kBob, {}, "GET", "/metrics"));
    CHECK_FALSE(Allowed(AuthMode::kCoral, kBob, {}, "POST", "/api/platform/cluster"));
    CHECK(Allowed(AuthMode::kCoral, kRoot, {}, "POST", "/api/platform/cluster"));
    const std::vector<store::Permission> bob_cluster = {
        MakePermission(kBob, "POST", "/api/platform/cluster", true)};
    CHECK(Allowed(AuthMode::kCoral, kBob, bob_cluster, "POST", "/api/platform/cluster"));
    const std::vector<store::Permission> bob_no_create = {
        MakePermission(kBob, "POST", "/api/runtimes", false)};
    CHECK_FALSE(Allowed(AuthMode::kCoral, kBob, bob_no_create, "POST", "/api/runtimes"));
    const std::vector<store::Permission> bob_no_stats = {
        MakePermission(kBob, "*", "/api/platform/*", false)};
    CHECK_FALSE(Allowed(AuthMode::kCoral, kBob, bob_no_stats, "GET", "/api/platform/stats"));
  }

  TEST_CASE("methods match in any case or by *") {
    const store::Runtime runtime = AlicesRuntime();
    const std::vector<store::Permission> star = {
        MakePermission(kBob, "*", "/api/runtimes/alice-rt", true)};
    CHECK(Allowed(AuthMode::kCoral, kBob, star, "PATCH", "/api/runtimes/alice-rt", &runtime));
    const std::vector<store::Permission> get = {
        MakePermission(kBob, "GET", "/api/runtimes/alice-rt", true)};
    CHECK(Allowed(AuthMode::kCoral, kBob, get, "get", "/api/runtimes/alice-rt", &runtime));
    CHECK_FALSE(Allowed(AuthMode::kCoral, kBob, get, "POST", "/api/runtimes/alice-rt", &runtime));
  }

  TEST_CASE("url patterns: exact, or a prefix with a trailing *") {
    CHECK(UrlMatches("/api/runtimes/x", "/api/runtimes/x"));
    CHECK_FALSE(UrlMatches("/api/runtimes/x", "/api/runtimes/x/actors"));
    CHECK_FALSE(UrlMatches("/api/runtimes/x", "/api/runtimes/xy"));
    CHECK(UrlMatches("/api/runtimes/x/*", "/api/runtimes/x/actors"));
    CHECK(UrlMatches("/api/runtimes/x/*", "/api/runtimes/x"));
    CHECK_FALSE(UrlMatches("/api/runtimes/x/*", "/api/runtimes/xy"));
    CHECK(UrlMatches("/api/runtimes/x*", "/api/runtimes/xy"));
    CHECK(UrlMatches("*", "/anything"));
    CHECK_FALSE(UrlMatches("", "/"));
    CHECK_FALSE(UrlMatches("/api/*/stats", "/api/runtimes/stats"));  // * only at the end
  }
}

}  // namespace
}  // namespace coral::security
