"""Starts the real corald on 127.0.0.1 with a free port and a temporary data directory, and talks
to it over HTTP (http.client, keep-alive). Used by tests/daemon/*_test.py and bench/."""
import base64
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

BIN = os.environ.get("CORAL_BIN") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "build")
CORALD = os.path.join(BIN, "corald")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Corald:
    def __init__(self, args=(), config=None, data_dir=None, port=None):
        self.root = tempfile.mkdtemp(prefix="corald-test-")
        self.data_dir = data_dir or os.path.join(self.root, "data")
        self.port = port or free_port()
        self.config_path = None
        if config is not None:
            self.config_path = os.path.join(self.root, "corald.yaml")
            with open(self.config_path, "w") as f:
                f.write(config)
        self.args = list(args)
        self.process = None
        self.stderr_path = os.path.join(self.root, "stderr.log")

    def command(self):
        cmd = [CORALD, "--api-interface", "127.0.0.1", "--api-port", str(self.port),
               "--data-dir", self.data_dir, "--no-cluster", "--gossip-port", str(free_port())]
        if self.config_path:
            cmd += ["--config", self.config_path]
        return cmd + self.args

    def start(self, timeout=20):
        self.stderr = open(self.stderr_path, "ab")
        self.process = subprocess.Popen(self.command(), stderr=self.stderr)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("corald exited with %d:\n%s" % (self.process.returncode,
                                                                    self.log()))
            try:
                status, _ = self.request("GET", "/api/health", timeout=1)
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("corald did not become healthy:\n" + self.log())

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            code = self.process.wait(timeout=timeout)
        else:
            code = self.process.returncode if self.process else 0
        self.process = None
        return code

    def cleanup(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self):
        try:
            with open(self.stderr_path, errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def request(self, method, path, body=None, user=None, password=None, headers=None,
                timeout=30, raw=False):
        """Returns (status, parsed JSON or text). `body`: a dict/list (sent as JSON) or bytes/str."""
        conn = getattr(self, "_conn", None)
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            self._conn = conn
        conn.timeout = timeout
        h = dict(headers or {})
        data = None
        if body is not None:
            if isinstance(body, (dict, list)):
                data = json.dumps(body).encode()
                h.setdefault("Content-Type", "application/json")
            else:
                data = body.encode() if isinstance(body, str) else body
                h.setdefault("Content-Type", "application/json")
        if user is not None:
            token = base64.b64encode(("%s:%s" % (user, password or "")).encode()).decode()
            h["Authorization"] = "Basic " + token
        try:
            conn.request(method, path, body=data, headers=h)
            response = conn.getresponse()
            payload = response.read()
        except (http.client.HTTPException, OSError):
            conn.close()
            self._conn = None
            raise
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            self._conn = None
        self.last_headers = dict(response.getheaders())
        text = payload.decode(errors="replace")
        if raw:
            return response.status, text
        try:
            return response.status, json.loads(text)
        except ValueError:
            return response.status, text


def wait_for(predicate, timeout=15, what="condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(0.02)
    raise AssertionError("timed out waiting for %s (last: %r)" % (what, last))


class Checks:
    """Counts failures instead of stopping at the first, and prints each."""

    def __init__(self):
        self.failures = 0
        self.passed = 0

    def check(self, condition, what, detail=None):
        if condition:
            self.passed += 1
        else:
            self.failures += 1
            print("FAIL: %s%s" % (what, "" if detail is None else " -- %r" % (detail,)))

    def expect(self, got, status, what):
        code, body = got
        self.check(code == status, "%s: expected %d, got %d" % (what, status, code), body)
        return body

    def done(self, name):
        print("%s: %d checks passed, %d failed" % (name, self.passed, self.failures))
        return 1 if self.failures else 0
