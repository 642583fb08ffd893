/*
 * test_http.c - runs the declarative HTTP tests in tests/http/NNNN-name.t through
 * the dispatcher in-process, against a fixture workspace (webfix.h).
 *
 * A .t file is a list of lines:
 *   # comment
 *   as USER | as -            sign in as USER (fresh session) or nobody
 *   save NAME | restore NAME  keep this session (up to 8), or go back to
 *                             one kept; {NAME} is then its session token
 *   clock +SECONDS            move the test clock forward
 *   enrol USER                USER sets up an authenticator (its secret
 *                             and recovery codes kept by the harness)
 *   METHOD /path[?query]      start a request (GET POST PUT DELETE HEAD)
 *   form k=v&...              urlencoded body (sets the content type)
 *   body TEXT / type CT       raw body and content type
 *   header Accept-Language: V | header X-CSRF-Token: V |
 *   header Origin: V | header Referer: V | header Host: V
 *   pre TOKEN                 send TOKEN as this request's pre-session
 *                             cookie instead of the file's {pre}
 *   session none|stale        send no session cookie, or a made-up one
 *   cookies none              send no cookie at all (no pre-session token)
 *   tls on|off                the workspace is (not) behind a TLS proxy
 *   expect status N | expect header NAME: SUBSTR | expect body SUBSTR |
 *   expect nobody SUBSTR      (the first expect runs the request)
 *   capture NAME REGEX        remember what the POSIX extended REGEX
 *                             matches in the response (its header lines
 *                             "Name: value", then the body): the first
 *                             parenthesised group, else the whole match;
 *                             no match is a failure. Runs the request.
 * Placeholders: {csrf} this session's token, {csrf_other} another live
 * session's, near misses of this session's token: {csrf_cut} (its first
 * 32 characters), {csrf_half} (its first 32, then 32 others),
 * {csrf_last} (its last character changed), {csrf_long} (the token then
 * "00"); {pre} a pre-session token the workspace signed at the file's
 * start, and its near misses {pre_cut} {pre_half} {pre_last}
 * {pre_long}; {pre_forged} a token of the right shape whose MAC is made
 * here under a random key (not the workspace's); {org_a} {org_b} codes,
 * {id:USERNAME} a user's id, {code:USER} {code:USER:again}
 * {recovery:USER} {recovery:USER:again} codes of USER's authenticator
 * (add_code()), {totp:NAME} the current code of a secret captured as
 * NAME, {NAME} a value captured earlier in the same
 * file (upper-case names, up to 31 bytes, 32 per file; a later capture
 * of the same name replaces it).
 * Every response is also checked for the security headers (one check a
 * file: all its responses have them). Sign-ins are limited as siren.conf's
 * defaults say (README), all requests coming from one client address.
 *
 * Each file runs alone on a fresh copy of the fixture workspace, with the
 * clock at its start: no file sees another's writes (on PostgreSQL,
 * SIREN_TEST_STORE in webfix.h, a copy of the template's database made
 * by the server for each file). Arguments: the
 * directory (default tests/http), then optional number prefixes ("0301")
 * selecting the files to run. Two files may not share a number.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <dirent.h>
#include <regex.h>
#include <stdlib.h>

#include <sodium.h>

#include "core/clock.h"
#include "harness.h"
#include "tally.h"
#include "webfix.h"
#include "core/banned.h"

#define CLOCK_START 1800000000000LL
static int64_t clock_ms = CLOCK_START;

static int64_t
test_clock(void)
{
    return clock_ms;
}

/* the harness's sign-ins move the clock on when they must (webfix.h) */
static void
clock_forward(int64_t ms)
{
    clock_ms += ms;
}

struct run {
    struct webfix *f;
    const char *file;
    int line_no;
    char session[33], csrf[65], other_csrf[65];
    const char *pre;
    char pre_signed[AUTH_PRE_TOKEN_HEX + 1];
    char pre_forged[AUTH_PRE_TOKEN_HEX + 1];
    /* the pending request */
    int has_request, is_done;
    int method;
    char path[1024], query[2048], body[65536], type[128], accept[128];
    char csrf_header[128];
    char origin[256], referer[256], host[256];
    char pre_cookie[256]; /* this request's pre-session cookie, if set */
    int has_pre_cookie;
    int session_mode; /* 0 normal, 1 none, 2 stale, 3 no cookies */
    struct arena arena;
    struct resp resp;
    /* values remembered by capture lines */
    int n_captures;
    char capture_name[32][32], capture_value[32][256];
    int n_header_bad; /* responses lacking a security header */
    /* sessions kept by save lines */
    int n_saved;
    char saved_name[8][32], saved_session[8][33], saved_csrf[8][65];
};

static int id_of_user;
static int64_t found_id;

static int
keep_id(const struct user_row *u, void *ctx)
{
    (void)ctx;
    found_id = u->id;
    id_of_user = 1;
    return 1;
}

/* A hex digit other than c. */
static char
other_hex(char c)
{
    return c == '0' ? '1' : '0';
}

/* Add near miss kind ("cut", "half", "last", "long") of token t; 0 if
 * kind is none of these. */
static int
add_near_miss(struct sr_buf *b, const char *t, const char *kind)
{
    size_t n = strlen(t);
    if (strcmp(kind, "cut") == 0) {
        sr_buf_add(b, t, n / 2);
    } else if (strcmp(kind, "half") == 0) {
        sr_buf_add(b, t, n / 2);
        for (size_t i = n / 2; i < n; i++) {
            sr_buf_addc(b, other_hex(t[i]));
        }
    } else if (strcmp(kind, "last") == 0 && n > 0) {
        sr_buf_add(b, t, n - 1);
        sr_buf_addc(b, other_hex(t[n - 1]));
    } else if (strcmp(kind, "long") == 0) {
        sr_buf_adds(b, t);
        sr_buf_adds(b, "00");
    } else {
        return 0;
    }
    return 1;
}

/*
 * A pre-session token as the workspace makes them (issue time, 16 random
 * bytes, BLAKE2b-256 MAC of those 48 hex characters), but with its MAC
 * under a random key of our own: what an attacker who can set cookies
 * could make.
 */
static void
forge_pre(int64_t now_s, char out[AUTH_PRE_TOKEN_HEX + 1])
{
    unsigned char raw[24], key[32], mac[32];
    for (int i = 0; i < 8; i++) {
        raw[i] = (unsigned char)((uint64_t)now_s >> (56 - 8 * i));
    }
    randombytes_buf(raw + 8, 16);
    randombytes_buf(key, sizeof key);
    sodium_bin2hex(out, 49, raw, sizeof raw);
    REQUIRE(crypto_generichash(mac, sizeof mac, (const unsigned char *)out, 48,
                               key, sizeof key) == 0);
    sodium_bin2hex(out + 48, 65, mac, sizeof mac);
}

static void fail_at(struct run *r, const char *what);

/*
 * {code:USER}: a code of USER's authenticator (enrolled by an enrol line
 * or by signing in) for a step not typed before, as a phone shows it;
 * {code:USER:again} the last one typed again; {recovery:USER} the next of
 * USER's recovery codes not handed out, {recovery:USER:again} the last.
 */
static void
add_code(struct run *r, struct sr_buf *b, const char *key)
{
    int is_code = key[0] == 'c';
    const char *user = strchr(key, ':') + 1;
    const char *again = strchr(user, ':');
    char name[33];
    snprintf(name, sizeof name, "%.*s",
             (int)(again ? (size_t)(again - user) : strlen(user)), user);
    struct webfix_app *a = webfix_app_of(r->f, name);
    if (a->b32[0] == '\0') {
        fail_at(r, "no authenticator enrolled for a {code:} placeholder");
        return;
    }
    if (is_code) {
        char code[7];
        if (again == NULL) {
            REQUIRE(webfix_next_code(a, code) == 0);
        } else {
            REQUIRE(totpfix_code(a->b32, a->last_step * 30, code) == 0);
        }
        sr_buf_adds(b, code);
    } else {
        int k = a->n_recovery_used - (again != NULL);
        REQUIRE(k >= 0 && k < TOTP_RECOVERY_CODES);
        sr_buf_adds(b, a->recovery[k]);
        a->n_recovery_used += again == NULL;
    }
}

/* {totp:NAME}: the code a phone shows now for the base32 secret captured
 * as NAME (spaces dropped), computed by liboath (totpfix.h). */
static void
add_totp(struct run *r, struct sr_buf *b, const char *name)
{
    int k = r->n_captures - 1;
    while (k >= 0 && strcmp(r->capture_name[k], name) != 0) {
        k--;
    }
    char b32[64], code[7];
    size_t n = 0;
    for (const char *p = k >= 0 ? r->capture_value[k] : ""; *p && n < 63; p++) {
        if (*p != ' ') {
            b32[n++] = *p;
        }
    }
    b32[n] = '\0';
    if (k < 0 || totpfix_code(b32, sr_now(), code) != 0) {
        fail_at(r, "no secret captured for a {totp:} placeholder");
        return;
    }
    sr_buf_adds(b, code);
}

/* Expand placeholders of line into out. */
static void
expand(struct run *r, const char *in, char *out, size_t size)
{
    struct sr_buf b;
    sr_buf_init(&b, size - 1);
    while (*in) {
        if (*in == '{') {
            const char *end = strchr(in, '}');
            if (end != NULL) {
                char key[128];
                size_t n = (size_t)(end - in - 1);
                if (n < sizeof key) {
                    memcpy(key, in + 1, n);
                    key[n] = '\0';
                    if (strcmp(key, "csrf") == 0) {
                        sr_buf_adds(&b, r->csrf);
                    } else if (strcmp(key, "csrf_other") == 0) {
                        sr_buf_adds(&b, r->other_csrf);
                    } else if (strncmp(key, "csrf_", 5) == 0 &&
                               add_near_miss(&b, r->csrf, key + 5)) {
                        /* added */
                    } else if (strcmp(key, "pre") == 0) {
                        sr_buf_adds(&b, r->pre);
                    } else if (strcmp(key, "pre_forged") == 0) {
                        sr_buf_adds(&b, r->pre_forged);
                    } else if (strncmp(key, "pre_", 4) == 0 &&
                               add_near_miss(&b, r->pre, key + 4)) {
                        /* added */
                    } else if (strcmp(key, "org_a") == 0) {
                        sr_buf_adds(&b, r->f->org_a);
                    } else if (strcmp(key, "org_b") == 0) {
                        sr_buf_adds(&b, r->f->org_b);
                    } else if (strncmp(key, "totp:", 5) == 0) {
                        add_totp(r, &b, key + 5);
                    } else if (strncmp(key, "code:", 5) == 0 ||
                               strncmp(key, "recovery:", 9) == 0) {
                        add_code(r, &b, key);
                    } else if (strncmp(key, "id:", 3) == 0) {
                        struct sr_err err = { 0 };
                        id_of_user = 0;
                        user_get(r->f->ws->db, 0, key + 3, keep_id, NULL, &err);
                        sr_err_release(&err);
                        sr_buf_printf(&b, "%lld",
                                      id_of_user ? (long long)found_id : 0LL);
                    } else {
                        int k = r->n_captures - 1;
                        while (k >= 0 && strcmp(r->capture_name[k], key) != 0) {
                            k--;
                        }
                        if (k >= 0) {
                            sr_buf_adds(&b, r->capture_value[k]);
                        } else {
                            sr_buf_add(&b, in, n + 2);
                        }
                    }
                    in = end + 1;
                    continue;
                }
            }
        }
        sr_buf_addc(&b, *in++);
    }
    snprintf(out, size, "%s", b.data);
    sr_buf_release(&b);
}

struct header_check {
    const char *name, *want;
    int is_found, has_csp, has_nosniff, has_referrer, has_nostore;
    int is_csp_weak;
    struct sr_buf all;
};

static void
collect(const char *name, const char *value, void *ctx)
{
    struct header_check *h = ctx;
    sr_buf_printf(&h->all, "%s: %s\n", name, value);
    if (h->name != NULL && strcasecmp(name, h->name) == 0 &&
        strstr(value, h->want) != NULL) {
        h->is_found = 1;
    }
    if (strcmp(name, "Content-Security-Policy") == 0) {
        h->has_csp = strstr(value, "frame-ancestors 'none'") != NULL;
        h->is_csp_weak = strstr(value, "unsafe-") != NULL;
    }
    if (strcmp(name, "X-Content-Type-Options") == 0) {
        h->has_nosniff = strcmp(value, "nosniff") == 0;
    }
    if (strcmp(name, "Referrer-Policy") == 0) {
        h->has_referrer = strcmp(value, "same-origin") == 0;
    }
    if (strcmp(name, "Cache-Control") == 0) {
        h->has_nostore = strcmp(value, "no-store") == 0;
    }
}

static void
fail_at(struct run *r, const char *what)
{
    n_fail++;
    fprintf(stderr, "%s:%d: %s (status %d)\n", r->file, r->line_no, what,
            r->resp.status);
}

static void
pass_if(struct run *r, int ok, const char *what)
{
    if (ok) {
        n_pass++;
    } else {
        fail_at(r, what);
    }
}

static void
finish_request(struct run *r)
{
    if (r->has_request) {
        arena_release(&r->arena);
        sr_buf_release(&r->resp.body);
        r->has_request = 0;
    }
}

/* Dispatch the pending request as webfix_request() does, with the
 * Origin, Referer and Host headers of the file as well. */
static void
send_request(struct run *r, const char *sess, const char *pre)
{
    struct arena *a = &r->arena;
    struct req req;
    memset(&req, 0, sizeof req);
    req.arena = a;
    req.app = &r->f->app;
    req.db = r->f->ws->db;
    req.method = r->method;
    req.path = arena_strdup(a, r->path);
    req.body = arena_strdup(a, r->body);
    req.body_len = strlen(r->body);
    req.content_type = r->type;
    req.accept_language = r->accept;
    req.csrf_header = r->csrf_header;
    req.cookie_session = sess;
    req.cookie_pre = pre;
    req.cookie_lang = "";
    req.origin = r->origin;
    req.referer = r->referer;
    req.host = r->host;
    snprintf(req.request_id, sizeof req.request_id, "test");
    if ((r->query[0] != '\0' &&
         http_parse_urlencoded(a, r->query, strlen(r->query), HTTP_MAX_PARAMS,
                               &req.query, &req.n_query) != SR_OK) ||
        (r->body[0] != '\0' &&
         strncmp(r->type, "application/x-www-form-urlencoded", 33) == 0 &&
         http_parse_urlencoded(a, r->body, strlen(r->body), HTTP_MAX_PARAMS,
                               &req.form, &req.n_form) != SR_OK)) {
        r->resp.status = 400;
        return;
    }
    http_dispatch(&req, &r->resp);
}

static void
execute(struct run *r)
{
    if (r->is_done) {
        return;
    }
    r->is_done = 1;
    const char *sess = r->session_mode == 1 ? ""
                       : r->session_mode == 2
                           ? "0123456789abcdef0123456789abcdef"
                           : r->session;
    if (r->session_mode == 3) {
        sess = "";
    }
    send_request(r, sess,
                 r->session_mode == 3 ? ""
                 : r->has_pre_cookie  ? r->pre_cookie
                                      : r->pre);
    struct header_check h = { 0 };
    sr_buf_init(&h.all, 0);
    http_each_header(NULL, &r->resp, collect, &h);
    const char *bad =
        !h.has_csp || h.is_csp_weak               ? "CSP header missing or weak"
        : !h.has_nosniff || !h.has_referrer       ? "nosniff/referrer missing"
        : !h.has_nostore && !r->resp.is_cacheable ? "no-store missing"
        : strstr(r->resp.body.data, WEBFIX_PW) != NULL
            ? "a password reached a response"
            : NULL;
    if (bad != NULL) {
        r->n_header_bad++;
        fprintf(stderr, "%s:%d: %s (status %d)\n", r->file, r->line_no, bad,
                r->resp.status);
    }
    sr_buf_release(&h.all);
}

static void
expect(struct run *r, const char *what)
{
    execute(r);
    if (strncmp(what, "status ", 7) == 0) {
        char msg[64];
        snprintf(msg, sizeof msg, "want status %s", what + 7);
        pass_if(r, r->resp.status == (int)strtol(what + 7, NULL, 10), msg);
    } else if (strncmp(what, "header ", 7) == 0) {
        char name[128];
        const char *colon = strchr(what + 7, ':');
        size_t n = colon ? (size_t)(colon - what - 7) : 0;
        if (colon == NULL || n >= sizeof name) {
            fail_at(r, "bad expect header line");
            return;
        }
        memcpy(name, what + 7, n);
        name[n] = '\0';
        struct header_check h = { 0 };
        h.name = name;
        h.want = colon[1] == ' ' ? colon + 2 : colon + 1;
        sr_buf_init(&h.all, 0);
        http_each_header(NULL, &r->resp, collect, &h);
        if (!h.is_found) {
            fprintf(stderr, "headers were:\n%s", h.all.data);
        }
        pass_if(r, h.is_found, what);
        sr_buf_release(&h.all);
    } else if (strncmp(what, "body ", 5) == 0) {
        int ok = strstr(r->resp.body.data, what + 5) != NULL;
        if (!ok) {
            fprintf(stderr, "body was:\n%.2000s\n", r->resp.body.data);
        }
        pass_if(r, ok, what);
    } else if (strncmp(what, "nobody ", 7) == 0) {
        pass_if(r, strstr(r->resp.body.data, what + 7) == NULL, what);
    } else {
        fail_at(r, "unknown expect");
    }
}

static void
add_header_line(const char *name, const char *value, void *ctx)
{
    sr_buf_printf(ctx, "%s: %s\n", name, value);
}

/* Remember value under name, as a capture line would. */
static void
remember(struct run *r, const char *name, const char *value)
{
    int k = 0;
    while (k < r->n_captures && strcmp(r->capture_name[k], name) != 0) {
        k++;
    }
    if (k == 32) {
        fail_at(r, "too many captures");
        return;
    }
    if (k == r->n_captures) {
        r->n_captures++;
    }
    snprintf(r->capture_name[k], sizeof r->capture_name[k], "%s", name);
    snprintf(r->capture_value[k], sizeof r->capture_value[k], "%s", value);
}

/* save NAME / restore NAME: keep the session, or take a kept one back. */
static void
save_restore(struct run *r, const char *name, int is_save)
{
    int k = 0;
    while (k < r->n_saved && strcmp(r->saved_name[k], name) != 0) {
        k++;
    }
    if (is_save) {
        if (k == 8 || strlen(name) >= sizeof r->saved_name[0]) {
            fail_at(r, "bad save line");
            return;
        }
        r->n_saved += k == r->n_saved;
        snprintf(r->saved_name[k], sizeof r->saved_name[k], "%s", name);
        memcpy(r->saved_session[k], r->session, sizeof r->session);
        memcpy(r->saved_csrf[k], r->csrf, sizeof r->csrf);
        remember(r, name, r->session);
    } else if (k == r->n_saved) {
        fail_at(r, "restore of a session never saved");
    } else {
        memcpy(r->session, r->saved_session[k], sizeof r->session);
        memcpy(r->csrf, r->saved_csrf[k], sizeof r->csrf);
    }
}

/* capture NAME REGEX: remember a value of the response (see the header). */
static void
capture(struct run *r, const char *arg)
{
    execute(r);
    char name[32];
    size_t n = strcspn(arg, " ");
    if (n == 0 || n >= sizeof name || arg[n] != ' ') {
        fail_at(r, "bad capture line");
        return;
    }
    memcpy(name, arg, n);
    name[n] = '\0';
    regex_t re;
    if (regcomp(&re, arg + n + 1, REG_EXTENDED) != 0) {
        fail_at(r, "bad capture regex");
        return;
    }
    struct sr_buf all;
    sr_buf_init(&all, 0);
    http_each_header(NULL, &r->resp, add_header_line, &all);
    sr_buf_adds(&all, r->resp.body.data);
    regmatch_t m[2];
    int ok = regexec(&re, all.data, 2, m, 0) == 0;
    if (ok) {
        regmatch_t *g = m[1].rm_so >= 0 ? &m[1] : &m[0];
        int k = 0;
        while (k < r->n_captures && strcmp(r->capture_name[k], name) != 0) {
            k++;
        }
        if (k == r->n_captures && k < 32) {
            r->n_captures++;
        }
        if (k < 32) {
            snprintf(r->capture_name[k], sizeof r->capture_name[k], "%s", name);
            snprintf(r->capture_value[k], sizeof r->capture_value[k], "%.*s",
                     (int)(g->rm_eo - g->rm_so), all.data + g->rm_so);
        }
        ok = k < 32;
    } else {
        fprintf(stderr, "response was:\n%.2000s\n", all.data);
    }
    pass_if(r, ok, arg);
    sr_buf_release(&all);
    regfree(&re);
}

static int
method_code(const char *m)
{
    static const char *const names[] = { "GET", "POST", "HEAD", "PUT",
                                         "DELETE" };
    static const int codes[] = { HTTP_GET, HTTP_POST, HTTP_HEAD, HTTP_PUT,
                                 HTTP_DELETE };
    for (size_t i = 0; i < 5; i++) {
        if (strcmp(m, names[i]) == 0) {
            return codes[i];
        }
    }
    return 0;
}

static void
run_file(struct webfix *f, const char *path)
{
    FILE *in = fopen(path, "r");
    if (in == NULL) {
        n_fail++;
        fprintf(stderr, "cannot read %s\n", path);
        return;
    }
    struct run r;
    memset(&r, 0, sizeof r);
    r.f = f;
    r.file = path;
    REQUIRE(auth_pre_token_new(f->ws->vault, CLOCK_START / 1000,
                               r.pre_signed) == SR_OK);
    forge_pre(CLOCK_START / 1000, r.pre_forged);
    r.pre = r.pre_signed;
    static char raw[65536], line[65536]; /* a long form: 0105 */
    while (fgets(raw, sizeof raw, in) != NULL) {
        r.line_no++;
        raw[strcspn(raw, "\r\n")] = '\0';
        const char *s = raw;
        while (*s == ' ') {
            s++;
        }
        if (*s == '#' || *s == '\0') {
            continue;
        }
        expand(&r, s, line, sizeof line);
        char *sp = strchr(line, ' ');
        const char *arg = sp ? sp + 1 : "";
        if (sp) {
            *sp = '\0';
        }
        if (strcmp(line, "as") == 0) {
            finish_request(&r);
            r.session[0] = r.csrf[0] = '\0';
            if (strcmp(arg, "-") != 0) {
                char t2[33];
                if (webfix_login(f, arg, r.session, r.csrf) != 0 ||
                    webfix_login(f, arg, t2, r.other_csrf) != 0) {
                    fail_at(&r, "cannot sign in");
                }
            }
        } else if (strcmp(line, "enrol") == 0) {
            finish_request(&r);
            struct sr_err err = { 0 };
            id_of_user = 0;
            user_get(f->ws->db, 0, arg, keep_id, NULL, &err);
            if (!id_of_user || webfix_enrol(f, found_id, webfix_app_of(f, arg),
                                            &err) != SR_OK) {
                fail_at(&r, "cannot enrol an authenticator");
            }
            sr_err_release(&err);
        } else if (strcmp(line, "save") == 0 || strcmp(line, "restore") == 0) {
            finish_request(&r);
            save_restore(&r, arg, line[0] == 's');
        } else if (strcmp(line, "tls") == 0) {
            f->ws->cfg.is_tls_proxied = strcmp(arg, "on") == 0;
        } else if (strcmp(line, "clock") == 0) {
            clock_ms += strtoll(arg, NULL, 10) * 1000;
        } else if (method_code(line) != 0) {
            finish_request(&r);
            r.has_request = 1;
            r.is_done = 0;
            r.method = method_code(line);
            arena_init(&r.arena);
            memset(&r.resp, 0, sizeof r.resp);
            sr_buf_init(&r.resp.body, 0);
            const char *q = strchr(arg, '?');
            size_t pl = q ? (size_t)(q - arg) : strlen(arg);
            snprintf(r.path, sizeof r.path, "%.*s", (int)pl, arg);
            snprintf(r.query, sizeof r.query, "%s", q ? q + 1 : "");
            r.body[0] = r.type[0] = r.accept[0] = r.csrf_header[0] = '\0';
            r.origin[0] = r.referer[0] = r.host[0] = '\0';
            r.has_pre_cookie = 0;
            r.session_mode = 0;
        } else if (!r.has_request) {
            fail_at(&r, "line outside a request");
        } else if (strcmp(line, "form") == 0) {
            snprintf(r.body, sizeof r.body, "%s", arg);
            snprintf(r.type, sizeof r.type,
                     "application/x-www-form-urlencoded");
        } else if (strcmp(line, "body") == 0) {
            snprintf(r.body, sizeof r.body, "%s", arg);
        } else if (strcmp(line, "type") == 0) {
            snprintf(r.type, sizeof r.type, "%s", arg);
        } else if (strcmp(line, "header") == 0) {
            if (strncmp(arg, "Accept-Language: ", 17) == 0) {
                snprintf(r.accept, sizeof r.accept, "%s", arg + 17);
            } else if (strncmp(arg, "X-CSRF-Token: ", 14) == 0) {
                snprintf(r.csrf_header, sizeof r.csrf_header, "%s", arg + 14);
            } else if (strncmp(arg, "Origin: ", 8) == 0) {
                snprintf(r.origin, sizeof r.origin, "%s", arg + 8);
            } else if (strncmp(arg, "Referer: ", 9) == 0) {
                snprintf(r.referer, sizeof r.referer, "%s", arg + 9);
            } else if (strncmp(arg, "Host: ", 6) == 0) {
                snprintf(r.host, sizeof r.host, "%s", arg + 6);
            } else {
                fail_at(&r, "unsupported header");
            }
        } else if (strcmp(line, "pre") == 0) {
            snprintf(r.pre_cookie, sizeof r.pre_cookie, "%s", arg);
            r.has_pre_cookie = 1;
        } else if (strcmp(line, "cookies") == 0) {
            r.session_mode = 3;
        } else if (strcmp(line, "session") == 0) {
            r.session_mode = strcmp(arg, "none") == 0 ? 1 : 2;
        } else if (strcmp(line, "expect") == 0) {
            expect(&r, arg);
        } else if (strcmp(line, "capture") == 0) {
            capture(&r, arg);
        } else {
            fail_at(&r, "unknown line");
        }
    }
    finish_request(&r);
    fclose(in);
    /* every response of the file: CSP, nosniff, referrer policy, no-store
     * (or cacheable), no password */
    r.line_no = 0;
    pass_if(&r, r.n_header_bad == 0, "responses without security headers");
}

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Point the workspace in dir at the PostgreSQL database url: its
 * siren.conf's store line replaced. */
static void
point_store(const char *dir, const char *url)
{
    struct sr_err err = { 0 };
    struct sr_buf in, out;
    char path[128];
    snprintf(path, sizeof path, "%s/siren.conf", dir);
    REQUIRE(sr_read_file(path, 65536, &in, &err) == SR_OK);
    sr_buf_init(&out, 0);
    int n_store = 0;
    for (const char *p = in.data; *p != '\0';) {
        size_t n = strcspn(p, "\n");
        if (strncmp(p, "store = ", 8) == 0) {
            sr_buf_printf(&out, "store = %s\n", url);
            n_store++;
        } else {
            sr_buf_printf(&out, "%.*s\n", (int)n, p);
        }
        p += n + (p[n] == '\n');
    }
    REQUIRE(n_store == 1);
    REQUIRE(sr_write_file_atomic(path, out.data, out.len, 0600, &err) == SR_OK);
    sr_buf_release(&in);
    sr_buf_release(&out);
}

/* A fresh copy of the template workspace (made once: its KDF and password
 * hashes are slow) in a new directory, opened. On PostgreSQL its database
 * is copied by the server (CREATE DATABASE ... TEMPLATE) and the copy's
 * siren.conf names the new one. */
static void
fixture_copy(const struct webfix *tmpl, struct webfix *f)
{
    struct sr_err err = { 0 };
    char cmd[256];
    *f = *tmpl;
    snprintf(f->dir, sizeof f->dir, "/tmp/siren-web-XXXXXX");
    REQUIRE(mkdtemp(f->dir) != NULL);
    snprintf(cmd, sizeof cmd, "cp -a '%s'/. '%s'/", tmpl->dir, f->dir);
    REQUIRE(system(cmd) == 0);
    if (tmpl->pg_db[0] != '\0') {
        char url[512];
        webfix_pg_create(f, tmpl->pg_db, url, sizeof url);
        point_store(f->dir, url);
    }
    if (ws_open(f->dir, "webfix pass", 11, 0, &f->ws, &err) != SR_OK) {
        fprintf(stderr, "fixture copy: %s\n", sr_err_msg(&err));
        exit(2);
    }
    webfix_group(f);
    f->app.ws = f->ws;
    /* the sign-in limits of siren.conf, as 'siren serve' sets them; every
     * request of a file comes from the same (empty) client address */
    struct auth_limits lim = { f->ws->cfg.signin_addr_burst,
                               f->ws->cfg.signin_addr_per_minute,
                               f->ws->cfg.signin_account_burst,
                               f->ws->cfg.signin_account_per_minute };
    http_set_throttle(auth_throttle_new(&lim));
}

/* 1 when name is selected: no prefixes given, or it starts with one */
static int
is_selected(const char *name, int n_want, char **want, int *used)
{
    if (n_want == 0) {
        return 1;
    }
    for (int i = 0; i < n_want; i++) {
        if (strncmp(name, want[i], strlen(want[i])) == 0) {
            used[i] = 1;
            return 1;
        }
    }
    return 0;
}

int
main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests/http";
    int n_want = argc > 2 ? argc - 2 : 0;
    char **want = argv + 2;
    int used[64] = { 0 };
    REQUIRE(n_want <= 64);
    sr_clock_set(test_clock);
    webfix_clock_forward = clock_forward;
    DIR *d = opendir(dir);
    char *names[512];
    size_t n = 0;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL && n < 512) {
        size_t len = strlen(e->d_name);
        if (len > 2 && strcmp(e->d_name + len - 2, ".t") == 0) {
            names[n++] = sr_xstrdup(e->d_name);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    qsort(names, n, sizeof names[0], cmp_names);
    CHECK(n > 0);
    /* NNNN-name.t, and no two files share a number */
    int n_dup = 0;
    for (size_t i = 0; i < n; i++) {
        if (strspn(names[i], "0123456789") != 4 || names[i][4] != '-') {
            n_dup++;
            fprintf(stderr, "%s/%s: not named NNNN-name.t\n", dir, names[i]);
        } else if (i > 0 && strncmp(names[i], names[i - 1], 5) == 0) {
            n_dup++;
            fprintf(stderr, "%s/%s and %s share a number\n", dir, names[i - 1],
                    names[i]);
        }
    }
    CHECK(n_dup == 0);
    struct webfix tmpl;
    webfix_open(&tmpl);
    webfix_ws_close(&tmpl);
    size_t n_run = 0;
    int n_wrong_store = 0; /* fixtures not on SIREN_TEST_STORE's store */
    for (size_t i = 0; i < n; i++) {
        if (is_selected(names[i], n_want, want, used)) {
            char path[1024];
            struct webfix f;
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            fixture_copy(&tmpl, &f);
            /* on SIREN_TEST_STORE's store, and on PostgreSQL a database of
             * its own, not the template's */
            n_wrong_store +=
                !webfix_on_right_store(&f, 10) ||
                (f.pg_db[0] != '\0' && strcmp(f.pg_db, tmpl.pg_db) == 0);
            clock_ms = CLOCK_START;
            run_file(&f, path);
            auth_throttle_free(http_throttle());
            http_set_throttle(NULL);
            webfix_close(&f);
            n_run++;
        }
        free(names[i]);
    }
    CHECK(n_run == 0 || n_wrong_store == 0);
    /* every number asked for selects a file */
    for (int i = 0; i < n_want; i++) {
        if (!used[i]) {
            n_fail++;
            fprintf(stderr, "no %s/%s*.t\n", dir, want[i]);
        }
    }
    webfix_close(&tmpl);
    printf("test_http: ran %zu of %zu files\n", n_run, n);
    return TEST_DONE("test_http");
}
