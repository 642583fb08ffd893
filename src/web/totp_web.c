/*
 * totp_web.c - the pages of the second sign-in factor: the code step of a
 * sign-in, enrolment (the otpauth:// URI drawn as an inline SVG QR code
 * by libqrencode and this file, with the key as text beside it), the
 * recovery codes shown once, the account card (set up; turn off where the
 * role allows), the administrator's reset on the user page, and the fresh
 * code of the break-the-glass form.
 *
 * Between the password and the code no session exists: the page carries
 * a signed token (totp_pending_new(), bound to the browser's pre-sign-in
 * cookie, five minutes), so a required role that has not enrolled can
 * reach nothing but its enrolment. The QR code is drawn here, so the
 * secret never leaves in a request to anything else and the page's
 * Content-Security-Policy stays as it is. Must not log, or put into a
 * URL, the secret, a code, a recovery code or the step's token.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/totp_web.h"

#include <stdio.h>
#include <string.h>

#include <qrencode.h>
#include <sodium.h>

#include "base/auth.h"
#include "base/signin.h"
#include "base/totp.h"
#include "base/workspace.h"
#include "core/clock.h"
#include "web/web.h"
#include "core/banned.h"

/* ---- shared bits -------------------------------------------------------- */

/* The account a pending step or a reset names. */
struct name_row {
    int64_t org_id;
    enum role role;
    char username[64];
};

static int
keep_name(const struct user_row *u, void *ctx)
{
    struct name_row *n = ctx;
    n->org_id = u->org_id;
    n->role = role_parse(u->role);
    snprintf(n->username, sizeof n->username, "%s", u->username);
    return 1;
}

static int
user_by_id(struct req *req, int64_t id, struct name_row *out)
{
    struct sr_err err = { 0 };
    memset(out, 0, sizeof *out);
    int rc = user_get(req->db, id, NULL, keep_name, out, &err);
    sr_err_release(&err);
    return rc;
}

/* 1 when user_id has a confirmed authenticator (0 also on a read error,
 * which the pages then show as off; the checks themselves fail closed). */
static int
is_enrolled(struct req *req, int64_t user_id)
{
    enum totp_need need = TOTP_NONE;
    struct sr_err err = { 0 };
    int rc = totp_need(req->db, user_id, ROLE_NONE, &need, &err);
    sr_err_release(&err);
    return rc == SR_OK && need == TOTP_CODE;
}

/* The user of the signed step token in the form, or 0. */
static int64_t
pending_user(struct req *req)
{
    return totp_pending_check(req->app->ws->vault, req_param(req, "pending"),
                              req->cookie_pre, sr_now());
}

/* The hidden field of a new step token for user_id, bound to the cookie
 * the CSRF field (written before it) settled on. */
static int
pending_field(struct html *h, struct req *req, int64_t user_id)
{
    char tok[TOTP_PENDING_HEX + 1];
    if (totp_pending_new(req->app->ws->vault, user_id, req->cookie_pre,
                         sr_now(), tok) != SR_OK) {
        return SR_ECRYPTO;
    }
    HTML_LIT(h, "<input type=\"hidden\" name=\"pending\" value=\"");
    html_attr(h, tok);
    HTML_LIT(h, "\">");
    sodium_memzero(tok, sizeof tok);
    return SR_OK;
}

/* The code input: digits for a phone's keypad, or a recovery code. */
static void
code_input(struct html *h, struct req *req, const char *label_msgid,
           int is_recovery_ok)
{
    web_label(h, req, "code", label_msgid);
    HTML_LIT(h,
             "<input id=\"code\" name=\"code\" autocomplete=\"one-time-code\" "
             "autocapitalize=\"none\" spellcheck=\"false\" required");
    if (is_recovery_ok) {
        HTML_LIT(h, " maxlength=\"24\">");
    } else {
        HTML_LIT(h, " inputmode=\"numeric\" maxlength=\"7\">");
    }
}

/* The 32 base32 characters of a shown secret (spaces dropped, upper
 * case) into out; 1 when it has that shape. */
static int
secret_shape(const char *in, char out[TOTP_SECRET_B32 + 1])
{
    size_t n = 0;
    for (const char *p = in ? in : ""; *p; p++) {
        char c = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
        if (c == ' ') {
            continue;
        }
        if (n == TOTP_SECRET_B32 ||
            !((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) {
            return 0;
        }
        out[n++] = c;
    }
    out[n] = '\0';
    return n == TOTP_SECRET_B32;
}

/* ---- the QR code -------------------------------------------------------- */

/*
 * text as a QR code (error correction M) in an inline SVG: one path of
 * dark runs, a quiet zone of four modules. Nothing when libqrencode
 * fails; the key is shown as text beside it anyway.
 */
static void
qr_svg(struct html *h, struct req *req, const char *text)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (qr == NULL) {
        return;
    }
    int w = qr->width, quiet = 4;
    struct sr_buf d;
    sr_buf_init(&d, (size_t)1 << 20);
    for (int y = 0; y < w; y++) {
        for (int x = 0; x < w;) {
            if (!(qr->data[y * w + x] & 1)) {
                x++;
                continue;
            }
            int x0 = x;
            while (x < w && (qr->data[y * w + x] & 1)) {
                x++;
            }
            sr_buf_printf(&d, "M%d %dh%dv1h-%dz", x0 + quiet, y + quiet, x - x0,
                          x - x0);
        }
    }
    HTML_LIT(h, "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" "
                "viewBox=\"0 0 ");
    html_printf_text(h, "%d %d", w + 2 * quiet, w + 2 * quiet);
    HTML_LIT(h, "\" width=\"240\" height=\"240\" role=\"img\" "
                "shape-rendering=\"crispEdges\" aria-label=\"");
    html_attr(h, T(req, "QR code of the key for your authenticator app"));
    HTML_LIT(h, "\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
                "<path fill=\"#000\" d=\"");
    html_attr(h, d.data);
    HTML_LIT(h, "\"/></svg>");
    sr_buf_release(&d);
    QRcode_free(qr);
}

/* ---- pages -------------------------------------------------------------- */

/*
 * The enrolment page for username with secret b32: the QR code, the key
 * as text, and the code form; user_id > 0 in a sign-in (the form goes to
 * /login/enrol with a step token), 0 in a session (/account/totp/confirm).
 */
static int
enrol_page(struct req *req, struct resp *resp, int64_t user_id,
           const char *username, const char *b32, const char *error_msgid,
           int status)
{
    struct html h;
    web_page_begin(req, resp, &h, N_("Set up two-step sign-in"));
    web_card_begin(&h, req, N_("Set up two-step sign-in"));
    web_form_error(&h, error_msgid ? T(req, error_msgid) : NULL);
    if (user_id > 0) {
        HTML_LIT(&h, "<p>");
        html_text(&h, T(req, "Your role signs in with a password and a code "
                             "from an authenticator app. Set one up to "
                             "continue."));
        HTML_LIT(&h, "</p>");
    }
    HTML_LIT(&h, "<ol class=\"stack\"><li><p>");
    html_text(&h, T(req, "Scan this QR code with an authenticator app, such "
                         "as FreeOTP, Aegis or Google Authenticator."));
    HTML_LIT(&h, "</p>");
    struct sr_buf uri;
    sr_buf_init(&uri, 512);
    int rc = totp_uri(username, b32, &uri);
    if (rc == SR_OK) {
        qr_svg(&h, req, uri.data);
    }
    sodium_memzero(uri.data, uri.len);
    sr_buf_release(&uri);
    HTML_LIT(&h, "<p>");
    html_text(&h, T(req, "Or type this key into the app:"));
    HTML_LIT(&h, " <code id=\"totp-secret\" dir=\"ltr\">");
    for (size_t i = 0; i < TOTP_SECRET_B32; i += 4) {
        if (i > 0) {
            HTML_LIT(&h, " ");
        }
        html_textn(&h, b32 + i, 4);
    }
    HTML_LIT(&h, "</code></p></li><li><p>");
    html_text(&h, T(req, "Then type the 6-digit code the app shows."));
    HTML_LIT(&h, "</p><form class=\"stack\" method=\"post\" action=\"");
    if (user_id > 0) {
        HTML_LIT(&h, "/login/enrol\">");
    } else {
        HTML_LIT(&h, "/account/totp/confirm\">");
    }
    web_csrf_field(req, resp, &h);
    if (rc == SR_OK && user_id > 0) {
        rc = pending_field(&h, req, user_id);
    }
    HTML_LIT(&h, "<input type=\"hidden\" name=\"secret\" value=\"");
    html_attr(&h, b32);
    HTML_LIT(&h, "\">");
    code_input(&h, req, TC(req, "sign-in code", "Code"), 0);
    web_submit(&h, req, N_("Confirm"), NULL);
    HTML_LIT(&h, "</form></li></ol></section>");
    return web_page_finish(req, resp, &h, rc, status);
}

/* Start an enrolment for user_id and show it. */
static int
enrol_start(struct req *req, struct resp *resp, int64_t user_id,
            const char *username)
{
    char b32[TOTP_SECRET_B32 + 1];
    struct sr_err err = { 0 };
    int rc = totp_enrol_begin(req->db, req->app->ws->vault, user_id, b32, &err);
    sr_err_release(&err);
    if (rc != SR_OK) {
        return rc;
    }
    rc = enrol_page(req, resp, req->who.user_id > 0 ? 0 : user_id, username,
                    b32, NULL, 0);
    sodium_memzero(b32, sizeof b32);
    return rc;
}

/* The code step of a sign-in for user_id. */
static int
code_page(struct req *req, struct resp *resp, int64_t user_id,
          const char *error_msgid, int status)
{
    struct html h;
    web_page_begin(req, resp, &h, N_("Two-step sign-in"));
    HTML_LIT(&h, "<div class=\"login-page\"><div class=\"card\">");
    web_form_error(&h, error_msgid ? T(req, error_msgid) : NULL);
    HTML_LIT(&h, "<p>");
    html_text(&h, T(req, "Type the 6-digit code from your authenticator app. "
                         "Without your phone, type one of your recovery "
                         "codes."));
    HTML_LIT(&h, "</p><form class=\"stack\" method=\"post\" "
                 "action=\"/login/code\">");
    web_csrf_field(req, resp, &h);
    int rc = pending_field(&h, req, user_id);
    code_input(&h, req, TC(req, "sign-in code", "Code"), 1);
    web_submit(&h, req, N_("Sign in"), NULL);
    HTML_LIT(&h, "</form><p><a href=\"/login\">");
    html_text(&h, T(req, "Sign in as someone else"));
    HTML_LIT(&h, "</a></p></div></div>");
    return web_page_finish(req, resp, &h, rc, status);
}

/* The recovery codes of an enrolment just confirmed, shown this once. */
static int
recovery_page(struct req *req, struct resp *resp,
              char codes[TOTP_RECOVERY_CODES][TOTP_RECOVERY_CHARS + 1])
{
    struct html h;
    web_page_begin(req, resp, &h, N_("Recovery codes"));
    web_card_begin(&h, req, N_("Two-step sign-in is on"));
    HTML_LIT(&h, "<p>");
    html_text(&h, T(req, "Keep these recovery codes apart from your phone, on "
                         "paper or in a password manager. Each works once, in "
                         "place of a code, if you lose your phone. They are "
                         "not shown again."));
    HTML_LIT(&h, "</p><ul id=\"recovery-codes\">");
    for (int i = 0; i < TOTP_RECOVERY_CODES; i++) {
        HTML_LIT(&h, "<li><code dir=\"ltr\">");
        html_text(&h, codes[i]);
        HTML_LIT(&h, "</code></li>");
    }
    HTML_LIT(&h, "</ul><p><a class=\"btn primary\" href=\"/dashboard\">");
    html_text(&h, T(req, "Continue"));
    HTML_LIT(&h, "</a></p></section>");
    return web_page_finish(req, resp, &h, SR_OK, 0);
}

/* A step token that is missing, forged, of another browser or too old. */
static int
step_expired(struct req *req, struct resp *resp)
{
    web_error(req, resp, 401,
              N_("Your sign-in has expired. Please sign in "
                 "again."));
    return SR_OK;
}

/* 0 when this attempt may go on, else the seconds to wait: the sign-in
 * limits of the account and the address apply to codes too. */
static int64_t
throttle_wait(struct req *req, const char *username)
{
    if (http_throttle() == NULL) {
        return 0;
    }
    return auth_throttle_take(
        http_throttle(), req->client_addr ? req->client_addr : "", username);
}

static const char *const too_many_msgid =
    N_("Too many sign-in attempts. Please wait a moment and try again.");

/* ---- signing in: the password, then the second factor -------------------- */

/* After a right password for p: the code page, or the enrolment page for a
 * required role without an authenticator. */
static int
second_step(struct req *req, struct resp *resp, const struct principal *p)
{
    enum totp_need need;
    struct sr_err err = { 0 };
    int rc = totp_need(req->db, p->user_id, p->role, &need, &err);
    sr_err_release(&err);
    if (rc != SR_OK) {
        return rc;
    }
    if (need == TOTP_ENROL) {
        return enrol_start(req, resp, p->user_id, p->username);
    }
    return code_page(req, resp, p->user_id, NULL, 0);
}

/* A sign-in handed to the slow pool: the form's fields in, the outcome
 * out. Lives in the request's arena. */
struct login_job {
    const struct vault *vault;
    const char *user, *pass;
    char token[SESSION_TOKEN_HEX + 1];
    struct principal p;
    int rc;          /* auth_login()'s result */
    int is_disabled; /* the right password of a disabled account */
};

static int
login_work(struct db *db, void *ctx)
{
    struct login_job *j = ctx;
    struct sr_err err = { 0 };
    j->rc = auth_login(db, j->vault, j->user, j->pass, j->token, &j->p, &err);
    j->is_disabled =
        j->rc == SR_EPERM && strcmp(sr_err_msg(&err), "account disabled") == 0;
    sr_err_release(&err);
    return j->rc;
}

static int
login_done(struct req *req, struct resp *resp, void *ctx)
{
    struct login_job *j = ctx;
    if (j->rc == SR_EDB) {
        return j->rc;
    }
    if (j->rc != SR_OK) {
        /* an unknown name, a wrong password and a locked account get the
         * same answer, so it tells nothing of which accounts exist */
        web_login_form(req, resp,
                       j->is_disabled ? N_("This account is disabled.")
                                      : N_("Wrong username or password."));
        resp->status = 401;
        return SR_OK;
    }
    if (j->token[0] == '\0') {
        /* the password was right; the second factor comes next */
        return second_step(req, resp, &j->p);
    }
    web_session_start(req, resp, j->token);
    resp_redirect(resp, "/dashboard");
    return SR_OK;
}

/* 429: too many attempts from this address or at this account, or the
 * password hashing queue is full. */
static void
login_too_many(struct req *req, struct resp *resp, int64_t retry_after_s)
{
    web_login_form(req, resp, too_many_msgid);
    resp->status = 429;
    resp->retry_after_s = (int)retry_after_s;
}

int
totp_web_login(struct req *req, struct resp *resp)
{
    const char *user = req_param(req, "username");
    const char *pass = req_param(req, "password");
    int64_t wait_s = throttle_wait(req, user ? user : "");
    if (wait_s > 0) {
        login_too_many(req, resp, wait_s); /* costs no hash */
        return SR_OK;
    }
    struct login_job *job = arena_alloc(req->arena, sizeof *job);
    memset(job, 0, sizeof *job);
    job->vault = req->app->ws->vault;
    job->user = user ? user : "";
    job->pass = pass ? pass : "";
    int rc = http_defer(req, resp, login_work, login_done, job);
    if (rc == SR_ETOOBIG) {
        login_too_many(req, resp, 2);
        return SR_OK;
    }
    return rc;
}

/*
 * The user of a code step's form (its signed step token) into *u and
 * *user_id, the attempt taken from the sign-in limits; or *user_id 0 and
 * the step answered: an expired token 401, too many attempts 429 (on the
 * code page when is_code_page, else the error page).
 */
static int
step_user(struct req *req, struct resp *resp, int is_code_page,
          struct name_row *u, int64_t *user_id)
{
    int64_t id = pending_user(req);
    *user_id = 0;
    if (id <= 0 || user_by_id(req, id, u) != SR_OK) {
        return step_expired(req, resp);
    }
    int64_t wait_s = throttle_wait(req, u->username);
    if (wait_s == 0) {
        *user_id = id;
        return SR_OK;
    }
    resp->retry_after_s = (int)wait_s;
    if (is_code_page) {
        return code_page(req, resp, id, too_many_msgid, 429);
    }
    web_error(req, resp, 429, too_many_msgid);
    return SR_OK;
}

int
totp_web_login_code(struct req *req, struct resp *resp)
{
    const char *code = req_param(req, "code");
    struct name_row u;
    int64_t user_id;
    int rc = step_user(req, resp, 1, &u, &user_id);
    if (user_id == 0) {
        return rc;
    }
    char token[SESSION_TOKEN_HEX + 1];
    struct principal p;
    struct sr_err err = { 0 };
    int used_recovery = 0;
    rc = signin_login(req->db, req->app->ws->vault, user_id, code ? code : "",
                      token, &p, &used_recovery, &err);
    sr_err_release(&err);
    if (rc == SR_EDB || rc == SR_ECRYPTO) {
        return rc;
    }
    if (rc != SR_OK) {
        /* a wrong, used or stale code, and a locked account, read alike */
        return code_page(req, resp, user_id,
                         N_("Wrong code. Please try again."), 401);
    }
    web_session_start(req, resp, token);
    sodium_memzero(token, sizeof token);
    resp_redirect(resp,
                  used_recovery ? "/account?done=recovery" : "/dashboard");
    return SR_OK;
}

/*
 * Confirm the enrolment of the user whose form this is (user_id, shown
 * secret and code in the form): SR_OK with codes written, or the page
 * shown again (and *is_answered set).
 */
static int
confirm_or_again(struct req *req, struct resp *resp, int64_t user_id,
                 const char *username, int64_t page_user_id,
                 char codes[TOTP_RECOVERY_CODES][TOTP_RECOVERY_CHARS + 1],
                 int *is_answered)
{
    const char *shown = req_param(req, "secret");
    const char *code = req_param(req, "code");
    struct sr_err err = { 0 };
    int rc = totp_enrol_confirm(req->db, req->app->ws->vault, user_id, shown,
                                code ? code : "", codes, &err);
    sr_err_release(&err);
    *is_answered = rc != SR_OK;
    if (rc == SR_OK || rc == SR_EDB || rc == SR_ECRYPTO) {
        return rc;
    }
    char b32[TOTP_SECRET_B32 + 1];
    if (is_enrolled(req, user_id)) {
        /* confirmed already (another tab): nothing to set up */
        resp_redirect(resp, user_id == req->who.user_id ? "/account" : "/");
        return SR_OK;
    }
    if (rc == SR_ENOTFOUND || !secret_shape(shown, b32)) {
        /* nothing started, or no secret shown: start again */
        return enrol_start(req, resp, user_id, username);
    }
    rc = enrol_page(req, resp, page_user_id, username, b32,
                    N_("Wrong code. Please try again."), 400);
    sodium_memzero(b32, sizeof b32);
    return rc;
}

int
totp_web_login_enrol(struct req *req, struct resp *resp)
{
    char codes[TOTP_RECOVERY_CODES][TOTP_RECOVERY_CHARS + 1];
    struct name_row u;
    int64_t user_id;
    int rc = step_user(req, resp, 0, &u, &user_id);
    if (user_id == 0) {
        return rc;
    }
    int is_answered = 0;
    rc = confirm_or_again(req, resp, user_id, u.username, user_id, codes,
                          &is_answered);
    if (rc != SR_OK || is_answered) {
        return rc;
    }
    char token[SESSION_TOKEN_HEX + 1];
    struct principal p;
    struct sr_err err = { 0 };
    rc = auth_session_open(req->db, req->app->ws->vault, u.username, token, &p,
                           &err);
    sr_err_release(&err);
    if (rc == SR_OK) {
        web_session_start(req, resp, token);
        req->who = p;
        rc = recovery_page(req, resp, codes);
    } else if (rc != SR_EDB) {
        rc = step_expired(req, resp);
    }
    sodium_memzero(token, sizeof token);
    sodium_memzero(codes, sizeof codes);
    return rc;
}

/* ---- the account page ---------------------------------------------------- */

/* A form's submit button marked as dangerous, and the form's end. */
static void
danger_submit(struct html *h, struct req *req, const char *msgid)
{
    HTML_LIT(h, "<button class=\"btn danger\" type=\"submit\">");
    html_text(h, T(req, msgid));
    HTML_LIT(h, "</button></form>");
}

/* Open the factor's card, with flash_msgid when the page was reached with
 * done=done_value (after a redirect). */
static void
card_begin(struct html *h, struct req *req, const char *done_value,
           const char *flash_msgid)
{
    const char *done = req_param(req, "done");
    web_card_begin(h, req, N_("Two-step sign-in"));
    if (done != NULL && strcmp(done, done_value) == 0) {
        HTML_LIT(h, "<p class=\"flash ok\" role=\"status\">");
        html_text(h, T(req, flash_msgid));
        HTML_LIT(h, "</p>");
    }
}

void
totp_web_account_card(struct html *h, struct req *req, struct resp *resp)
{
    int is_on = is_enrolled(req, req->who.user_id);
    card_begin(h, req, "recovery",
               N_("You signed in with a recovery code. It cannot be used "
                  "again."));
    HTML_LIT(h, "<p id=\"totp-state\">");
    html_text(h, is_on
                     ? T(req, "On: signing in asks for a code from your "
                              "authenticator app.")
                     : T(req, "Off: signing in asks for your password only."));
    HTML_LIT(h, "</p>");
    if (!is_on) {
        HTML_LIT(h, "<form class=\"stack\" method=\"post\" "
                    "action=\"/account/totp\">");
        web_csrf_field(req, resp, h);
        web_submit(h, req, N_("Set up two-step sign-in"), NULL);
        HTML_LIT(h, "</form>");
    } else if (totp_role_requires(req->who.role)) {
        HTML_LIT(h, "<p class=\"muted\">");
        html_text(h, T(req, "Your role must keep it on. If you lose your "
                            "phone, sign in with a recovery code or ask an "
                            "administrator to reset it."));
        HTML_LIT(h, "</p>");
    } else {
        HTML_LIT(h, "<form class=\"stack\" method=\"post\" "
                    "action=\"/account/totp/off\">");
        web_csrf_field(req, resp, h);
        code_input(h, req, TC(req, "sign-in code", "Code"), 1);
        danger_submit(h, req, N_("Turn off two-step sign-in"));
    }
    HTML_LIT(h, "</section>");
}

int
totp_web_account_start(struct req *req, struct resp *resp)
{
    if (is_enrolled(req, req->who.user_id)) {
        resp_redirect(resp, "/account");
        return SR_OK;
    }
    return enrol_start(req, resp, req->who.user_id, req->who.username);
}

int
totp_web_account_confirm(struct req *req, struct resp *resp)
{
    char codes[TOTP_RECOVERY_CODES][TOTP_RECOVERY_CHARS + 1];
    int is_answered = 0;
    int rc = confirm_or_again(req, resp, req->who.user_id, req->who.username, 0,
                              codes, &is_answered);
    if (rc == SR_OK && !is_answered) {
        rc = recovery_page(req, resp, codes);
    }
    sodium_memzero(codes, sizeof codes);
    return rc;
}

int
totp_web_account_off(struct req *req, struct resp *resp)
{
    if (totp_role_requires(req->who.role)) {
        web_error(req, resp, 403,
                  N_("Your role must keep two-step sign-in on."));
        return SR_OK;
    }
    const char *code = req_param(req, "code");
    struct sr_err err = { 0 };
    const struct vault *v = req->app->ws->vault;
    int rc = signin_check(req->db, v, req->who.user_id, code ? code : "", 1,
                          NULL, &err);
    if (rc == SR_OK) {
        rc = signin_reset(req->db, v, req->who.user_id, req->who.user_id,
                          "auth.totp_disable", &err);
    }
    sr_err_release(&err);
    if (rc == SR_EDB || rc == SR_ECRYPTO) {
        return rc;
    }
    if (rc != SR_OK) {
        web_error(req, resp, 400, N_("Wrong code. Please try again."));
        return SR_OK;
    }
    /* every session of the user ended with it: sign in again */
    resp_redirect(resp, "/login");
    return SR_OK;
}

/* ---- the administrator's reset ------------------------------------------- */

void
totp_web_user_card(struct html *h, struct req *req, struct resp *resp,
                   int64_t user_id, int64_t org_id)
{
    int is_on = is_enrolled(req, user_id);
    card_begin(h, req, "totp",
               N_("Two-step sign-in was reset. The user sets it up again at "
                  "the next sign-in."));
    HTML_LIT(h, "<p id=\"user-totp\">");
    html_text(h, T(req, is_on ? "On" : "Off"));
    HTML_LIT(h, "</p>");
    if (is_on && policy_allows(&req->who, ACT_USER_MANAGE, org_id, 0)) {
        char idtxt[32];
        snprintf(idtxt, sizeof idtxt, "%lld", (long long)user_id);
        web_post_form(h, req, resp, "/users/", idtxt, "/totp-reset");
        HTML_LIT(h, "<p class=\"muted\">");
        html_text(h, T(req, "For a user who lost both phone and recovery "
                            "codes. Their sessions end, and they set up a new "
                            "authenticator at their next sign-in."));
        HTML_LIT(h, "</p>");
        danger_submit(h, req, N_("Reset two-step sign-in"));
    }
    HTML_LIT(h, "</section>");
}

int
totp_web_user_reset(struct req *req, struct resp *resp)
{
    const char *p = req_route_param(req, "id");
    long long id;
    struct name_row u;
    /* out of scope answers like absent, so ids cannot be probed */
    if (p == NULL || sr_parse_i64(p, 1, INT64_MAX, &id) != SR_OK ||
        user_by_id(req, (int64_t)id, &u) != SR_OK ||
        !policy_allows(&req->who, ACT_USER_MANAGE, u.org_id, 0)) {
        web_error(req, resp, 404, N_("Page not found."));
        return SR_OK;
    }
    struct sr_err err = { 0 };
    int rc = signin_reset(req->db, req->app->ws->vault, req->who.user_id,
                          (int64_t)id, "user.totp_reset", &err);
    sr_err_release(&err);
    if (rc != SR_OK && rc != SR_ENOTFOUND) {
        return rc;
    }
    resp_redirect(resp, arena_printf(req->arena, "/users/%lld?done=totp", id));
    return SR_OK;
}

/* ---- breaking the glass --------------------------------------------------- */

void
totp_web_glass_field(struct html *h, struct req *req)
{
    code_input(h, req, N_("Code from your authenticator app"), 0);
}

int
totp_web_glass_check(struct req *req, const char **msgid)
{
    if (!is_enrolled(req, req->who.user_id)) {
        *msgid = N_("Set up two-step sign-in on your account page before "
                    "breaking the glass.");
        return SR_EPERM;
    }
    const char *code = req_param(req, "code");
    struct sr_err err = { 0 };
    /* a fresh code only: recovery codes are for signing in */
    int rc = signin_check(req->db, req->app->ws->vault, req->who.user_id,
                          code ? code : "", 0, NULL, &err);
    sr_err_release(&err);
    if (rc == SR_EDB || rc == SR_ECRYPTO) {
        return rc;
    }
    if (rc != SR_OK) {
        *msgid = N_("Wrong code. Please try again.");
        return SR_EPERM;
    }
    return SR_OK;
}
