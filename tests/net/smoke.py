#!/usr/bin/env python3
# smoke.py - one walk over a real socket with http.client: health, sign
# in, dashboard (shows the user's role), sign out, and the old session
# cookie no longer works.
# SPDX-License-Identifier: AGPL-3.0-or-later
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netlib  # noqa: E402
from netlib import header, http_get, http_req  # noqa: E402

T = netlib.Checks("smoke")
# role label each demo account must see on its dashboard (src/policy.c)
ROLE_LABELS = {"demo.admin": "Administrator", "demo.hotline":
               "Hotline operator"}


def walk(port, user, password, label):
    st, hs, body = http_get(port, "/health")
    T.check(st == 200, "GET /health answered %d" % st)
    T.check(st == 200 and json.loads(body) == {"status": "ok"},
            "GET /health body is %r" % body[:80])

    st, hs, _ = http_get(port, "/dashboard")
    T.check(st == 303 and header(hs, "Location") == "/login",
            "GET /dashboard signed out: %d to %s" %
            (st, header(hs, "Location")))

    pre, tok = netlib.login_start(port)
    st, hs, body = http_req(port, "POST", "/login", netlib.form(
        {"csrf": tok, "username": user, "password": password + "x"}),
        {"Content-Type": netlib.FORM_CT, "Cookie": "siren_pre=" + pre})
    T.check(st == 401, "wrong password answered %d" % st)
    T.check("siren_session" not in netlib.set_cookies(hs),
            "wrong password set a session cookie")

    sess, csrf = netlib.sign_in(port, user, password)
    cookie = {"Cookie": "siren_session=" + sess}
    st, hs, body = http_get(port, "/dashboard", cookie)
    T.check(st == 200, "GET /dashboard signed in answered %d" % st)
    T.check(('id="my-role">%s<' % label).encode() in body,
            "dashboard of %s does not show the role %r" % (user, label))
    T.check(header(hs, "Cache-Control") == "no-store",
            "dashboard is cacheable")
    st, _, body = http_get(port, "/api/v1/me", cookie)
    T.check(st == 200 and user.encode() in body,
            "GET /api/v1/me answered %d" % st)

    # sign out without the CSRF token is refused and ends nothing
    st, _, _ = http_req(port, "POST", "/logout", "",
                        dict(cookie, **{"Content-Type": netlib.FORM_CT}))
    T.check(st == 403, "POST /logout without csrf answered %d" % st)
    st, _, _ = http_get(port, "/dashboard", cookie)
    T.check(st == 200, "session ended by a logout without csrf (%d)" % st)

    st, hs, _ = http_req(port, "POST", "/logout",
                         netlib.form({"csrf": csrf}),
                         dict(cookie, **{"Content-Type": netlib.FORM_CT}))
    T.check(st == 303 and header(hs, "Location") == "/login",
            "POST /logout answered %d to %s" % (st, header(hs, "Location")))
    T.check(netlib.set_cookies(hs).get("siren_session", "x") == "",
            "logout did not clear the session cookie")

    st, hs, _ = http_get(port, "/dashboard", cookie)
    T.check(st == 303 and header(hs, "Location") == "/login",
            "old session after logout: %d to %s" %
            (st, header(hs, "Location")))
    st, _, _ = http_get(port, "/api/v1/me", cookie)
    T.check(st == 401, "old session on the API after logout: %d" % st)
    st, _, _ = http_req(port, "POST", "/orgs", netlib.form(
        {"csrf": csrf, "name": "After logout", "kind": "ngo",
         "country": "TH"}),
        dict(cookie, **{"Content-Type": netlib.FORM_CT}))
    T.check(st in (401, 403), "POST /orgs with the old session: %d" % st)


def second_factor(port, user, password):
    """After walk() enrolled user (netlib read the key shown as text beside
    the QR code): the password alone makes no session, the code already
    typed is refused (replay), a fresh code computed here with hmac
    signs in."""
    app = netlib.AUTHENTICATORS[netlib.account_of(port, user)]
    pre, tok = netlib.login_start(port)
    st, hs, body = http_req(port, "POST", "/login", netlib.form(
        {"csrf": tok, "username": user, "password": password}),
        {"Content-Type": netlib.FORM_CT, "Cookie": "siren_pre=" + pre})
    T.check(st == 200 and b'action="/login/code"' in body,
            "password of an enrolled %s answered %d" % (user, st))
    T.check("siren_session" not in netlib.set_cookies(hs),
            "the password alone set a session cookie")
    pending = netlib.PENDING_RE.search(body).group(1).decode()
    fields = {"csrf": netlib.csrf_of(body), "pending": pending}
    used = netlib.totp_code(app[0], app[1] * 30)
    st, hs, _ = http_req(port, "POST", "/login/code", netlib.form(
        dict(fields, code=used)),
        {"Content-Type": netlib.FORM_CT, "Cookie": "siren_pre=" + pre})
    T.check(st == 401 and "siren_session" not in netlib.set_cookies(hs),
            "a code used before answered %d" % st)
    st, hs, _ = http_req(port, "POST", "/login/code", netlib.form(
        dict(fields, code=netlib.next_code(app))),
        {"Content-Type": netlib.FORM_CT, "Cookie": "siren_pre=" + pre})
    T.check(st == 303 and netlib.set_cookies(hs).get("siren_session"),
            "a fresh code answered %d" % st)
    # the step token only works with its own browser's cookie
    pre2, tok2 = netlib.login_start(port)
    st, hs, _ = http_req(port, "POST", "/login/code", netlib.form(
        dict(fields, csrf=tok2, code=netlib.next_code(app))),
        {"Content-Type": netlib.FORM_CT, "Cookie": "siren_pre=" + pre2})
    T.check(st == 401 and "siren_session" not in netlib.set_cookies(hs),
            "a step token in another browser answered %d" % st)


def main():
    with netlib.tempdir("siren-net-smoke-") as tmp:
        ws, users = netlib.make_workspace(tmp)
        srv = netlib.Server(ws, tmp, ["--threads", "2"])
        try:
            for user, label in sorted(ROLE_LABELS.items()):
                walk(srv.port, user, users[user], label)
            second_factor(srv.port, "demo.admin", users["demo.admin"])
        finally:
            rc, stopped = srv.term()
            T.check(rc == 0, "exit status after SIGTERM is %d" % rc)
            T.check(stopped, "log has no event=stopped")
        out = netlib.cli(ws, "org", "list")
        T.check(out.returncode == 0 and "After logout" not in out.stdout,
                "an org was added with an ended session")
        # without --threads: 4 request threads a CPU, 8 to 64 (README)
        want = min(64, max(8, 4 * os.sysconf("SC_NPROCESSORS_ONLN")))
        srv = netlib.Server(ws, tmp, tag="default-threads")
        try:
            srv.wait_ready()
            T.check(" threads=%d " % want in srv.log_text(),
                    "serve without --threads does not run %d threads: %s"
                    % (want, srv.log_text()[-300:]))
        finally:
            srv.term()
    T.done()


if __name__ == "__main__":
    main()
