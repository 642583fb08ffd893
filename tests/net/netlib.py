# netlib.py - shared helpers for the socket-level tests in tests/net:
# a check counter, a demo workspace, a siren server on a free loopback
# port, raw-socket requests and http.client sign-in.
#
# Standard library only. Never prints passwords, cookies or tokens.
# SPDX-License-Identifier: AGPL-3.0-or-later
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

PASSPHRASE = "net-test passphrase: not a secret, 2026"


def siren_bin():
    return os.path.abspath(os.environ.get("SIREN", "./siren"))


def siren_env():
    env = dict(os.environ)
    env["SIREN_PASSPHRASE"] = PASSPHRASE
    return env


class Checks:
    """Counts checks; done() prints '<name>: N passed, N failed' and exits."""

    def __init__(self, name):
        self.name = name
        self.n_pass = 0
        self.n_fail = 0

    def check(self, cond, what):
        if cond:
            self.n_pass += 1
        else:
            self.n_fail += 1
            print("%s: FAILED: %s" % (self.name, what), file=sys.stderr)
        return cond

    def done(self):
        print("%s: %d passed, %d failed" % (self.name, self.n_pass,
                                            self.n_fail))
        sys.exit(1 if self.n_fail else 0)


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def make_workspace(tmp, store=None):
    """Make a demo workspace in tmp/ws (its tables in the PostgreSQL
    database store, or in SQLite); return (dir, {username: password})."""
    ws = os.path.join(tmp, "ws")
    extra = ["--store", store] if store else []
    out = subprocess.run([siren_bin(), "demo", ws, "--kdf", "interactive"] +
                         extra, env=siren_env(), capture_output=True,
                         text=True, timeout=300)
    if out.returncode != 0:
        raise RuntimeError("siren demo failed: " + out.stderr.strip())
    users = {}
    for line in out.stdout.splitlines():
        m = re.match(r"^  (demo\.[a-z]+)\s+(\S+)$", line)
        if m:
            users[m.group(1)] = m.group(2)
    if "demo.admin" not in users:
        raise RuntimeError("siren demo printed no demo.admin account")
    return ws, users


def cli(ws, *args, timeout=120):
    """Run 'siren ARGS -w WS'; return the CompletedProcess (text)."""
    return subprocess.run([siren_bin()] + list(args) + ["-w", ws],
                          env=siren_env(), capture_output=True, text=True,
                          timeout=timeout)


class Server:
    """One 'siren serve' process on a free 127.0.0.1 port."""

    def __init__(self, ws, tmp, extra=(), tag="serve"):
        self.ws = ws
        self.port = free_port()
        WORKSPACE_OF_PORT[self.port] = os.path.realpath(ws)
        self.log_path = os.path.join(tmp, "%s-%d.log" % (tag, self.port))
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [siren_bin(), "serve", "-w", ws, "--listen",
             "127.0.0.1:%d" % self.port] + list(extra),
            env=siren_env(), stdout=subprocess.DEVNULL, stderr=self.log)
        self.wait_ready()

    def wait_ready(self, timeout_s=20.0):
        deadline = time.time() + timeout_s
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("siren serve exited with %d:\n%s" %
                                   (self.proc.returncode, self.log_text()))
            try:
                st, _, _ = http_get(self.port, "/health", timeout=1.0)
                if st == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("siren serve did not answer /health")

    def log_text(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def term(self):
        """SIGTERM, wait; return (exit status, log has event=stopped)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.log.close()
        return rc, "event=stopped" in self.log_text()

    def kill(self):
        """SIGKILL and reap (crash simulation, or cleanup after a failure)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        if not self.log.closed:
            self.log.close()


def http_get(port, path, headers=None, timeout=10.0):
    return http_req(port, "GET", path, None, headers, timeout)


def http_req(port, method, path, body=None, headers=None, timeout=10.0):
    """One request on a new connection: (status, [(name, value)], bytes)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.getheaders(), r.read()
    finally:
        c.close()


def header(headers, name):
    """First value of header name (case-insensitive) or None."""
    for k, v in headers:
        if k.lower() == name.lower():
            return v
    return None


def set_cookies(headers):
    """{name: value} from the Set-Cookie headers."""
    out = {}
    for k, v in headers:
        if k.lower() == "set-cookie":
            pair = v.split(";", 1)[0]
            if "=" in pair:
                n, val = pair.split("=", 1)
                out[n.strip()] = val.strip()
    return out


CSRF_RE = re.compile(rb'name="csrf" value="([0-9a-fA-F]+)"')


def csrf_of(body):
    m = CSRF_RE.search(body)
    return m.group(1).decode() if m else None


def form(fields):
    from urllib.parse import urlencode
    return urlencode(fields)


FORM_CT = "application/x-www-form-urlencoded"


def login_start(port):
    """GET /login: (pre-session cookie value, csrf token)."""
    st, hs, body = http_get(port, "/login")
    if st != 200:
        raise RuntimeError("GET /login answered %d" % st)
    pre = set_cookies(hs).get("siren_pre")
    tok = csrf_of(body)
    if not pre or not tok:
        raise RuntimeError("GET /login gave no siren_pre cookie or csrf")
    return pre, tok


def totp_code(secret_b32, t=None):
    """The 6-digit RFC 6238 code (HMAC-SHA-1, 30 s steps) of a base32
    secret at unix time t, computed here with hmac and hashlib, as an
    authenticator app would: never by the server under test."""
    import base64
    import hashlib
    import hmac
    import struct
    import time
    key = base64.b32decode(secret_b32.replace(" ", "").upper())
    step = int((time.time() if t is None else t) // 30)
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    off = mac[-1] & 15
    n = struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF
    return "%06d" % (n % 1000000)


# the authenticator app of each account the tests enrolled: (workspace,
# user) -> [secret, last step typed] (a step's code is accepted once); the
# workspace, not the port, so that the account's app outlives a server
# restarted on another port (crash.py)
AUTHENTICATORS = {}
WORKSPACE_OF_PORT = {}  # port -> the workspace its Server serves


def account_of(port, user):
    """The key of user's authenticator for the server on port."""
    return (WORKSPACE_OF_PORT.get(port, port), user)
SECRET_RE = re.compile(rb'id="totp-secret" dir="ltr">([A-Z2-7 ]+)<')
PENDING_RE = re.compile(rb'name="pending" value="([0-9a-f]+)"')


def next_code(app):
    """A code of app's secret for a step not typed before (the one after
    the last, or the current; waits for the next step when both are
    used)."""
    import time
    while True:
        now = int(time.time() // 30)
        step = max(now - 1, app[1] + 1)
        if step <= now + 1:
            app[1] = step
            return totp_code(app[0], step * 30)
        time.sleep(1)


def second_step(port, pre, user, body):
    """After a right password answered with the enrolment page or the
    code page: enrol (reading the secret shown as text) or type a code;
    return (status, headers, body) of that step."""
    m = PENDING_RE.search(body)
    tok = csrf_of(body)
    if not m or not tok:
        raise RuntimeError("no second step after the password")
    fields = {"csrf": tok, "pending": m.group(1).decode()}
    sec = SECRET_RE.search(body)
    if sec:
        app = AUTHENTICATORS[account_of(port, user)] = [sec.group(1).decode(), 0]
        fields["secret"] = app[0]
        path = "/login/enrol"
    else:
        app = AUTHENTICATORS[account_of(port, user)]
        path = "/login/code"
    fields["code"] = next_code(app)
    return http_req(port, "POST", path, form(fields),
                    {"Content-Type": FORM_CT, "Cookie": "siren_pre=" + pre})


def sign_in(port, user, password):
    """Sign in (with the second step where the account has one); return
    (session cookie value, session csrf token)."""
    pre, tok = login_start(port)
    st, hs, body = http_req(port, "POST", "/login",
                            form({"csrf": tok, "username": user,
                                  "password": password}),
                            {"Content-Type": FORM_CT,
                             "Cookie": "siren_pre=" + pre})
    if st == 200 and PENDING_RE.search(body):
        st, hs, body = second_step(port, pre, user, body)
        st = 303 if st == 200 else st  # the enrolment's recovery codes
    sess = set_cookies(hs).get("siren_session")
    if st != 303 or not sess:
        raise RuntimeError("POST /login answered %d" % st)
    st, _, body = http_get(port, "/dashboard",
                           {"Cookie": "siren_session=" + sess})
    tok = csrf_of(body)
    if st != 200 or not tok:
        raise RuntimeError("GET /dashboard after sign-in answered %d" % st)
    return sess, tok


def post_from(port, sess, path, fields, client, timeout=60):
    """(status, Location) of a form POST with session sess from
    127.0.0.(20 + client) (each client its own address: the server limits
    connections per address), or ("error", reason) when the connection
    failed."""
    try:
        c = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=timeout,
            source_address=("127.0.0.%d" % (20 + client), 0))
        c.request("POST", path, body=form(fields),
                  headers={"Content-Type": FORM_CT,
                           "Cookie": "siren_session=" + sess})
        r = c.getresponse()
        r.read()
        c.close()
        return r.status, r.getheader("Location")
    except (OSError, http.client.HTTPException) as e:
        return "error", type(e).__name__


def raw(port, data, timeout=5.0, chunks=None, delay_s=0.0):
    """Send bytes (or chunks with a delay between) on a new connection and
    read until the server closes or timeout; returns the bytes read. A
    reset or a send refused after the server answered is not an error."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    out = b""
    try:
        try:
            for i, part in enumerate(chunks if chunks else [data]):
                if i > 0 and delay_s > 0:
                    time.sleep(delay_s)
                s.sendall(part)
        except (BrokenPipeError, ConnectionResetError):
            pass
        while True:
            try:
                d = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                break
            if not d:
                break
            out += d
    finally:
        s.close()
    return out


def parse_response(data):
    """(status, [(name, value)], body) of the first response in data, or
    (None, [], b'') if there is none."""
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return None, [], b""
    lines = head.split(b"\r\n")
    m = re.match(rb"^HTTP/1\.[01] (\d{3}) ", lines[0] + b" ")
    if not m:
        return None, [], b""
    hs = []
    for ln in lines[1:]:
        k, _, v = ln.partition(b":")
        hs.append((k.decode("latin-1").strip(),
                   v.decode("latin-1").strip()))
    return int(m.group(1)), hs, body


class _KeptDir:
    def __init__(self, prefix):
        self.name = tempfile.mkdtemp(prefix=prefix)

    def __enter__(self):
        print("keeping %s" % self.name, file=sys.stderr)
        return self.name

    def __exit__(self, *exc):
        return False


def tempdir(prefix):
    """A temporary directory, removed at the end unless SIREN_NET_KEEP=1."""
    if os.environ.get("SIREN_NET_KEEP") == "1":
        return _KeptDir(prefix)
    return tempfile.TemporaryDirectory(prefix=prefix)
