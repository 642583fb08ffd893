#!/usr/bin/env python3
# crash.py - nothing acknowledged is lost when the server is killed.
#
# For CRASH_ITERATIONS rounds (default 3): start 'siren serve', sign in as
# demo.admin, run 8 writer threads posting POST /orgs with unique names,
# SIGKILL the server after a random delay (0.2-1.5 s, from CRASH_SEED,
# default 1), then check with the CLI that every write answered 303 is
# in 'siren org list' with its org.add audit row, that 'siren audit
# verify' passes and that SQLite's integrity_check is ok. The workspace
# carries over from round to round, so each round also starts a server
# on a database that was killed mid-write.
# SPDX-License-Identifier: AGPL-3.0-or-later
import os
import random
import sqlite3
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netlib  # noqa: E402

T = netlib.Checks("crash")
N_WRITERS = 8


def writer(port, sess, tok, wid, rnd, stop, acked, lock):
    """Post orgs until the server dies; record names answered 303."""
    i = 0
    while not stop.is_set():
        name = "Crash test org r%d w%d n%d" % (rnd, wid, i)
        i += 1
        try:
            st, hs, _ = netlib.http_req(
                port, "POST", "/orgs",
                netlib.form({"csrf": tok, "name": name, "kind": "ngo",
                             "country": "TH"}),
                {"Content-Type": netlib.FORM_CT,
                 "Cookie": "siren_session=" + sess}, timeout=10)
        except (OSError, netlib.http.client.HTTPException):
            return  # the server is gone: this write was not acknowledged
        with lock:
            if st == 303 and netlib.header(hs, "Location") == "/orgs":
                acked.append(name)
            else:
                acked.append(None)  # an unexpected answer: a failure
                return


def org_codes(ws):
    """{name: code} from 'siren org list' (CODE KIND CC N_USERS NAME)."""
    out = netlib.cli(ws, "org", "list")
    T.check(out.returncode == 0, "siren org list failed: %s" % out.stderr)
    codes = {}
    for line in out.stdout.splitlines():
        parts = line.split(None, 4)
        if len(parts) == 5:
            codes[parts[4]] = parts[0]
    return codes


def audited_codes(ws, want, rng):
    """The codes in want that have an org.add audit row.

    'siren audit list' shows at most 1000 rows and a round can acknowledge
    thousands of writes, so every code is looked up in the audit table
    itself (read-only); the CLI must agree on the newest 1000 org.add rows
    and on a sample of codes looked up one by one. 'siren audit verify'
    (checked by the caller) proves those rows belong to the chain."""
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(ws, "siren.db"),
                         uri=True)
    try:
        in_db = {r[0] for r in db.execute(
            "SELECT record_code FROM audit"
            " WHERE action = 'org.add' AND record_type = 'org'")}
    finally:
        db.close()
    out = netlib.cli(ws, "audit", "list", "--action", "org.add",
                     "--limit", "1000")
    T.check(out.returncode == 0, "siren audit list failed: %s" % out.stderr)
    listed = set()
    for line in out.stdout.splitlines():
        # ID DATE USER ACTION TYPE CODE DETAIL
        parts = line.split()
        if len(parts) >= 6 and parts[3] == "org.add" and parts[4] == "org":
            listed.add(parts[5])
    T.check(len(listed) == min(1000, len(in_db)) and listed <= in_db,
            "siren audit list disagrees with the audit table")
    for code in rng.sample(sorted(want), min(10, len(want))):
        out = netlib.cli(ws, "audit", "list", "--action", "org.add",
                         "--record", code)
        T.check(out.returncode == 0 and any(
            ln.split()[5:6] == [code] for ln in out.stdout.splitlines()),
            "siren audit list --record %s finds no org.add row" % code)
    return in_db & set(want)


def integrity_ok(ws):
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(ws, "siren.db"),
                         uri=True)
    try:
        return db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        db.close()


def one_round(ws, tmp, users, rnd, rng, rng_sample):
    srv = netlib.Server(ws, tmp, ["--threads", "4"], tag="crash%d" % rnd)
    try:
        sess, tok = netlib.sign_in(srv.port, "demo.admin",
                                   users["demo.admin"])
        stop = threading.Event()
        acked, lock = [], threading.Lock()
        threads = [threading.Thread(target=writer,
                                    args=(srv.port, sess, tok, w, rnd, stop,
                                          acked, lock))
                   for w in range(N_WRITERS)]
        for th in threads:
            th.start()
        delay = rng.uniform(0.2, 1.5)
        time.sleep(delay)
    finally:
        srv.kill()  # SIGKILL: no chance to finish anything
    stop.set()
    for th in threads:
        th.join(30)
    T.check(srv.proc.returncode == -9,
            "round %d: server exit %s, want SIGKILL" %
            (rnd, srv.proc.returncode))
    names = [n for n in acked if n is not None]
    T.check(len(names) == len(acked),
            "round %d: a write got an answer other than 303" % rnd)
    print("crash: round %d: killed after %.2f s, %d acknowledged writes" %
          (rnd, delay, len(names)))
    T.check(len(names) > 0, "round %d: no write acknowledged" % rnd)

    codes = org_codes(ws)
    missing = [n for n in names if n not in codes]
    T.check(not missing, "round %d: %d acknowledged orgs lost, e.g. %r" %
            (rnd, len(missing), missing[:3]))
    want = {codes[n] for n in names if n in codes}
    got = audited_codes(ws, want, rng_sample)
    T.check(got == want, "round %d: %d acknowledged orgs have no org.add "
            "audit row" % (rnd, len(want - got)))
    out = netlib.cli(ws, "audit", "verify")
    T.check(out.returncode == 0 and "verified" in out.stdout,
            "round %d: audit verify failed: %s" % (rnd, out.stderr.strip()))
    T.check(integrity_ok(ws), "round %d: integrity_check not ok" % rnd)


def main():
    n_rounds = int(os.environ.get("CRASH_ITERATIONS", "3"))
    seed = int(os.environ.get("CRASH_SEED", "1"))
    print("crash: %d rounds, CRASH_SEED=%d" % (n_rounds, seed))
    rng = random.Random(seed)  # the kill delays only
    rng_sample = random.Random(seed + 1)  # the codes checked one by one
    with netlib.tempdir("siren-net-crash-") as tmp:
        ws, users = netlib.make_workspace(tmp)
        for rnd in range(n_rounds):
            one_round(ws, tmp, users, rnd, rng, rng_sample)
        # a last clean start and stop on the crashed workspace
        srv = netlib.Server(ws, tmp, ["--threads", "2"], tag="final")
        rc, stopped = srv.term()
        T.check(rc == 0, "final server exit status %d" % rc)
        T.check(stopped, "final server log has no event=stopped")
    T.done()


if __name__ == "__main__":
    main()
