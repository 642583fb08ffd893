#!/usr/bin/env python3
# failover.py - SIREN survives the loss of its PostgreSQL primary.
#
#   SIREN=./siren python3 tests/pg/failover.py
#
# Starts a primary and a synchronous streaming replica (tests/pg/cluster:
# Debian's PostgreSQL in temporary directories, as the postgres user when
# run as root), makes a demo workspace whose store address names both
# (host=PRIMARY,REPLICA&target_session_attrs=read-write), serves it and
# has CLIENTS clients add organisations as demo.admin:
#   0. the primary ends siren's idle connections (pg_terminate_backend):
#      the next writes are all acknowledged;
# then the whole time:
#   1. healthy: every write is acknowledged (303);
#   2. the replica lags: the primary's WAL sender is paused (SIGSTOP) for
#      LAG_S, so a commit acknowledged now would be on the primary only;
#   3. the primary is stopped hard (pg_ctl -m immediate) and its paused WAL
#      sender killed: what it had not sent is gone;
#   4. for SWITCH_S there is no primary, then the replica is promoted
#      (pg_ctl promote) while the clients keep writing; siren is not
#      restarted.
# Checks: no answer other than 303 is a 2xx or 3xx, nor a dropped
# connection; some requests failed during the switch; every request sent
# after the promotion is acknowledged; every acknowledged organisation is
# in 'siren org list' on the new primary, once, with its org.add audit
# row; nothing is listed that no client sent; 'siren audit verify' passes.
# With asynchronous replication (no 'cluster sync') the writes
# acknowledged in step 2 are missing; without reconnection in the store
# nothing is acknowledged after the promotion.
#
# Prints the switch's figures and "failover: N passed, N failed"; without
# PostgreSQL it prints SKIPPED.
# SPDX-License-Identifier: AGPL-3.0-or-later
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests/net"))
import netlib  # noqa: E402

CLIENTS = 6
HEALTHY_S = 1.0
LAG_S = 1.0
SWITCH_S = 1.0
AFTER_S = 2.0
PAUSE_S = 0.05  # between a client's writes: fewer than 1000 audit rows
PREFIX = "Failover org "


def cluster(*args):
    return subprocess.run([os.path.join(ROOT, "tests/pg/cluster")] +
                          list(args), capture_output=True, text=True,
                          timeout=120)


def psql(d, sql):
    """The rows of sql on the server with its socket in d (in database
    postgres, not siren's), as text."""
    out = subprocess.run(["psql", "-h", d, "-U", "postgres", "-d",
                          "postgres", "-qAt", "-c", sql],
                         capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        print("failover: psql: %s" % out.stderr.strip(), file=sys.stderr)
        return None
    return out.stdout.strip()


def post_org(port, sess, tok, name, client):
    """(status, Location) of adding organisation name (netlib.post_from)."""
    return netlib.post_from(port, sess, "/orgs",
                            {"csrf": tok, "name": name, "kind": "ngo",
                             "country": "TH"}, client, timeout=30)


class Writers:
    """CLIENTS threads adding organisations one after the other until
    stop(); answers: (name, sent, answered, status, location)."""

    def __init__(self, port, sess, tok):
        self.answers = []
        self.lock = threading.Lock()
        self.is_stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run,
                                         args=(port, sess, tok, i))
                        for i in range(CLIENTS)]
        for t in self.threads:
            t.start()

    def run(self, port, sess, tok, i):
        k = 0
        while not self.is_stopping.is_set():
            name = "%sc%d w%d" % (PREFIX, i, k)
            k += 1
            sent = time.time()
            st, loc = post_org(port, sess, tok, name, i)
            with self.lock:
                self.answers.append((name, sent, time.time(), st, loc))
            self.is_stopping.wait(PAUSE_S)

    def stop(self):
        self.is_stopping.set()
        for t in self.threads:
            t.join(60)


def is_acked(a):
    return a[3] == 303 and a[4] == "/orgs"


def org_list(T, ws):
    """[(code, name)] of the failover organisations in 'siren org list'."""
    out = netlib.cli(ws, "org", "list")
    T.check(out.returncode == 0, "siren org list failed: %s" %
            out.stderr.strip())
    rows = []
    for line in out.stdout.splitlines():
        parts = line.split(None, 4)  # CODE KIND CC N_USERS NAME
        if len(parts) == 5 and parts[4].startswith(PREFIX):
            rows.append((parts[0], parts[4]))
    return rows


def audited_codes(T, ws):
    out = netlib.cli(ws, "audit", "list", "--action", "org.add", "--limit",
                     "1000")
    T.check(out.returncode == 0, "siren audit list failed: %s" %
            out.stderr.strip())
    lines = out.stdout.splitlines()
    T.check(len(lines) < 1000, "more than 1000 org.add audit rows: the "
            "list is cut short")
    codes = set()
    for line in lines:
        parts = line.split()  # ID DATE TIME USER ACTION TYPE CODE ...
        if "org.add" in parts and len(parts) > parts.index("org.add") + 2:
            codes.add(parts[parts.index("org.add") + 2])
    return codes


def wait_gone(pid, timeout_s):
    end = time.time() + timeout_s
    while time.time() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.02)
    return False


def idle_loss(T, port, sess, tok, primary):
    """Step 0: the primary ends siren's connections while they sit idle
    (pg_terminate_backend); the next writes are all acknowledged, each
    thread's connection reopened before its statement is sent."""
    ended = psql(primary, "WITH s AS MATERIALIZED (SELECT pid FROM "
                 "pg_stat_activity WHERE datname = 'failover') SELECT "
                 "count(*) FROM s WHERE pg_terminate_backend(pid, 5000)")
    T.check(ended is not None and ended.isdigit() and int(ended) >= 1,
            "no siren connection to end: %r" % ended)
    got = [None] * CLIENTS

    def one(i):
        got[i] = post_org(port, sess, tok, "%sidle %d" % (PREFIX, i), i)

    ths = [threading.Thread(target=one, args=(i,)) for i in range(CLIENTS)]
    for t in ths:
        t.start()
    for t in ths:
        t.join(60)
    T.check(all(g == (303, "/orgs") for g in got),
            "writes after the server ended idle connections: %s" % got)
    return ["%sidle %d" % (PREFIX, i) for i in range(CLIENTS)
            if got[i] == (303, "/orgs")]


def switch(T, primary, replica):
    """Steps 2-4 while the writers write; their times."""
    sender = psql(primary, "SELECT pid FROM pg_stat_replication")
    T.check(sender is not None and sender.isdigit(),
            "the primary has no WAL sender: %r" % sender)
    with open(os.path.join(primary, "data", "postmaster.pid")) as f:
        postmaster = int(f.readline())
    t = {"lag": time.time()}
    if sender and sender.isdigit():
        os.kill(int(sender), signal.SIGSTOP)
    time.sleep(LAG_S)
    t["crash"] = time.time()
    r = cluster("crash", primary)
    T.check(r.returncode == 0, "pg_ctl -m immediate failed: %s" % r.stderr)
    if sender and sender.isdigit():
        os.kill(int(sender), signal.SIGKILL)  # paused: it sends no more
    T.check(wait_gone(postmaster, 30), "the primary did not stop")
    t["gone"] = time.time()
    time.sleep(SWITCH_S)
    t["promote"] = time.time()
    r = cluster("promote", replica)
    T.check(r.returncode == 0, "pg_ctl promote failed: %s" % r.stderr)
    t["promoted"] = time.time()
    return t


def check_answers(T, answers, t):
    acked = [a for a in answers if is_acked(a)]
    other = [a for a in answers if not is_acked(a)]
    healthy = [a for a in answers if a[2] < t["lag"]]
    T.check(healthy and all(is_acked(a) for a in healthy),
            "%d of %d writes acknowledged before the replica lagged" %
            (sum(map(is_acked, healthy)), len(healthy)))
    odd = sorted({"%s %s" % (a[3], a[4]) for a in other
                  if not isinstance(a[3], int) or a[3] < 400})
    T.check(not odd, "answers that are neither 303 nor an error: %s" % odd)
    T.check(other, "no request failed: the switch was not seen")
    T.check(not [a for a in other if a[3] == 401],
            "%d requests were answered as signed out (401) while the "
            "database was out of reach (503 wanted)" %
            len([a for a in other if a[3] == 401]))
    late = [a for a in answers if a[1] >= t["promoted"]]
    T.check(len(late) >= CLIENTS and all(is_acked(a) for a in late),
            "%d of %d writes sent after the promotion acknowledged "
            "(others: %s)" % (sum(map(is_acked, late)), len(late),
                              sorted({"%s" % a[3] for a in late
                                      if not is_acked(a)})))
    # the figures
    if other:
        first_bad = min(a[2] for a in other)
        back = [a[2] for a in acked if a[2] > first_bad]
        print("failover: %d requests, %d acknowledged, %d failed (%s); "
              "sent and acknowledged while the replica lagged: %d" %
              (len(answers), len(acked), len(other),
               ", ".join(sorted({str(a[3]) for a in other})),
               sum(1 for a in acked if t["lag"] <= a[1] < t["crash"])))
        print("failover: the primary lagged %.2f s, took %.2f s to stop, "
              "no primary for %.2f s (pg_ctl promote %.2f s)" %
              (t["crash"] - t["lag"], t["gone"] - t["crash"],
               t["promoted"] - t["crash"], t["promoted"] - t["promote"]))
        if back:
            print("failover: first failure %.2f s after the primary "
                  "stopped; first success %.2f s after the first failure, "
                  "%.2f s after the promotion" %
                  (first_bad - t["crash"], min(back) - first_bad,
                   min(back) - t["promoted"]))
    return acked


def check_store(T, ws, answers, acked):
    rows = org_list(T, ws)
    names = [n for _, n in rows]
    sent = {a[0] for a in answers}
    missing = sorted({a[0] for a in acked} - set(names))
    T.check(not missing, "%d acknowledged organisations are not on the new "
            "primary, e.g. %s" % (len(missing), missing[:3]))
    T.check(len(set(names)) == len(names),
            "an organisation is listed twice")
    T.check(set(names) <= sent, "listed organisations that no client sent: "
            "%s" % sorted(set(names) - sent)[:3])
    codes = {c for c, n in rows}
    T.check(codes <= audited_codes(T, ws),
            "organisations without their org.add audit row")


def run(T, tmp, primary, replica):
    r = cluster("url", primary, "failover")
    T.check(r.returncode == 0, "cannot make the database: %s" % r.stderr)
    store = ("postgresql:///failover?host=%s,%s&user=postgres"
             "&target_session_attrs=read-write&connect_timeout=5" %
             (primary, replica))
    ws, users = netlib.make_workspace(tmp, store)
    r = cluster("replica", primary, replica)
    T.check(r.returncode == 0, "cannot start the replica: %s" % r.stderr)
    r = cluster("sync", primary)
    T.check(r.returncode == 0, "no synchronous replica: %s" % r.stderr)
    srv = netlib.Server(ws, tmp, ["--threads", "4"])
    try:
        sess, tok = netlib.sign_in(srv.port, "demo.admin",
                                   users["demo.admin"])
        idle_acked = idle_loss(T, srv.port, sess, tok, primary)
        w = Writers(srv.port, sess, tok)
        try:
            time.sleep(HEALTHY_S)
            t = switch(T, primary, replica)
            time.sleep(AFTER_S)
        finally:
            w.stop()
        T.check(srv.proc.poll() is None, "siren serve exited")
        acked = check_answers(T, w.answers, t)
    finally:
        rc, stopped = srv.term()
    T.check(rc == 0 and stopped, "siren did not stop cleanly")
    log = srv.log_text()
    T.check("event=db_connection_lost in_transaction=1" in log,
            "no transaction was cut short by the stop (a COMMIT waiting "
            "for the paused replica): that path was not exercised")
    T.check("event=db_reconnected" in log, "no connection was reopened")
    T.check("WARNING:" not in log, "libpq's raw notices reached the log")
    T.check(psql(replica, "SELECT pg_is_in_recovery()") == "f",
            "the replica is not the primary")
    idle = [(n, 0, 0, 303, "/orgs") for n in idle_acked]
    check_store(T, ws, w.answers + idle, acked + idle)
    out = netlib.cli(ws, "audit", "verify")
    T.check(out.returncode == 0, "siren audit verify failed on the new "
            "primary: %s" % (out.stdout + out.stderr).strip())


def main():
    T = netlib.Checks("failover")
    t0 = time.time()
    with netlib.tempdir("siren-pg-failover-") as tmp:
        # the servers may run as another user: their directories sit in
        # /tmp, each made only for them
        primary = tempfile.mkdtemp(prefix="siren-pg.")
        replica = tempfile.mkdtemp(prefix="siren-pg.")
        try:
            r = cluster("start", primary)
            if r.returncode != 0:
                print("SKIPPED: failover: no PostgreSQL server: %s" %
                      r.stderr.strip()[:300])
                T.done()
            run(T, tmp, primary, replica)
        finally:
            for d in (primary, replica):
                cluster("stop", d)
                shutil.rmtree(d, ignore_errors=True)
    print("failover: run time %.1f s" % (time.time() - t0))
    T.done()


if __name__ == "__main__":
    main()
