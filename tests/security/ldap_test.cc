// Auth mode ldap against a real OpenLDAP slapd (Debian packages slapd and ldap-utils), started
// by the test as its own process on 127.0.0.1 and a free port, with a slapd.conf and an mdb
// database in a scratch directory; entries are added with ldapadd, passwords hashed by
// slappasswd. Nothing leaves 127.0.0.1. When slapd cannot be started the test fails, loudly.
#include <ldap.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <doctest/doctest.h>

#include "security/authenticator.h"
#include "security/ldap_authenticator.h"
#include "store/scratch_dir.h"
#include "store/sqlite_store.h"

namespace coral::security {
namespace {

using coral::testing::ScratchDir;
using std::chrono::milliseconds;

constexpr const char* kSuffix = "dc=example,dc=org";
constexpr const char* kAdminDn = "cn=admin,dc=example,dc=org";
constexpr const char* kAdminPassword = "admin-secret";
constexpr const char* kTemplate = "uid={user},ou=people,dc=example,dc=org";

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs a program (no shell) with stdout and stderr captured into one string.
struct Ran {
  int exit_code = -1;
  std::string output;
};
Ran RunProgram(const std::vector<std::string>& argv) {
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  Ran ran;
  char buffer[4096];
  for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof buffer)) > 0;) ran.output.append(buffer, n);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ran.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return ran;
}

// A TCP port on 127.0.0.1 that was free a moment ago.
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  close(fd);
  return ntohs(address.sin_port);
}

bool CanConnect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return connected;
}

std::string SlapPassword(const std::string& password) {
  Ran ran = RunProgram({"/usr/sbin/slappasswd", "-h", "{SSHA}", "-s", password});
  REQUIRE_MESSAGE(ran.exit_code == 0, "slappasswd failed: ", ran.output);
  std::string hash = ran.output;
  while (!hash.empty() && (hash.back() == '\n' || hash.back() == '\r')) hash.pop_back();
  REQUIRE(hash.starts_with("{SSHA}"));
  return hash;
}

// slapd in the foreground (-d 0) as a child of the test, killed with it if the test dies.
class Slapd {
 public:
  Slapd() : dir_("coral-slapd") {
    for (const char* program : {"/usr/sbin/slapd", "/usr/sbin/slappasswd", "/usr/bin/ldapadd"}) {
      REQUIRE_MESSAGE(std::filesystem::exists(program), program,
                      " is missing: install slapd and ldap-utils (scripts/deps.sh test)");
    }
    setenv("LDAPNOINIT", "1", 1);  // neither libldap nor ldapadd read ldap.conf or ~/.ldaprc
    std::filesystem::create_directory(dir_.path() / "db");
    WriteConfig();
    // The port may be taken between FreePort and slapd's bind: try a few.
    for (int attempt = 0; attempt < 3 && pid_ < 0; ++attempt) Start(FreePort());
    REQUIRE_MESSAGE(pid_ > 0, "slapd did not start:\n", ReadFile(dir_.path() / "slapd.log"));
    AddEntries();
  }

  ~Slapd() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(milliseconds(50));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }

  std::string uri() const { return "ldap://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }

 private:
  void WriteConfig() {
    const std::string dir = dir_.path().string();
    std::ofstream conf(dir_.path() / "slapd.conf");
    conf << "include /etc/ldap/schema/core.schema\n"
         << "include /etc/ldap/schema/cosine.schema\n"
         << "include /etc/ldap/schema/inetorgperson.schema\n"
         << "pidfile " << dir << "/slapd.pid\n"
         << "argsfile " << dir << "/slapd.args\n"
         << "modulepath /usr/lib/ldap\n"
         << "moduleload back_mdb\n"
         // Accept "unauthenticated" binds (a DN with an empty password), as some servers do:
         // the authenticator must refuse empty passwords itself.
         << "allow bind_anon_dn\n"
         << "database mdb\n"
         << "maxsize 16777216\n"
         << "suffix \"" << kSuffix << "\"\n"
         << "rootdn \"" << kAdminDn << "\"\n"
         << "rootpw " << SlapPassword(kAdminPassword) << "\n"
         << "directory " << dir << "/db\n";
  }

  void Start(int port) {
    const std::string conf = (dir_.path() / "slapd.conf").string();
    const std::string log = (dir_.path() / "slapd.log").string();
    const std::string listen = "ldap://127.0.0.1:" + std::to_string(port) + "/";
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      FILE* out = freopen(log.c_str(), "a", stderr);
      (void)out;
      execl("/usr/sbin/slapd", "slapd", "-f", conf.c_str(), "-h", listen.c_str(), "-d", "0",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(pid, nullptr, WNOHANG) == pid) return;  // exited: port taken, or worse
      if (CanConnect(port)) {
        pid_ = pid;
        port_ = port;
        return;
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }

  void AddEntries() {
    std::ofstream ldif(dir_.path() / "entries.ldif");
    ldif << "dn: " << kSuffix << "\nobjectClass: dcObject\nobjectClass: organization\n"
         << "o: Example\ndc: example\n\n"
         << "dn: ou=people," << kSuffix << "\nobjectClass: organizationalUnit\nou: people\n\n";
    for (const auto& [uid, password] :
         {std::pair{"alice", "alice-ldap-pw"}, std::pair{"carol", "carol-ldap-pw"}}) {
      ldif << "dn: uid=" << uid << ",ou=people," << kSuffix << "\n"
           << "objectClass: inetOrgPerson\nuid: " << uid << "\ncn: " << uid << "\nsn: " << uid
           << "\nuserPassword: " << SlapPassword(password) << "\n\n";
    }
    ldif.close();
    Ran ran = RunProgram({"/usr/bin/ldapadd", "-x", "-H", uri(), "-D", kAdminDn, "-w",
                          kAdminPassword, "-f", (dir_.path() / "entries.ldif").string()});
    REQUIRE_MESSAGE(ran.exit_code == 0, "ldapadd failed: ", ran.output);
  }

  ScratchDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

std::string Basic(std::string_view user, std::string_view password) {
  std::string plain = std::string(user) + ":" + std::string(password);
  std::string out(sodium_base64_encoded_len(plain.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(plain.data()),
                    plain.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return "Basic " + out;
}

// A bind done directly with libldap, without the authenticator's guard on empty passwords.
int RawBind(const std::string& uri, const std::string& dn, const std::string& password) {
  LDAP* ld = nullptr;
  REQUIRE(ldap_initialize(&ld, uri.c_str()) == LDAP_SUCCESS);
  int version = LDAP_VERSION3;
  ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
  std::string secret = password;
  berval credentials{static_cast<ber_len_t>(secret.size()), secret.data()};
  int rc =
      ldap_sasl_bind_s(ld, dn.c_str(), LDAP_SASL_SIMPLE, &credentials, nullptr, nullptr, nullptr);
  ldap_unbind_ext_s(ld, nullptr, nullptr);
  return rc;
}

TEST_SUITE("security: ldap (real slapd on 127.0.0.1)") {
  TEST_CASE("binds: good user, wrong password, unknown user, empty password") {
    Slapd slapd;
    LdapConfig config;
    config.uri = slapd.uri();
    config.bind_dn_template = kTemplate;
    config.timeout = milliseconds(3000);

    CHECK(LdapSimpleBind(config, LdapBindDn(kTemplate, "alice"), "alice-ldap-pw").ok());
    auto wrong = LdapSimpleBind(config, LdapBindDn(kTemplate, "alice"), "wrong-password");
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == ErrorCode::kUnauthenticated);
    auto unknown = LdapSimpleBind(config, LdapBindDn(kTemplate, "mallory"), "alice-ldap-pw");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == ErrorCode::kUnauthenticated);

    // This server accepts a DN with an empty password (an unauthenticated bind) ...
    CHECK(RawBind(slapd.uri(), LdapBindDn(kTemplate, "alice"), "") == LDAP_SUCCESS);
    // ... so the authenticator must never send one.
    auto empty = LdapSimpleBind(config, LdapBindDn(kTemplate, "alice"), "");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error().code == ErrorCode::kUnauthenticated);
  }

  TEST_CASE("auth mode ldap: users map to store users, created without a password") {
    Slapd slapd;
    ScratchDir dir;
    auto store = store::SqliteStore::Open(dir.path());
    REQUIRE(store.ok());
    AuthConfig config;
    config.mode = AuthMode::kLdap;
    config.ldap.uri = slapd.uri();
    config.ldap.bind_dn_template = kTemplate;
    config.ldap.timeout = milliseconds(3000);
    config.ldap.admin_users = {"carol"};
    std::vector<long> sleeps;
    AuthTiming timing;
    timing.sleep = [&](milliseconds delay) { sleeps.push_back(delay.count()); };
    auto made = MakeAuthenticator(config, *store.value(), timing);
    REQUIRE_MESSAGE(made.ok(), made.error().message);
    Authenticator& ldap = *made.value();

    auto alice = ldap.Authenticate({Basic("alice", "alice-ldap-pw"), "127.0.0.1"});
    REQUIRE_MESSAGE(alice.ok(), alice.error().message);
    CHECK(alice.value().name == "alice");
    CHECK_FALSE(alice.value().admin);
    auto stored = store.value()->FindUserByName("alice");
    REQUIRE(stored.ok());
    CHECK(stored.value().id == alice.value().user_id);
    CHECK(stored.value().password_hash.empty());
    auto again = ldap.Authenticate({Basic("alice", "alice-ldap-pw"), "127.0.0.1"});
    REQUIRE(again.ok());
    CHECK(again.value().user_id == alice.value().user_id);

    auto carol = ldap.Authenticate({Basic("carol", "carol-ldap-pw"), "127.0.0.1"});
    REQUIRE(carol.ok());
    CHECK(carol.value().admin);
    CHECK(store.value()->FindUserByName("carol").value().admin);

    for (const auto& header :
         {Basic("alice", "wrong-password"), Basic("mallory", "any-pw-at-all"), Basic("alice", ""),
          Basic("alice,ou=x", "alice-ldap-pw"), Basic("*", "alice-ldap-pw"), std::string("Basic"),
          Basic("alice", "wrong-again")}) {
      auto refused = ldap.Authenticate({header, "127.0.0.1"});
      REQUIRE_FALSE(refused.ok());
      CHECK(refused.error().code == ErrorCode::kUnauthenticated);
    }
    CHECK_FALSE(store.value()->FindUserByName("mallory").ok());
    // Only attempts that reach the server are throttled: alice's second wrong password waited.
    CHECK(sleeps == std::vector<long>{250});
  }

  TEST_CASE("an LDAP server that is down or silent is kUnavailable, and not held against users") {
    ScratchDir dir;
    auto store = store::SqliteStore::Open(dir.path());
    REQUIRE(store.ok());
    // A port nobody listens on, and one that accepts connections but never answers.
    const int closed_port = FreePort();
    int silent = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(silent, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(listen(silent, 8) == 0);
    socklen_t length = sizeof address;
    REQUIRE(getsockname(silent, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    const int silent_port = ntohs(address.sin_port);

    for (int port : {closed_port, silent_port}) {
      AuthConfig config;
      config.mode = AuthMode::kLdap;
      config.ldap.uri = "ldap://127.0.0.1:" + std::to_string(port);
      config.ldap.bind_dn_template = kTemplate;
      config.ldap.timeout = milliseconds(300);
      std::vector<long> sleeps;
      AuthTiming timing;
      timing.sleep = [&](milliseconds delay) { sleeps.push_back(delay.count()); };
      auto made = MakeAuthenticator(config, *store.value(), timing);
      REQUIRE(made.ok());
      for (int i = 0; i < 3; ++i) {
        const auto started = std::chrono::steady_clock::now();
        auto result = made.value()->Authenticate({Basic("alice", "alice-ldap-pw"), "127.0.0.1"});
        const auto took = std::chrono::steady_clock::now() - started;
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().code == ErrorCode::kUnavailable);
        CHECK(took < std::chrono::seconds(3));
      }
      CHECK(sleeps.empty());
    }
    close(silent);
  }
}

}  // namespace
}  // namespace coral::security
