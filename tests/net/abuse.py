#!/usr/bin/env python3
# abuse.py - one client must not be able to starve the others.
#
# Serves a demo workspace and signs in one client that reads /dashboard
# over and over (a new connection each time, like a browser whose
# keep-alive ran out), while attackers:
#   - flood POST /login with wrong passwords: N clients, each from its own
#     loopback address (127.0.0.x) so the per-address limit alone does not
#     stop them and the password hashing queue is really tried;
#   - hold 1,000 slow connections that send a request head one byte at a
#     time, from 20 addresses (50 each, under the per-address limit), and
#     open a new one whenever the server closes one.
# Without the defences the reader's requests took up to 21 s (flood) or
# timed out (slow connections, and for 30 s after the attacker left).
#
# As a test (default): short phases with checks: no request of the reader
# fails and none takes 2 s or more; the flood gets 429 with Retry-After,
# each held back a second (so the refusals do not become a flood); a
# legitimate sign-in succeeds during the flood; the slow connections are
# all still open while the reader is served (so closing them is not what
# saves it), then closed at the head deadline with a 408 although they
# kept sending; after the attacker leaves the server answers at once; a
# 65th connection from one address is refused; plus the parsing cases
# (space before a colon, NUL in the target, empty Host, a malformed
# Content-Length answered once with our headers).
# With --bench SECONDS (bench/abuse): the reader's p99 without attack and
# under each attack, and the ratios; no checks but "no request failed".
#
# Standard library only; attackers run in their own processes so the
# reader's timings are not its own interpreter's. Never prints passwords.
# SPDX-License-Identifier: AGPL-3.0-or-later
import argparse
import errno
import multiprocessing as mp
import os
import random
import resource
import selectors
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netlib  # noqa: E402
from netlib import header, parse_response, raw  # noqa: E402

T = netlib.Checks("abuse")
HEAD_TIMEOUT_MS = 8000  # the test's request_head_timeout_ms
N_SLOW = 1000
SLOW_ADDRS = 20


def p99(xs):
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[min(len(s) - 1, int(len(s) * 0.99))]


# ---- the signed-in reader ------------------------------------------------

def reader(port, session, seconds, out):
    """GET /dashboard for seconds; put (latencies in ms, failures)."""
    lat, fails = [], []
    end = time.time() + seconds
    while time.time() < end:
        t0 = time.perf_counter()
        try:
            st, _, body = netlib.http_get(
                port, "/dashboard", {"Cookie": "siren_session=" + session},
                timeout=30)
            ok = st == 200 and b"csrf" in body
            if not ok:
                fails.append("status %d" % st)
        except OSError as e:
            fails.append(type(e).__name__)
        lat.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.02)
    out.put((lat, fails))


def run_reader(port, session, seconds):
    q = mp.Queue()
    p = mp.Process(target=reader, args=(port, session, seconds, q))
    p.start()
    lat, fails = q.get(timeout=seconds + 120)
    p.join()
    return lat, fails


# ---- sign-in flood -------------------------------------------------------

def flood_client(port, i, users, stop, counts, lock):
    src = ("127.0.0.%d" % (10 + i), 0)
    rng = random.Random(i)
    # a genuine signed pre-sign-in pair, as a browser gets from /login, so
    # every attempt reaches the password check (an invented one is 403)
    pre, tok = netlib.login_start(port)
    while not stop.is_set():
        user = rng.choice(users)
        body = netlib.form({"username": user, "password": "not-it-%d" %
                            rng.randrange(1 << 30), "csrf": tok})
        try:
            c = netlib.http.client.HTTPConnection(
                "127.0.0.1", port, timeout=30, source_address=src)
            c.request("POST", "/login", body=body,
                      headers={"Content-Type": netlib.FORM_CT,
                               "Cookie": "siren_pre=" + pre})
            r = c.getresponse()
            r.read()
            key = r.status
            if r.status == 429 and r.getheader("Retry-After"):
                key = "429+retry"
            c.close()
        except OSError:
            key = "error"
        with lock:
            counts[key] = counts.get(key, 0) + 1


def flood(port, n, users, seconds, out):
    stop = threading.Event()
    counts, lock = {}, threading.Lock()
    ths = [threading.Thread(target=flood_client,
                            args=(port, i, users, stop, counts, lock))
           for i in range(n)]
    for t in ths:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in ths:
        t.join(60)
    out.put(counts)


# ---- slow connections ----------------------------------------------------

HEAD = (b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n" +
        b"X-Pad: " + b"a" * 4000 + b"\r\n\r\n")


def slow(port, n, seconds, reopen, ready, out):
    """Hold n connections, each sending HEAD one byte a second; with
    reopen, replace each one the server closes. Put a summary dict."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n + 100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 200), hard))
    sel = selectors.DefaultSelector()
    conns = {}  # socket -> [bytes sent, opened at, data received]
    stats = {"opened": 0, "closed_by_server": 0, "got_408": 0,
             "close_after_s": [], "refused": 0}

    def open_one(k):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.%d" % (100 + k % SLOW_ADDRS), 0))
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        conns[s] = [0, time.time(), b""]
        sel.register(s, selectors.EVENT_READ)
        stats["opened"] += 1

    for k in range(n):
        try:
            open_one(k)
        except OSError:
            stats["refused"] += 1
    ready.set()
    end = time.time() + seconds
    next_tick = time.time()
    k = n
    while time.time() < end:
        timeout = max(0.0, next_tick - time.time())
        for key, _ in sel.select(timeout=min(timeout, 0.2)):
            s = key.fileobj
            try:
                d = s.recv(4096)
            except OSError:
                d = b""
            if d:
                conns[s][2] += d
                continue
            st = conns.pop(s)
            sel.unregister(s)
            s.close()
            stats["closed_by_server"] += 1
            stats["close_after_s"].append(time.time() - st[1])
            if st[2].startswith(b"HTTP/1.1 408"):
                stats["got_408"] += 1
            if reopen:
                try:
                    open_one(k)
                    k += 1
                except OSError:
                    stats["refused"] += 1
        if time.time() >= next_tick:
            next_tick += 1.0
            for s, st in list(conns.items()):
                if st[0] < len(HEAD) - 4:  # never finish the head
                    try:
                        s.send(HEAD[st[0]:st[0] + 1])
                        st[0] += 1
                    except BlockingIOError:
                        pass
                    except OSError as e:
                        if e.errno not in (errno.ENOTCONN, errno.EAGAIN):
                            pass
        stats["open_now"] = len(conns)
    stats["open_at_end"] = len(conns)
    for s in list(conns):
        s.close()
    out.put(stats)


def niced(n, fn, *args):
    """fn(*args) at n steps of lower CPU priority (os.nice)."""
    os.nice(n)
    fn(*args)


class Attack:
    """Run an attacker function in its own process, at attacker_nice steps
    of lower CPU priority (bench --attacker-nice; 0 in the test)."""
    attacker_nice = 0

    def __init__(self, fn, *args):
        self.q = mp.Queue()
        self.ready = mp.Event()
        if fn is slow:
            args = args + (self.ready, self.q)
        else:
            args = args + (self.q,)
            self.ready.set()
        self.p = mp.Process(target=niced,
                            args=(Attack.attacker_nice, fn) + args)
        self.p.start()
        self.ready.wait(60)

    def result(self, timeout=180):
        r = self.q.get(timeout=timeout)
        self.p.join(30)
        return r


# ---- the test ------------------------------------------------------------

def signin_during_flood(port, user, password):
    """A real sign-in while the flood runs: retried on 429 as Retry-After
    says. Returns (succeeded, seconds, n_429)."""
    t0 = time.time()
    n429 = 0
    while time.time() - t0 < 30:
        pre, tok = netlib.login_start(port)
        st, hs, _ = netlib.http_req(
            port, "POST", "/login",
            netlib.form({"csrf": tok, "username": user, "password": password}),
            {"Content-Type": netlib.FORM_CT, "Cookie": "siren_pre=" + pre},
            timeout=30)
        if st == 303:
            return True, time.time() - t0, n429
        if st != 429:
            return False, time.time() - t0, n429
        n429 += 1
        time.sleep(float(header(hs, "Retry-After") or 1))
    return False, time.time() - t0, n429


def check_reader(case, lat, fails, limit_ms=2000):
    T.check(len(lat) >= 5, "%s: the reader made only %d requests" %
            (case, len(lat)))
    T.check(not fails, "%s: %d reader requests failed: %s" %
            (case, len(fails), fails[:5]))
    T.check(max(lat or [0]) < limit_ms,
            "%s: slowest reader request took %.0f ms" % (case, max(lat or [0])))
    print("abuse: %s: reader p99 %.1f ms, max %.1f ms, %d requests" %
          (case, p99(lat), max(lat or [0]), len(lat)), file=sys.stderr)


def flood_names(users, spare):
    """The names a flood tries: the demo accounts but spare (a flood at an
    account locks it, by design: that is the lockout), and unknown ones."""
    return [u for u in sorted(users) if u != spare] + \
        ["nobody.%d" % i for i in range(8)]


def test_flood(port, session, users):
    att = Attack(flood, port, 16, flood_names(users, "demo.hotline"), 6.0)
    time.sleep(0.5)
    t0 = time.time()
    worst, bad = 0.0, []
    while time.time() - t0 < 2.0:
        t1 = time.time()
        st, _, _ = netlib.http_get(port, "/health", timeout=30)
        worst = max(worst, time.time() - t1)
        if st != 200:
            bad.append(st)
    T.check(not bad, "flood: /health answered %s" % bad[:5])
    T.check(worst < 1.0, "flood: /health took %.2f s" % worst)
    ok, took, n429 = signin_during_flood(port, "demo.hotline",
                                         users["demo.hotline"])
    T.check(ok, "flood: a real sign-in failed (%.1f s, %d x 429)" %
            (took, n429))
    lat, fails = run_reader(port, session, 2.0)
    counts = att.result()
    check_reader("sign-in flood of 16", lat, fails)
    print("abuse: flood answers %r; real sign-in in %.1f s after %d x 429" %
          (counts, took, n429), file=sys.stderr)
    T.check(counts.get("429+retry", 0) > 0,
            "flood: no 429 with Retry-After: %r" % counts)
    T.check(counts.get(429, 0) == 0, "flood: a 429 without Retry-After")
    T.check(counts.get(401, 0) > 0,
            "flood: no attempt reached the password check: %r" % counts)
    T.check(counts.get(403, 0) == 0,
            "flood: attempts refused as forged: %r" % counts)
    # a 429 is held a second before it is sent: 16 clients asking again
    # at once still ask about once a second each (15,000 in 6 s before)
    n_all = sum(counts.values())
    T.check(n_all < 16 * 6 * 2, "flood: %d answers in 6 s: refusals are not "
            "held back" % n_all)
    T.check(counts.get("error", 0) == 0, "flood: %d flood requests failed" %
            counts.get("error", 0))


def test_slow(port, session):
    att = Attack(slow, port, N_SLOW, HEAD_TIMEOUT_MS / 1000 + 4.0, False)
    time.sleep(1.0)
    lat, fails = run_reader(port, session, 4.0)
    try:
        st = netlib.http_get(port, "/health", timeout=10)[0]
    except OSError as e:
        st = "error %s" % e
    T.check(st == 200, "slow: /health answered %s" % st)
    stats = att.result()
    check_reader("1,000 slow connections", lat, fails)
    T.check(stats["opened"] == N_SLOW and stats["refused"] == 0,
            "slow: opened %d, refused %d" % (stats["opened"],
                                             stats["refused"]))
    early = [t for t in stats["close_after_s"] if t < 5.0]
    T.check(not early, "slow: %d connections closed before the reader was "
            "done: the reader was not served while 1,000 were open" %
            len(early))
    T.check(stats["open_at_end"] == 0,
            "slow: %d connections still open past the head deadline "
            "although they kept sending" % stats["open_at_end"])
    T.check(stats["got_408"] == N_SLOW,
            "slow: %d of %d got a 408" % (stats["got_408"], N_SLOW))
    late = [t for t in stats["close_after_s"]
            if t > HEAD_TIMEOUT_MS / 1000 + 2.0]
    T.check(not late, "slow: %d closed long after the deadline (max %.1f s)"
            % (len(late), max(late or [0])))
    print("abuse: slow connections closed after %.1f..%.1f s" %
          (min(stats["close_after_s"] or [0]),
           max(stats["close_after_s"] or [0])), file=sys.stderr)


def test_after_leaving(port):
    """The attacker holds 1,000 connections, then goes: the server answers
    at once (it stayed deaf for 30 s before)."""
    att = Attack(slow, port, N_SLOW, 2.0, False)
    att.result()
    t0 = time.time()
    st, _, _ = netlib.http_get(port, "/health", timeout=30)
    took = time.time() - t0
    T.check(st == 200 and took < 1.0,
            "after the attacker left: /health %d in %.2f s" % (st, took))


def test_per_address(port):
    """The 65th connection from one address is refused at once."""
    socks, closed = [], 0
    for _ in range(70):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.250", 0))
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /health HTTP/1.1\r\n")
        socks.append(s)
    time.sleep(0.5)
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    for s in socks:
        s.close()
    T.check(closed == 6, "70 connections from one address: %d closed at "
            "once, want 6" % closed)
    st, _, _ = netlib.http_get(port, "/health", timeout=10)
    T.check(st == 200, "per address: /health answered %d" % st)


def bad_request(port, case, data):
    st, hs, body = parse_response(raw(port, data))
    T.check(st == 400, "%s: status %s, want 400" % (case, st))
    csp = header(hs, "Content-Security-Policy") or ""
    T.check("frame-ancestors 'none'" in csp and
            header(hs, "X-Content-Type-Options") == "nosniff",
            "%s: no security headers" % case)


def test_parsing(port):
    h = b"Host: 127.0.0.1\r\n"
    bad_request(port, "space before the colon (Transfer-Encoding : chunked)",
                b"POST /login HTTP/1.1\r\n" + h +
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Transfer-Encoding : chunked\r\n\r\n3\r\na=b\r\n0\r\n\r\n")
    bad_request(port, "tab before the colon",
                b"GET /health HTTP/1.1\r\n" + h + b"X-Note\t: a\r\n\r\n")
    bad_request(port, "NUL in the request target",
                b"GET /health\x00x HTTP/1.1\r\n" + h + b"\r\n")
    bad_request(port, "NUL in the query",
                b"GET /health?a=b\x00c HTTP/1.1\r\n" + h + b"\r\n")
    bad_request(port, "empty Host", b"GET /health HTTP/1.1\r\nHost:\r\n\r\n")
    bad_request(port, "blank Host", b"GET /health HTTP/1.1\r\nHost:  \r\n\r\n")
    # libmicrohttpd refuses these itself, and its answer repeated its
    # header block; ours comes first, once, with our headers
    for case, cl, want in (("malformed Content-Length", b"12abc", 400),
                           ("Content-Length past 2^64",
                            b"99999999999999999999999", 413)):
        got = raw(port, b"POST /login HTTP/1.1\r\n" + h +
                  b"Content-Length: " + cl + b"\r\n\r\n")
        st, hs, _ = parse_response(got)
        T.check(st == want, "%s: status %s, want %d" % (case, st, want))
        T.check(got.count(b"HTTP/1.1 ") == 1,
                "%s: %d status lines" % (case, got.count(b"HTTP/1.1 ")))
        T.check(header(hs, "X-Content-Type-Options") == "nosniff",
                "%s: no security headers" % case)
    st, _, _ = parse_response(raw(
        port, b"GET /health?a=b&c=d HTTP/1.1\r\n" + h +
        b"Connection: close\r\n\r\n"))
    T.check(st == 200, "a query still works: status %s" % st)


def set_conf(ws, **kv):
    with open(os.path.join(ws, "siren.conf"), "a") as f:
        for k, v in kv.items():
            f.write("%s = %s\n" % (k, v))


# ---- the benchmark -------------------------------------------------------

def bench(seconds):
    with netlib.tempdir("siren-bench-abuse-") as tmp:
        ws, users = netlib.make_workspace(tmp)
        srv = netlib.Server(ws, tmp)
        try:
            port = srv.port
            session, _ = netlib.sign_in(port, "demo.admin",
                                        users["demo.admin"])
            names = flood_names(users, "demo.admin")
            rows, all_ok = [], True
            lat, fails = run_reader(port, session, seconds)
            base = p99(lat)
            rows.append(("no attack", lat, fails))
            for n in (16, 64):
                att = Attack(flood, port, n, names, seconds + 1.0)
                time.sleep(0.5)
                lat, fails = run_reader(port, session, seconds)
                counts = att.result()
                rows.append(("sign-in flood of %d" % n, lat, fails))
                print("bench/abuse: flood of %d answers: %r" % (n, counts))
            att = Attack(slow, port, N_SLOW, seconds + 3.0, True)
            time.sleep(1.0)
            lat, fails = run_reader(port, session, seconds)
            stats = att.result()
            rows.append(("1,000 slow connections", lat, fails))
            print("bench/abuse: slow connections: %d opened, %d closed by "
                  "the server (%d with 408), %d open at the end" %
                  (stats["opened"], stats["closed_by_server"],
                   stats["got_408"], stats["open_at_end"]))
            print("\n%-26s %9s %9s %9s %7s %8s" %
                  ("reader GET /dashboard", "requests", "p99_ms", "max_ms",
                   "failed", "x_base"))
            for name, lat, fails in rows:
                ratio = p99(lat) / base if base > 0 else float("nan")
                print("%-26s %9d %9.1f %9.1f %7d %8.2f" %
                      (name, len(lat), p99(lat), max(lat or [0]),
                       len(fails), ratio))
                if name != "no attack":
                    print("goal: %-20s within 3x and no failure ... %s" %
                          (name, "met" if ratio <= 3 and not fails
                           else "NOT met"))
                all_ok = all_ok and not fails
        finally:
            rc, stopped = srv.term()
        if rc != 0 or not stopped:
            print("bench/abuse: siren did not stop cleanly (exit %d)" % rc)
            all_ok = False
        return 0 if all_ok else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", type=float, metavar="SECONDS")
    ap.add_argument("--attacker-nice", type=int, default=0, metavar="N")
    a = ap.parse_args()
    if a.bench:
        Attack.attacker_nice = a.attacker_nice
        sys.exit(bench(a.bench))
    with netlib.tempdir("siren-net-abuse-") as tmp:
        ws, users = netlib.make_workspace(tmp)
        set_conf(ws, request_head_timeout_ms=HEAD_TIMEOUT_MS)
        srv = netlib.Server(ws, tmp)
        stopped = False
        try:
            port = srv.port
            session, _ = netlib.sign_in(port, "demo.admin",
                                        users["demo.admin"])
            lat, fails = run_reader(port, session, 2.0)
            check_reader("no attack", lat, fails)
            test_parsing(port)
            test_per_address(port)
            test_flood(port, session, users)
            test_slow(port, session)
            test_after_leaving(port)
            log = srv.log_text()
            T.check("event=head_timeout" in log,
                    "the log has no event=head_timeout line")
            rc, has_stopped = srv.term()
            stopped = True
            T.check(rc == 0 and has_stopped,
                    "server did not stop cleanly (exit %d)" % rc)
        finally:
            if not stopped:
                srv.kill()
    T.done()


if __name__ == "__main__":
    main()
