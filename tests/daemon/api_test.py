"""corald's REST API end to end, auth mode accept-all: every endpoint with status and body, the
runtime lifecycle, PUT idempotency and replace, restart with state, bad requests, and 1,000
runtimes, all against the real binary over loopback."""
import json
import os
import subprocess
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Corald, wait_for  # noqa: E402

c = Checks()


def definition(name, stats_field="v", extra_actor=None, log_file=None):
    actors = [
        {"name": "s", "type": "stats", "params": {"field": stats_field}},
        {"name": "out", "type": "log", "params": {"file": log_file} if log_file else {}},
    ]
    if extra_actor:
        actors.append(extra_actor)
    return {"name": name, "description": "test", "actors": actors,
            "links": [{"from": "s", "to": "out"}]}


def state_count(d, runtime, actor="s"):
    status, body = d.request("GET", "/api/runtimes/%s/actors/%s/state" % (runtime, actor))
    if status != 200:
        return None
    return body["state"].get("count")


def main():
    d = Corald(config="", args=["--auth-mode", "accept-all"])
    allowed = os.path.join(d.root, "allowed")
    os.makedirs(allowed)
    with open(d.config_path, "w") as f:
        f.write("log-dirs: [%s]\nmax-body-bytes: 65536\nsnapshot-interval: 1\n" % allowed)
    try:
        d.start()
        run(d, allowed)
    finally:
        if c.failures:
            print("--- corald stderr ---\n" + d.log())
        d.cleanup()
    return c.done("api_test")


def run(d, allowed):
    # Health, platform.
    body = c.expect(d.request("GET", "/api/health"), 200, "health")
    c.check(body.get("live") is True and body.get("ready") is True, "health says live and ready",
            body)
    body = c.expect(d.request("GET", "/api/platform/cluster"), 200, "cluster")
    c.check(body["cluster"]["enabled"] is False, "cluster disabled with --no-cluster", body)
    c.check(len(body["machines"]) == 1 and body["machines"][0]["status"] == "alive",
            "one machine, alive", body)
    self_address = body["cluster"]["self"]
    c.expect(d.request("GET", "/api/platform/cluster/" + self_address), 200, "cluster/self")
    c.expect(d.request("GET", "/api/platform/cluster/10.9.9.9:1"), 404, "cluster/unknown")
    c.expect(d.request("POST", "/api/platform/cluster", {"action": "join", "seeds": []}), 409,
             "join with --no-cluster")
    body = c.expect(d.request("GET", "/api/platform/settings"), 200, "settings")
    c.check(body["nodes"][0]["settings"]["auth-mode"] == "accept-all", "settings show auth-mode",
            body)
    c.expect(d.request("GET", "/api/platform/stats"), 200, "platform stats")

    # Create, read.
    body = c.expect(d.request("POST", "/api/runtimes", definition("alpha")), 201, "create")
    c.check(body.get("success") is True and body.get("created") is True and body.get("id"),
            "create answers success, created, id", body)
    uuid = body.get("id")
    c.check(body.get("definition", {}).get("name") == "alpha", "create returns the definition")
    c.expect(d.request("POST", "/api/runtimes", definition("alpha")), 409, "create twice")
    body = c.expect(d.request("GET", "/api/runtimes"), 200, "list")
    c.check([r["name"] for r in body["runtimes"]] == ["alpha"], "list has alpha", body)
    for rid in ("alpha", "coral-alpha", uuid):
        body = c.expect(d.request("GET", "/api/runtimes/" + rid), 200, "get by " + rid)
        c.check(body.get("uniqueName") == "coral-alpha" and body.get("status") == "created"
                and body.get("owner") == "coral" and body.get("json", {}).get("name") == "alpha"
                and body["copies"][0]["name"] == "alpha.1", "runtime shape by " + rid, body)
    body = c.expect(d.request("GET", "/api/runtimes/alpha/actors"), 200, "actors")
    c.check([a["name"] for a in body["actors"]] == ["s", "out"], "actors listed", body)
    body = c.expect(d.request("GET", "/api/runtimes/alpha/links"), 200, "links")
    c.check(body["links"] == [{"from": "s", "to": "out"}], "links listed", body)
    c.expect(d.request("GET", "/api/runtimes/alpha/actors/s"), 200, "actor definition")
    c.expect(d.request("POST", "/api/runtimes/alpha/actors/s", {"v": 1}), 409,
             "inject before start")

    # Start, inject, stats, state, shunt.
    body = c.expect(d.request("PATCH", "/api/runtimes/alpha", {"status": "start"}), 200, "start")
    c.check(body.get("status") == "running" and body.get("starttime"), "started", body)
    c.expect(d.request("PATCH", "/api/runtimes/alpha", {"status": "fly"}), 400, "bad patch")
    body = c.expect(d.request("POST", "/api/runtimes/alpha/actors/s", {"v": 1}), 200, "inject one")
    c.check(body.get("injected") == 1, "one injected", body)
    body = c.expect(d.request("POST", "/api/runtimes/alpha/actors/s",
                              [{"v": 2}, {"v": 3}, {"v": 4}]), 200, "inject array")
    c.check(body.get("injected") == 3, "three injected", body)
    body = c.expect(d.request("POST", "/api/runtimes/alpha/actors/s", [{"v": 5}, 7]), 400,
                    "inject array with a number")
    c.check("[1]" in body.get("details", ""), "400 names the index", body)
    c.expect(d.request("POST", "/api/runtimes/alpha/actors/s", "[1,"), 400, "inject malformed")
    c.expect(d.request("POST", "/api/runtimes/alpha/actors/nope", {"v": 1}), 404,
             "inject unknown actor")
    wait_for(lambda: state_count(d, "alpha") == 4, what="stats count 4")
    body = c.expect(d.request("GET", "/api/runtimes/alpha/actors/s/state"), 200, "state")
    c.check(body["state"]["count"] == 4 and body["state"]["max"] == 4, "state values", body)
    body = c.expect(d.request("GET", "/api/runtimes/alpha/stats"), 200, "runtime stats")
    c.check(body.get("totalActors") == 2 and body.get("totalMessages", 0) >= 4
            and "s" in body.get("counters", {}), "runtime stats shape", body)
    body = c.expect(d.request("GET", "/api/runtimes/alpha.1/stats"), 200, "copy stats")
    c.check(body.get("totalMessages", 0) >= 4, "copy stats", body)
    c.expect(d.request("GET", "/api/runtimes/alpha.2/stats"), 404, "stats of a missing copy")
    body = c.expect(d.request("GET", "/api/runtimes/alpha/actors/s/stats"), 200, "actor stats")
    c.check(body["stats"]["received"] == 4, "actor received 4", body)
    body = c.expect(d.request("POST", "/api/runtimes/alpha/actors/s/shunt", {"v": 10}), 200,
                    "shunt")
    c.check(body == [], "stats emits nothing when shunted", body)
    wait_for(lambda: state_count(d, "alpha") == 5, what="count 5 after shunt")
    log_path = os.path.join(d.data_dir, "logs", "coral-alpha", "out.log")
    wait_for(lambda: os.path.exists(log_path), what="default log file " + log_path)

    # Metrics.
    status, text = d.request("GET", "/metrics", raw=True)
    c.check(status == 200, "metrics 200", status)
    c.check('coral_actor_received_total{runtime="coral-alpha",actor="s",copy="alpha.1"' in text,
            "metrics carry per actor counters", text[:500])
    c.check("# TYPE coral_actor_queue_depth gauge" in text, "metrics have queue depth")

    # PUT: unchanged, replaced keeping state, replaced resetting a changed actor.
    body = c.expect(d.request("PUT", "/api/runtimes/alpha", definition("alpha")), 200, "put same")
    c.check(body.get("result") == "unchanged", "same definition: unchanged", body)
    extra = {"name": "t", "type": "stats", "params": {"field": "w"}}
    body = c.expect(d.request("PUT", "/api/runtimes/alpha", definition("alpha", extra_actor=extra)),
                    200, "put with a new actor")
    c.check(body.get("result") == "replaced" and body.get("status") == "running",
            "replaced, still running", body)
    c.check(state_count(d, "alpha") == 5, "unchanged actor kept its state",
            state_count(d, "alpha"))
    body = c.expect(d.request("PUT", "/api/runtimes/alpha",
                              definition("alpha", stats_field="w", extra_actor=extra)), 200,
                    "put with changed params")
    c.check(state_count(d, "alpha") == 0, "changed actor starts afresh", state_count(d, "alpha"))
    c.expect(d.request("PUT", "/api/runtimes/alpha", definition("beta")), 400, "put renaming")
    body = c.expect(d.request("PUT", "/api/runtimes/gamma", definition("gamma")), 201,
                    "put creates")
    c.check(body.get("result") == "created", "put: created", body)
    c.expect(d.request("PUT", "/api/runtimes/alpha", definition("alpha")), 200, "put back")
    d.request("POST", "/api/runtimes/alpha/actors/s", [{"v": 1}, {"v": 2}, {"v": 3}])
    wait_for(lambda: state_count(d, "alpha") == 3, what="count 3")

    # YAML bodies.
    yaml_def = "name: delta\nactors:\n  - name: s\n    type: stats\n    params: {field: v}\n"
    c.expect(d.request("POST", "/api/runtimes", yaml_def,
                       headers={"Content-Type": "application/yaml"}), 201, "create from YAML")
    body = c.expect(d.request("POST", "/api/runtimes", "name: [unclosed\n",
                              headers={"Content-Type": "application/yaml"}), 400, "malformed YAML")
    c.check(body.get("success") is False and body.get("reason") and body.get("details"),
            "error shape", body)
    c.expect(d.request("POST", "/api/runtimes", '{"name": "x", '), 400, "malformed JSON")
    body = c.expect(d.request("POST", "/api/runtimes",
                              {"name": "bad", "actors": [{"name": "a", "type": "nosuch"}]}), 400,
                    "invalid definition")
    c.check(body.get("reason") == "invalid definition" and "actors[0]" in body.get("details", ""),
            "diagnostics in details", body)
    body = c.expect(d.request("POST", "/api/runtimes",
                              definition("escape", log_file="/etc/coral-test.log")), 400,
                    "log file outside log-dirs")
    c.check("`out`" in body.get("details", "") and "log-dirs" in body.get("details", ""),
            "400 names the actor and log-dirs", body)
    c.expect(d.request("POST", "/api/runtimes", definition("climb", log_file="../../x.log")), 400,
             "relative log file climbing out")
    c.expect(d.request("POST", "/api/runtimes",
                       definition("inside", log_file=os.path.join(allowed, "x.log"))), 201,
             "log file inside log-dirs")
    c.expect(d.request("POST", "/api/runtimes", "x" * 70000), 413, "body over the limit")
    c.expect(d.request("GET", "/api/runtimes/nosuch"), 404, "unknown runtime")
    c.expect(d.request("GET", "/api/runtimes/nosuch/stats"), 404, "unknown runtime stats")
    c.expect(d.request("GET", "/api/nothing/here"), 404, "unknown path")
    status, body = d.request("PUT", "/api/runtimes", definition("x"))
    c.check(status == 405 and "GET" in d.last_headers.get("Allow", ""), "405 with Allow",
            (status, body))
    c.expect(d.request("DELETE", "/api/platform/stats"), 405, "wrong method on platform")

    # Permissions (accept-all: the store user is `coral`).
    body = c.expect(d.request("POST", "/api/runtimes/alpha/permissions",
                              {"user": "coral", "method": "GET", "allowed": True}), 201,
                    "add permission")
    pid = body["permission"]["id"]
    body = c.expect(d.request("GET", "/api/runtimes/alpha/permissions"), 200, "list permissions")
    c.check(len(body["permissions"]) == 1, "one permission", body)
    body = c.expect(d.request("PATCH", "/api/runtimes/alpha/permissions/" + pid,
                              {"allowed": False}), 200, "patch permission")
    c.check(body["permission"]["allowed"] is False, "denied now", body)
    c.expect(d.request("PATCH", "/api/runtimes/alpha/permissions/" + pid, {"allowed": True}), 200,
             "patch permission back")
    c.expect(d.request("DELETE", "/api/runtimes/alpha/permissions/" + pid), 200,
             "delete permission")
    c.expect(d.request("DELETE", "/api/runtimes/alpha/permissions/" + pid), 404,
             "delete it again")

    # Users (accept-all: the implicit user is an admin).
    body = c.expect(d.request("POST", "/api/users", {"name": "ann", "fullname": "Ann",
                                                      "password": "correct horse battery"}), 201,
                    "create user")
    c.check("password" not in json.dumps(body) or "password_hash" not in json.dumps(body),
            "no password in the answer", body)
    body = c.expect(d.request("GET", "/api/users"), 200, "list users")
    c.check("ann" in [u["name"] for u in body["users"]], "ann listed", body)
    c.expect(d.request("GET", "/api/users/ann"), 200, "get user")
    c.expect(d.request("DELETE", "/api/users/ann"), 200, "delete user")
    c.expect(d.request("GET", "/api/users/ann"), 404, "deleted user")

    # Restart: runtimes, status and state come back.
    c.check(d.stop() == 0, "SIGTERM exits 0")
    d.start()
    body = c.expect(d.request("GET", "/api/runtimes/alpha"), 200, "alpha after restart")
    c.check(body.get("status") == "running", "alpha running after restart", body)
    c.check(state_count(d, "alpha") == 3, "stats count survives the restart",
            state_count(d, "alpha"))
    body = c.expect(d.request("GET", "/api/runtimes/gamma"), 200, "gamma after restart")
    c.check(body.get("status") == "created", "gamma still created", body)

    # Stop, delete.
    body = c.expect(d.request("PATCH", "/api/runtimes/alpha", {"status": "stop"}), 200, "stop")
    c.check(body.get("status") == "stopped", "stopped", body)
    c.expect(d.request("POST", "/api/runtimes/alpha/actors/s", {"v": 1}), 409, "inject stopped")
    c.expect(d.request("DELETE", "/api/runtimes/gamma"), 200, "delete")
    c.expect(d.request("GET", "/api/runtimes/gamma"), 404, "deleted is gone")

    # A second corald on the same API port fails to start, saying why; the first keeps serving.
    second = Corald(port=d.port, args=["--auth-mode", "accept-all"])
    try:
        done = subprocess.run(second.command(), stderr=subprocess.PIPE, timeout=20)
        c.check(done.returncode != 0 and b"cannot listen on 127.0.0.1:%d" % d.port in done.stderr,
                "a second corald on the same port exits non-zero, naming the address",
                (done.returncode, done.stderr[-300:]))
    finally:
        second.cleanup()
    c.expect(d.request("GET", "/api/health"), 200, "health after the second daemon gave up")

    # 1,000 runtimes, then the list, while the daemon keeps serving.
    t0 = time.monotonic()
    made = 0
    for i in range(1000):
        status, _ = d.request("POST", "/api/runtimes",
                              {"name": "many-%04d" % i,
                               "actors": [{"name": "s", "type": "stats",
                                           "params": {"field": "v"}}]})
        made += status == 201
    elapsed = time.monotonic() - t0
    c.check(made == 1000, "1000 runtimes created", made)
    body = c.expect(d.request("GET", "/api/runtimes"), 200, "list 1000+")
    c.check(len(body["runtimes"]) >= 1000, "all listed", len(body["runtimes"]))
    print("1000 runtimes created in %.1f s" % elapsed)
    c.expect(d.request("GET", "/api/health"), 200, "health after the load")
    body = c.expect(d.request("DELETE", "/api/runtimes"), 200, "delete all of mine")
    c.check(len(body["deleted"]) >= 1000, "all deleted", len(body["deleted"]))
    body = c.expect(d.request("GET", "/api/runtimes"), 200, "list after delete all")
    c.check(body["runtimes"] == [], "nothing left", body)
    c.check(d.stop(signal.SIGINT) == 0, "SIGINT exits 0")


if __name__ == "__main__":
    sys.exit(main())
