#!/usr/bin/env python3
# concurrent.py - 64 clients writing at once, on SQLite or on PostgreSQL.
#
#   concurrent.py --store sqlite|postgresql
#
# Makes a demo workspace (for postgresql on a throwaway server started with
# tests/pg/cluster; no server: the run prints SKIPPED, which CI counts as a
# failure), serves it with 8 threads (--bench: the default), then:
#   - 64 clients each add WRITES organisations as demo.admin at the same
#     time: every write answered 303 is in 'siren org list' once, with a
#     code of its own and its org.add audit row; nothing answered 5xx;
#   - 64 clients answer the same sent referral as demo.partner at the same
#     time: exactly one succeeds, every other is refused as a conflict
#     (409), the referral ends accepted with one referral.answer audit row;
#   - 'siren audit verify' then passes: the 64 writers made one chain.
#
#   concurrent.py --store S --bench SECONDS   (bench/store)
# has 16, then 64 clients add organisations as demo.admin for SECONDS
# each and prints the acknowledged writes per second and their p99.
# SPDX-License-Identifier: AGPL-3.0-or-later
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netlib  # noqa: E402

N_CLIENTS = 64
WRITES = 4
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def cluster(*args):
    return subprocess.run([os.path.join(ROOT, "tests/pg/cluster")] +
                          list(args), capture_output=True, text=True,
                          timeout=120)


def run_clients(fn, n):
    """fn(i) on n threads started together; returns their results."""
    results = [None] * n
    go = threading.Barrier(n)

    def one(i):
        go.wait()
        results[i] = fn(i)

    ths = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in ths:
        t.start()
    for t in ths:
        t.join(300)
    return results


def org_list(T, ws):
    """[(code, name)] from 'siren org list' (CODE KIND CC N_USERS NAME)."""
    out = netlib.cli(ws, "org", "list")
    T.check(out.returncode == 0, "siren org list failed: %s" % out.stderr)
    rows = []
    for line in out.stdout.splitlines():
        parts = line.split(None, 4)
        if len(parts) == 5:
            rows.append((parts[0], parts[4]))
    return rows


def audit_codes(T, ws, action, record=None):
    """The record codes of the audit rows of action (at most 1000)."""
    args = ["audit", "list", "--action", action, "--limit", "1000"]
    if record:
        args += ["--record", record]
    out = netlib.cli(ws, *args)
    T.check(out.returncode == 0, "siren audit list failed: %s" % out.stderr)
    codes = []
    for line in out.stdout.splitlines():
        parts = line.split()  # ID DATE TIME USER ACTION TYPE CODE ...
        if action in parts:
            k = parts.index(action)
            if len(parts) > k + 2:
                codes.append(parts[k + 2])
    return codes


def test_orgs(T, ws, port, sess, tok):
    def client(i):
        got = []
        for w in range(WRITES):
            name = "Concurrent org c%02d w%d" % (i, w)
            got.append((name, netlib.post_from(port, sess, "/orgs",
                                   {"csrf": tok, "name": name,
                                    "kind": "ngo", "country": "TH"}, i)))
        return got

    answers = [a for r in run_clients(client, N_CLIENTS) for a in r]
    acked = [name for name, (st, loc) in answers
             if st == 303 and loc == "/orgs"]
    other = sorted({"%s %s" % (st, loc) for _, (st, loc) in answers
                    if st != 303})
    T.check(len(acked) == N_CLIENTS * WRITES,
            "%d of %d organisation writes acknowledged (other answers: %s)"
            % (len(acked), N_CLIENTS * WRITES, other))
    rows = [(c, n) for c, n in org_list(T, ws)
            if n.startswith("Concurrent org ")]
    names = [n for _, n in rows]
    codes = [c for c, _ in rows]
    T.check(sorted(names) == sorted(acked),
            "the organisations listed are not exactly the acknowledged ones"
            " (%d listed, %d acknowledged)" % (len(names), len(acked)))
    T.check(len(set(codes)) == len(codes),
            "two organisations share a code")
    audited = set(audit_codes(T, ws, "org.add"))
    T.check(set(codes) <= audited,
            "%d acknowledged organisations have no org.add audit row" %
            len(set(codes) - audited))


def sent_referral_to(ws, org_code):
    """The code of a referral in status sent to org_code, or None."""
    out = netlib.cli(ws, "referral", "list", "--status", "sent")
    for line in out.stdout.splitlines():
        parts = line.split()
        if "->" in parts and parts[parts.index("->") + 1] == org_code:
            return parts[0]
    return None


def test_referral(T, ws, port, users):
    partner_org = None
    out = netlib.cli(ws, "user", "list")
    for line in out.stdout.splitlines():
        parts = line.split()
        if parts[:1] == ["demo.partner"]:
            partner_org = parts[1]
    code = sent_referral_to(ws, partner_org)
    T.check(code is not None, "the demo has no referral sent to demo.partner"
            "'s organisation")
    if code is None:
        return
    sess, tok = netlib.sign_in(port, "demo.partner", users["demo.partner"])
    answers = run_clients(
        lambda i: netlib.post_from(port, sess, "/referrals/%s/answer" % code,
                       {"csrf": tok, "status": "accepted"}, i), N_CLIENTS)
    statuses = [st for st, _ in answers]
    T.check(statuses.count(303) == 1,
            "%d of %d concurrent answers to one referral succeeded, want 1" %
            (statuses.count(303), N_CLIENTS))
    T.check(statuses.count(409) == N_CLIENTS - 1,
            "the other answers were not all refused as conflicts (409): %s" %
            sorted({str(s) for s in statuses if s != 303}))
    out = netlib.cli(ws, "referral", "list", "--status", "accepted")
    T.check(any(ln.split()[:1] == [code] for ln in out.stdout.splitlines()),
            "referral %s is not accepted after the race" % code)
    T.check(audit_codes(T, ws, "referral.answer", code) == [code],
            "referral %s does not have exactly one referral.answer audit "
            "row" % code)


def bench_writes(port, sess, tok, n, seconds):
    """n clients adding organisations for seconds: (writes/s, p99 ms,
    number of answers other than 303)."""
    end = time.time() + seconds
    lat, bad = [], []
    lock = threading.Lock()

    def client(i):
        k = 0
        while time.time() < end:
            t0 = time.perf_counter()
            st, loc = netlib.post_from(port, sess, "/orgs",
                           {"csrf": tok, "name": "Bench org %d-%d-%d" %
                            (n, i, k), "kind": "ngo", "country": "TH"}, i)
            ms = (time.perf_counter() - t0) * 1000
            k += 1
            with lock:
                (lat if st == 303 else bad).append(ms)

    t0 = time.time()
    run_clients(client, n)
    took = time.time() - t0
    lat.sort()
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else 0.0
    return len(lat) / took, p99, len(bad)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", choices=("sqlite", "postgresql"),
                    default="sqlite")
    ap.add_argument("--bench", type=float, metavar="SECONDS")
    a = ap.parse_args()
    T = netlib.Checks("concurrent_" + a.store)
    with netlib.tempdir("siren-net-conc-") as tmp:
        store = None
        # the server may run as another user: its directory sits in /tmp
        cl = tempfile.mkdtemp(prefix="siren-pg.")
        if a.store == "postgresql":
            r = cluster("start", cl)
            if r.returncode != 0:
                print("SKIPPED: concurrent_postgresql: no PostgreSQL "
                      "server: %s" % r.stderr.strip()[:300])
                T.done()
            r = cluster("url", cl, "conc")
            T.check(r.returncode == 0, "cannot make the database: %s" %
                    r.stderr)
            store = r.stdout.strip()
        try:
            ws, users = netlib.make_workspace(tmp, store)
            # the benchmark measures the default number of threads
            srv = netlib.Server(ws, tmp, [] if a.bench else ["--threads", "8"])
            try:
                sess, tok = netlib.sign_in(srv.port, "demo.admin",
                                           users["demo.admin"])
                if a.bench:
                    for n in (16, 64):
                        rate, p99, bad = bench_writes(srv.port, sess, tok, n,
                                                      a.bench)
                        print("bench/store: %-10s %2d clients: %7.1f "
                              "writes/s, p99 %7.1f ms, %d not acknowledged"
                              % (a.store, n, rate, p99, bad), flush=True)
                else:
                    test_orgs(T, ws, srv.port, sess, tok)
                    test_referral(T, ws, srv.port, users)
            finally:
                rc, stopped = srv.term()
            T.check(rc == 0 and stopped, "siren did not stop cleanly")
            out = netlib.cli(ws, "audit", "verify")
            T.check(out.returncode == 0,
                    "siren audit verify failed after the concurrent "
                    "writers: %s" % (out.stdout + out.stderr).strip())
            if store:
                with open(os.path.join(ws, "siren.conf")) as f:
                    T.check("store = postgresql://" in f.read(),
                            "the workspace is not on PostgreSQL")
            else:
                T.check(os.path.exists(os.path.join(ws, "siren.db")),
                        "the workspace is not on SQLite")
        finally:
            if store:
                cluster("stop", cl)
            shutil.rmtree(cl, ignore_errors=True)
    T.done()


if __name__ == "__main__":
    main()
