"""Authentication and authorization of corald's API end to end: auth mode coral with users made
offline by `corald user add --password-stdin`, and deny-all."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import CORALD, Checks, Corald  # noqa: E402

c = Checks()
PASSWORDS = {"root": "root-password-1", "alice": "alice-password-1", "bob": "bob-password-1"}


def user_add(data_dir, name, admin=False):
    cmd = [CORALD, "user", "add", name, "--password-stdin", "--data-dir", data_dir]
    if admin:
        cmd.append("--admin")
    done = subprocess.run(cmd, input=PASSWORDS[name] + "\n", text=True, capture_output=True,
                          timeout=60)
    c.check(done.returncode == 0, "corald user add %s" % name, done.stderr)
    c.check(PASSWORDS[name] not in done.stdout + done.stderr, "password not echoed")


def runtime(name):
    return {"name": name, "actors": [{"name": "s", "type": "stats", "params": {"field": "v"}}]}


def coral_mode():
    d = Corald(args=["--auth-mode", "coral"])
    try:
        user_add(d.data_dir, "root", admin=True)
        user_add(d.data_dir, "alice")
        user_add(d.data_dir, "bob")
        d.start()
        a = dict(user="alice", password=PASSWORDS["alice"])
        b = dict(user="bob", password=PASSWORDS["bob"])
        root = dict(user="root", password=PASSWORDS["root"])

        c.expect(d.request("GET", "/api/health"), 200, "health needs no credentials")
        c.expect(d.request("GET", "/api/runtimes"), 401, "no credentials")
        c.check("Basic" in d.last_headers.get("WWW-Authenticate", ""), "401 has WWW-Authenticate",
                d.last_headers)
        c.expect(d.request("GET", "/api/runtimes", user="alice", password="wrong-password"), 401,
                 "wrong password")
        body = c.expect(d.request("POST", "/api/runtimes", runtime("r"), **a), 201,
                        "alice creates r")
        c.expect(d.request("GET", "/api/runtimes/r", **a), 200, "owner reads by name")
        c.expect(d.request("GET", "/api/runtimes/alice-r", **a), 200, "owner reads by unique name")
        c.expect(d.request("PATCH", "/api/runtimes/r", {"status": "start"}, **a), 200,
                 "owner starts")
        c.expect(d.request("GET", "/api/runtimes/alice-r", **b), 403, "bob on alice's runtime")
        c.expect(d.request("GET", "/api/runtimes/" + body["id"] + "/stats", **b), 403,
                 "bob on alice's runtime by UUID")
        c.expect(d.request("PATCH", "/api/runtimes/alice-r", {"status": "stop"}, **b), 403,
                 "bob cannot stop it")
        listed = c.expect(d.request("GET", "/api/runtimes", **b), 200, "bob lists")
        c.check(listed.get("runtimes") == [], "bob sees none of alice's runtimes", listed)
        c.expect(d.request("POST", "/api/runtimes/r/permissions",
                           {"user": "bob", "method": "GET", "allowed": True}, **a), 201,
                 "alice allows bob GET")
        c.expect(d.request("GET", "/api/runtimes/alice-r", **b), 200, "bob reads with a permission")
        c.expect(d.request("GET", "/api/runtimes/alice-r/actors/s/state", **b), 200,
                 "bob reads the state")
        c.expect(d.request("PATCH", "/api/runtimes/alice-r", {"status": "stop"}, **b), 403,
                 "bob still cannot stop it")
        listed = c.expect(d.request("GET", "/api/runtimes", **b), 200, "bob lists again")
        c.check([r["uniqueName"] for r in listed.get("runtimes", [])] == ["alice-r"],
                "bob now sees alice-r", listed)
        c.expect(d.request("GET", "/api/users", **b), 403, "users: not for bob")
        c.expect(d.request("POST", "/api/users", {"name": "eve", "password": "eve-password-1"},
                           **a), 403, "users: not for alice")
        body = c.expect(d.request("GET", "/api/users", **root), 200, "users: admin lists")
        c.check(sorted(u["name"] for u in body.get("users", [])) == ["alice", "bob", "root"],
                "three users", body)
        c.expect(d.request("POST", "/api/users", {"name": "carol", "password": "carol-password-1"},
                           **root), 201, "admin creates carol")
        c.expect(d.request("GET", "/api/runtimes", user="carol", password="carol-password-1"), 200,
                 "carol logs in")
        c.expect(d.request("GET", "/api/runtimes/alice-r", **root), 403,
                 "admins get no implicit access to runtimes")
        c.expect(d.request("POST", "/api/platform/cluster", {"action": "leave"}, **b), 403,
                 "cluster leave: not for bob")
        c.expect(d.request("DELETE", "/api/runtimes/alice-r", **b), 403, "bob cannot delete")
        c.expect(d.request("DELETE", "/api/runtimes/r", **a), 200, "alice deletes")
        with open(d.stderr_path, errors="replace") as f:
            log = f.read()
        c.check(all(p not in log for p in PASSWORDS.values()), "no password in the log")
        c.check(d.stop() == 0, "clean stop")
    finally:
        if c.failures:
            print("--- corald stderr ---\n" + d.log())
        d.cleanup()


def deny_all_mode():
    d = Corald(args=["--auth-mode", "deny-all"])
    try:
        d.start()
        for method, path in [("GET", "/api/runtimes"), ("POST", "/api/runtimes"),
                             ("GET", "/api/runtimes/x"), ("GET", "/api/users"),
                             ("GET", "/api/platform/stats"), ("GET", "/metrics")]:
            status, _ = d.request(method, path, runtime("x") if method == "POST" else None)
            c.check(status in (401, 403), "deny-all %s %s" % (method, path), status)
        c.check(d.stop() == 0, "clean stop")
    finally:
        d.cleanup()


if __name__ == "__main__":
    coral_mode()
    deny_all_mode()
    sys.exit(c.done("auth_test"))
