/*
 * http.c - the web server: libmicrohttpd adapter, our own request checks,
 * route matching, and the checks that run before every handler.
 *
 * The only file that includes microhttpd.h. Owns the per-worker database
 * connections (one per thread, opened on first use, closed at thread exit)
 * and the count of requests in flight used for a clean SIGTERM. Logs one
 * line per request: method, route pattern, status, ms, request id - never
 * a path with ids, a query string, a cookie or a body.
 *
 * Also owns the defences against one client starving the others: the
 * slow pool (a few low-priority threads that run password hashing while
 * the request waits suspended, with a bounded queue: 429 past it), and
 * the connection table whose watchdog closes connections that have not
 * sent a whole request head within the head deadline (libmicrohttpd's
 * own timeout restarts at every byte, so trickled bytes would hold a
 * connection for ever). A 429 is held back a second before it is sent
 * (suspended, holding no thread), so clients that ignore Retry-After
 * cannot turn refusals into a flood that eats the CPU.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/http.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "base/auth.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/log.h"
#include "base/vault.h"
#include "base/workspace.h"
#include "core/banned.h"

/* ---- parameters and cookies ------------------------------------------ */

static int
hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Percent-decode s[0..len) ('+' is a space when is_form) into an arena
 * string; SR_EINVAL on a bad escape or invalid UTF-8 (or NUL). */
static int
url_decode(struct arena *a, const char *s, size_t len, int is_form, char **out)
{
    char *d = arena_alloc(a, len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%') {
            int hi, lo;
            if (i + 2 >= len || (hi = hexval(s[i + 1])) < 0 ||
                (lo = hexval(s[i + 2])) < 0) {
                return SR_EINVAL;
            }
            d[n++] = (char)(hi * 16 + lo);
            i += 2;
        } else if (s[i] == '+' && is_form) {
            d[n++] = ' ';
        } else {
            d[n++] = s[i];
        }
    }
    d[n] = '\0';
    if (!sr_utf8_valid(d, n)) {
        return SR_EINVAL;
    }
    *out = d;
    return SR_OK;
}

int
http_parse_urlencoded(struct arena *a, const char *s, size_t len,
                      size_t max_pairs, struct kv **out, size_t *n_out)
{
    size_t n_pairs = 0;
    for (size_t i = 0; i < len; i++) {
        n_pairs += s[i] == '&';
    }
    n_pairs += len > 0;
    if (n_pairs > max_pairs) {
        return SR_ETOOBIG;
    }
    struct kv *kv = arena_alloc(a, (n_pairs ? n_pairs : 1) * sizeof *kv);
    size_t n = 0, start = 0;
    while (start < len) {
        size_t end = start;
        while (end < len && s[end] != '&') {
            end++;
        }
        if (end > start) {
            size_t eq = start;
            while (eq < end && s[eq] != '=') {
                eq++;
            }
            char *k, *v;
            if (url_decode(a, s + start, eq - start, 1, &k) != SR_OK ||
                url_decode(a, s + (eq < end ? eq + 1 : end),
                           eq < end ? end - eq - 1 : 0, 1, &v) != SR_OK) {
                return SR_EINVAL;
            }
            kv[n].key = k;
            kv[n].value = v;
            n++;
        }
        start = end + 1;
    }
    *out = kv;
    *n_out = n;
    return SR_OK;
}

const char *
http_cookie(struct arena *a, const char *header, const char *name)
{
    size_t nl = strlen(name);
    const char *p = header ? header : "";
    while (*p != '\0') {
        while (*p == ' ' || *p == ';') {
            p++;
        }
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
            return arena_strndup(a, p + nl + 1, len - nl - 1);
        }
        p += len;
    }
    return "";
}

const char *
req_param(const struct req *req, const char *name)
{
    for (size_t i = 0; i < req->n_form; i++) {
        if (strcmp(req->form[i].key, name) == 0) {
            return req->form[i].value;
        }
    }
    for (size_t i = 0; i < req->n_query; i++) {
        if (strcmp(req->query[i].key, name) == 0) {
            return req->query[i].value;
        }
    }
    return NULL;
}

const char *
req_route_param(const struct req *req, const char *name)
{
    for (size_t i = 0; i < req->n_params; i++) {
        if (strcmp(req->params[i].key, name) == 0) {
            return req->params[i].value;
        }
    }
    return NULL;
}

void
resp_redirect(struct resp *resp, const char *path)
{
    resp->status = 303;
    resp->location = path;
}

void
resp_cookie(struct resp *resp, const char *value)
{
    if (resp->n_cookies < RESP_MAX_COOKIES) {
        resp->cookies[resp->n_cookies++] = value;
    }
}

const char *
http_session_cookie_name(const struct app *app)
{
    return app->ws->cfg.is_tls_proxied ? "__Host-siren_session"
                                       : "siren_session";
}

const char *
http_pre_cookie_name(const struct app *app)
{
    return app->ws->cfg.is_tls_proxied ? "__Host-siren_pre" : "siren_pre";
}

/* ---- routing and the checks before every handler --------------------- */

/* Match path against pattern; fills req->params. */
static int
route_match(struct req *req, const char *pattern, const char *path)
{
    size_t n_params = 0;
    while (*pattern != '\0' && *path != '\0') {
        if (*pattern != '/' || *path != '/') {
            return 0;
        }
        pattern++;
        path++;
        const char *pe = strchr(pattern, '/');
        const char *se = strchr(path, '/');
        size_t pl = pe ? (size_t)(pe - pattern) : strlen(pattern);
        size_t sl = se ? (size_t)(se - path) : strlen(path);
        if (pl > 2 && pattern[0] == '{' && pattern[pl - 1] == '}') {
            if (sl == 0 || n_params >= 4) {
                return 0;
            }
            req->params[n_params].key =
                arena_strndup(req->arena, pattern + 1, pl - 2);
            req->params[n_params].value = arena_strndup(req->arena, path, sl);
            n_params++;
        } else if (pl != sl || strncmp(pattern, path, pl) != 0) {
            return 0;
        }
        pattern += pl;
        path += sl;
    }
    if (*pattern != '\0' || *path != '\0') {
        return 0;
    }
    req->n_params = n_params;
    return 1;
}

static int
csrf_ok(const struct req *req)
{
    const char *given = req_param(req, "csrf");
    if (given == NULL || given[0] == '\0') {
        given = req->csrf_header;
    }
    const char *want = req->who.user_id > 0 ? req->who.csrf : req->cookie_pre;
    /* without a session, the cookie must be a token this server signed:
     * a pair an attacker made up (a planted cookie and the same value in
     * the form) is refused */
    if (req->who.user_id <= 0 &&
        !auth_pre_token_check(req->app->ws->vault, want, sr_now_ms() / 1000,
                              AUTH_PRE_TOKEN_TTL_S)) {
        return 0;
    }
    size_t n = strlen(want);
    if (n < 32 || given == NULL || strlen(given) != n) {
        return 0;
    }
    return sodium_memcmp(given, want, n) == 0;
}

#define ORIGIN_MAX 300 /* bytes of a normalised scheme://host[:port] */

/*
 * The origin of url ("http" or "https" "://" host [":" port], from an
 * Origin header, a Referer or our own scheme and Host) into out: lower
 * case, the scheme's default port dropped, the path cut. Returns 0, or
 * -1 for anything else ("null", another scheme, user info, too long).
 */
static int
origin_of(const char *url, char out[ORIGIN_MAX])
{
    size_t scheme_len = strncasecmp(url, "https://", 8) == 0  ? 5
                        : strncasecmp(url, "http://", 7) == 0 ? 4
                                                              : 0;
    if (scheme_len == 0) {
        return -1;
    }
    const char *host = url + scheme_len + 3;
    size_t n = strcspn(host, "/?#");
    if (n == 0 || n + scheme_len + 3 >= ORIGIN_MAX ||
        memchr(host, '@', n) != NULL) {
        return -1;
    }
    const char *def = scheme_len == 5 ? ":443" : ":80";
    size_t dl = strlen(def);
    if (n > dl && strncmp(host + n - dl, def, dl) == 0) {
        n -= dl;
    }
    size_t k = 0;
    for (size_t i = 0; i < scheme_len + 3; i++) {
        /* letters to lower case; ':' and '/' already have the bit */
        out[k++] = (char)(url[i] | 0x20);
    }
    for (size_t i = 0; i < n; i++) {
        char c = host[i];
        if ((unsigned char)c <= ' ' || (unsigned char)c >= 0x7f) {
            return -1;
        }
        out[k++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    out[k] = '\0';
    return 0;
}

/*
 * A state change must come from our own pages: its Origin, or when the
 * browser sent none its Referer, names this server (scheme + Host; https
 * behind a TLS proxy). Browsers send Origin on every cross-site POST, so
 * a forged form is refused here whatever its token. "Origin: null" (a
 * sandboxed frame, a data: URL) is refused too. With neither header (a
 * client that is not a browser, an old one) the CSRF token alone decides.
 */
static int
origin_ok(const struct req *req)
{
    const char *from =
        req->origin != NULL && req->origin[0] != '\0'     ? req->origin
        : req->referer != NULL && req->referer[0] != '\0' ? req->referer
                                                          : NULL;
    if (from == NULL) {
        return 1;
    }
    const char *host = req->host != NULL ? req->host : "";
    char own_url[ORIGIN_MAX + 16], own[ORIGIN_MAX], theirs[ORIGIN_MAX];
    if (host[0] == '\0' || strlen(host) >= ORIGIN_MAX) {
        return 0;
    }
    snprintf(own_url, sizeof own_url, "%s://%s",
             req->app->ws->cfg.is_tls_proxied ? "https" : "http", host);
    return origin_of(own_url, own) == 0 && origin_of(from, theirs) == 0 &&
           strcmp(own, theirs) == 0;
}

static int
content_type_is(const char *ct, const char *want)
{
    size_t n = strlen(want);
    return strncmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';');
}

void
http_dispatch(struct req *req, struct resp *resp)
{
    assert(req != NULL && resp != NULL && req->arena != NULL);
    resp->status = 200;
    if (resp->content_type == NULL) {
        resp->content_type = "text/html; charset=utf-8";
    }
    req->who.role = ROLE_NONE;
    req->lang = i18n_pick(req->cookie_lang, req->accept_language);

    /* before routing, so that no method or path escapes it */
    if (req->method != HTTP_GET && req->method != HTTP_HEAD &&
        !origin_ok(req)) {
        http_error(req, resp, 403,
                   N_("This request came from another site and was "
                      "refused."));
        return;
    }
    const struct route *match = NULL;
    int path_known = 0, allowed = 0;
    for (const struct route *r = http_routes; r->pattern != NULL; r++) {
        if (route_match(req, r->pattern, req->path)) {
            path_known = 1;
            allowed |= r->methods;
            int m = req->method == HTTP_HEAD ? HTTP_GET : req->method;
            if (r->methods & m) {
                match = r;
                break;
            }
        }
    }
    req->route = match;
    int is_api = strncmp(req->path, "/api/", 5) == 0;
    if (match == NULL) {
        if (path_known) {
            resp->allow = (allowed & HTTP_GET) && (allowed & HTTP_POST)
                              ? "GET, HEAD, POST"
                          : (allowed & HTTP_GET) ? "GET, HEAD"
                                                 : "POST";
        }
        http_error(req, resp, path_known ? 405 : 404,
                   path_known ? N_("Bad request.") : N_("Page not found."));
        return;
    }
    if (!(match->flags & R_STATIC) && req->cookie_session[0] != '\0') {
        int rc = session_load(req->db, req->cookie_session, &req->who, NULL);
        if (rc == SR_OK) {
            if (i18n_lang_valid(req->who.lang)) {
                req->lang = req->who.lang;
            }
        } else if (rc == SR_EDB) {
            /* the database cannot be read (a server lost, a failover):
             * the session is not known to be stale, so the cookie stays
             * and the client is asked to come back */
            resp->retry_after_s = 5;
            http_error(req, resp, 503,
                       N_("The database cannot be reached. Please try "
                          "again in a moment."));
            return;
        } else {
            memset(&req->who, 0, sizeof req->who);
            req->who.role = ROLE_NONE;
            /* the browser's cookie is stale: tell it to forget it */
            resp_cookie(resp, arena_printf(req->arena,
                                           "%s=; Path=/; Max-Age=0; HttpOnly;"
                                           " SameSite=Strict%s",
                                           http_session_cookie_name(req->app),
                                           req->app->ws->cfg.is_tls_proxied
                                               ? "; Secure"
                                               : ""));
        }
    }
    if (!policy_allows(&req->who, match->action, 0, 0)) {
        if (req->who.user_id > 0) {
            http_error(req, resp, 403,
                       N_("You do not have permission to see this page."));
        } else if (is_api || (match->flags & R_API) ||
                   req->method != HTTP_GET) {
            http_error(req, resp, 401,
                       N_("Your session has expired. Please sign in again."));
        } else {
            resp_redirect(resp, "/login");
        }
        return;
    }
    if (req->method == HTTP_POST || req->method == HTTP_PUT ||
        req->method == HTTP_DELETE) {
        int is_json = content_type_is(req->content_type, "application/json");
        int is_form = content_type_is(req->content_type,
                                      "application/x-www-form-urlencoded");
        if (req->body_len > 0 && !is_json && !is_form) {
            http_error(req, resp, 415, N_("Bad request."));
            return;
        }
        if ((match->flags & R_CSRF) && !csrf_ok(req)) {
            http_error(req, resp, 403,
                       N_("Your form has expired. Please try again."));
            return;
        }
    }
    int rc = match->handler(req, resp);
    if (rc != SR_OK && resp->status < 400) {
        http_error(req, resp, 500,
                   N_("Something went wrong. The error has been recorded."));
    }
}

/* ---- libmicrohttpd adapter -------------------------------------------- */

#define CSP_VALUE                                                      \
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; " \
    "base-uri 'none'; object-src 'none'"

/* The headers of a plain-text refusal written straight to a socket (the
 * head timeout and send_refusal()): security_headers[] below, no caching,
 * and the close. Content-Length and the body follow. */
#define REFUSAL_HEADERS                           \
    "Content-Security-Policy: " CSP_VALUE "\r\n"  \
    "X-Content-Type-Options: nosniff\r\n"         \
    "Referrer-Policy: same-origin\r\n"            \
    "X-Frame-Options: DENY\r\n"                   \
    "Cross-Origin-Opener-Policy: same-origin\r\n" \
    "Cache-Control: no-store\r\n"                 \
    "Content-Type: text/plain; charset=utf-8\r\n" \
    "Connection: close\r\n"

static pthread_key_t db_key;
static pthread_once_t db_key_once = PTHREAD_ONCE_INIT;
static atomic_int n_in_flight;

static void
db_key_free(void *p)
{
    db_close(p);
}

static void
db_key_make(void)
{
    if (pthread_key_create(&db_key, db_key_free) != 0) {
        SR_BUG("cannot create thread key");
    }
}

/* This worker's connection, opened on first use. */
static struct db *
worker_db(struct app *app)
{
    pthread_once(&db_key_once, db_key_make);
    struct db *db = pthread_getspecific(db_key);
    if (db == NULL) {
        struct sr_err err = { 0 };
        if (ws_connect(app->ws, &db, &err) != SR_OK) {
            LOG(LOG_ERROR, "event=db_connect_failed msg=\"%s\"",
                sr_err_msg(&err));
            sr_err_release(&err);
            return NULL;
        }
        pthread_setspecific(db_key, db);
    }
    return db;
}

/*
 * Per-request state, made by on_uri() as soon as the request line is read
 * and freed by on_completed(), which MHD calls for every request that
 * reached on_uri() (also when MHD itself refuses it).
 */
struct conn_state {
    struct arena arena;
    struct sr_buf body;
    int64_t started_ms;
    const char *target; /* the raw target where MHD parsed it (NUL check) */
    size_t target_len;  /* bytes of the raw request target, query included */
    int is_checked;     /* check_headers() has run */
    int status;         /* nonzero once a response is queued early */
    int is_body_too_big;
    int is_deferred;  /* handed to the slow pool; answered when back */
    int is_held;      /* a 429 held back for a moment (track_hold()) */
    struct req req;   /* the request, once it is all here */
    struct resp resp; /* its response, kept while the slow pool works */
    char client_addr[INET6_ADDRSTRLEN];
};

/* ---- the slow pool ------------------------------------------------------ */

/* Milliseconds of a clock that only moves forward (deadlines). */
static int64_t
mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A request waiting for the slow pool, or being worked on. */
struct slow_job {
    struct conn_state *st;
    struct MHD_Connection *c;
    struct slow_job *next;
};

struct slow_pool {
    pthread_mutex_t lock; /* guards everything below */
    pthread_cond_t cond;  /* signalled when a job is queued or at stop */
    struct app *app;
    int n_threads;   /* threads working; each runs one job at a time */
    int n_waiting;   /* most jobs queued while all threads work */
    int n_taken;     /* jobs reserved by http_defer(), queued or running */
    int is_stopping; /* no new reservations; threads end when queue empty */
    struct slow_job *head, *tail;
    pthread_t threads[64];
};

/*
 * What http_serve() sets up for as long as it serves: set before the
 * request threads start and cleared after they stop, read-only between
 * (the rule that makes these globals safe; each object locks itself).
 */
static struct slow_pool *slow_now;
static struct auth_throttle *throttle_now;

struct auth_throttle *
http_throttle(void)
{
    return throttle_now;
}

void
http_set_throttle(struct auth_throttle *t)
{
    throttle_now = t;
}

int
http_defer(struct req *req, struct resp *resp, http_work_fn *work,
           http_done_fn *done, void *ctx)
{
    assert(req != NULL && resp != NULL && work != NULL && done != NULL);
    struct slow_pool *p = slow_now;
    if (p == NULL) {
        (void)work(req->db, ctx);
        return done(req, resp, ctx);
    }
    pthread_mutex_lock(&p->lock);
    int is_full = p->is_stopping || p->n_taken >= p->n_threads + p->n_waiting;
    if (!is_full) {
        p->n_taken++;
    }
    pthread_mutex_unlock(&p->lock);
    if (is_full) {
        return SR_ETOOBIG;
    }
    req->defer_work = work;
    req->defer_done = done;
    req->defer_ctx = ctx;
    return SR_OK;
}

/* Queue a job reserved by http_defer(). */
static void
slow_submit(struct slow_pool *p, struct conn_state *st,
            struct MHD_Connection *c)
{
    struct slow_job *j = sr_xcalloc(1, sizeof *j);
    j->st = st;
    j->c = c;
    pthread_mutex_lock(&p->lock);
    if (p->tail != NULL) {
        p->tail->next = j;
    } else {
        p->head = j;
    }
    p->tail = j;
    pthread_cond_signal(&p->cond);
    pthread_mutex_unlock(&p->lock);
}

static void *
slow_thread(void *arg)
{
    struct slow_pool *p = arg;
    /* below the request threads, so hashing yields the CPU to them */
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10) != 0) {
        LOG(LOG_DEBUG, "event=slow_pool_nice_failed");
    }
    for (;;) {
        pthread_mutex_lock(&p->lock);
        while (p->head == NULL && !p->is_stopping) {
            pthread_cond_wait(&p->cond, &p->lock);
        }
        struct slow_job *j = p->head;
        if (j == NULL) {
            pthread_mutex_unlock(&p->lock);
            return NULL;
        }
        p->head = j->next;
        if (p->head == NULL) {
            p->tail = NULL;
        }
        pthread_mutex_unlock(&p->lock);
        struct req *req = &j->st->req;
        struct db *db = worker_db(p->app);
        int64_t t0 = mono_ms();
        int rc = db != NULL ? req->defer_work(db, req->defer_ctx) : SR_EDB;
        (void)rc; /* the work leaves its outcome in defer_ctx */
        int64_t took_ms = mono_ms() - t0;
        pthread_mutex_lock(&p->lock);
        p->n_taken--;
        int is_more = p->head != NULL;
        pthread_mutex_unlock(&p->lock);
        MHD_resume_connection(j->c);
        free(j);
        if (is_more && took_ms > 0) {
            /* others wait: rest as long as the work took, so a queue
             * kept full by a flood gets at most half of one CPU */
            struct timespec ts = { (time_t)(took_ms / 1000),
                                   (long)(took_ms % 1000) * 1000000L };
            nanosleep(&ts, NULL);
        }
    }
}

/* Start n_threads threads with room for n_waiting more jobs. */
static struct slow_pool *
slow_pool_start(struct app *app, int n_threads, int n_waiting)
{
    struct slow_pool *p = sr_xcalloc(1, sizeof *p);
    if (pthread_mutex_init(&p->lock, NULL) != 0 ||
        pthread_cond_init(&p->cond, NULL) != 0) {
        SR_BUG("cannot make the slow pool's lock");
    }
    p->app = app;
    p->n_waiting = n_waiting;
    int max = (int)(sizeof p->threads / sizeof p->threads[0]);
    for (int i = 0; i < n_threads && i < max; i++) {
        if (pthread_create(&p->threads[i], NULL, slow_thread, p) != 0) {
            break;
        }
        p->n_threads++;
    }
    if (p->n_threads == 0) {
        SR_BUG("cannot start the slow pool");
    }
    return p;
}

/* Refuse new jobs, finish the queued ones, join the threads, free p. */
static void
slow_pool_stop(struct slow_pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->is_stopping = 1;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->n_threads; i++) {
        pthread_join(p->threads[i], NULL);
    }
    pthread_cond_destroy(&p->cond);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

/* ---- the connection table and the request head deadline ---------------- */

/* One open connection (MHD's socket context). */
struct conn_track {
    int fd;
    int64_t head_start_ms; /* when the current request head began: accept,
                              or the end of the previous request */
    int is_head_done;      /* the whole head of the current request is in */
    int is_expired;        /* closed by the watchdog: refuse the request */
    int n_requests;        /* requests completed on the connection */
    struct MHD_Connection *c;
    int64_t resume_at_ms; /* a held 429: resume then; 0 when not held */
    pthread_t owner;      /* the MHD thread serving it, once has_owner */
    int has_owner;
    int is_refused; /* refusal_for_mhd() has answered it */
    struct conn_track *prev, *next;
};

/* How long a 429 is held before it is sent: a client that ignores
 * Retry-After and asks again at once still asks at most once a second
 * per connection, so a flood of refusals cannot eat the CPU. */
#define HOLD_429_MS 1000

/* All open connections; the watchdog reads them, MHD's threads update
 * them. The lock is held while the watchdog shuts a socket, and MHD
 * closes a socket only after the close notice removed it here, so a
 * socket number in the table is never one reused by a new connection. */
static pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn_track *conn_head; /* guarded by conn_lock */
static int watchdog_stop;            /* guarded by conn_lock */
static pthread_cond_t watchdog_cond = PTHREAD_COND_INITIALIZER;

static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
              enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct conn_track *t = sr_xcalloc(1, sizeof *t);
        t->fd = ci != NULL ? ci->connect_fd : -1;
        t->head_start_ms = mono_ms();
        t->c = c;
        pthread_mutex_lock(&conn_lock);
        t->next = conn_head;
        if (conn_head != NULL) {
            conn_head->prev = t;
        }
        conn_head = t;
        pthread_mutex_unlock(&conn_lock);
        *socket_context = t;
        return;
    }
    struct conn_track *t = *socket_context;
    if (t == NULL) {
        return;
    }
    pthread_mutex_lock(&conn_lock);
    if (t->prev != NULL) {
        t->prev->next = t->next;
    } else {
        conn_head = t->next;
    }
    if (t->next != NULL) {
        t->next->prev = t->prev;
    }
    pthread_mutex_unlock(&conn_lock);
    free(t);
    *socket_context = NULL;
}

static struct conn_track *
track_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci != NULL ? ci->socket_context : NULL;
}

/* The request's head is all here: 0, or -1 if the watchdog closed it. */
static int
track_head_done(struct MHD_Connection *c)
{
    struct conn_track *t = track_of(c);
    int rc = 0;
    if (t != NULL) {
        pthread_mutex_lock(&conn_lock);
        t->is_head_done = 1;
        rc = t->is_expired ? -1 : 0;
        pthread_mutex_unlock(&conn_lock);
    }
    return rc;
}

/* A request ended: the next head's clock starts now. */
static void
track_request_done(struct MHD_Connection *c)
{
    struct conn_track *t = track_of(c);
    if (t != NULL) {
        pthread_mutex_lock(&conn_lock);
        t->is_head_done = 0;
        t->head_start_ms = mono_ms();
        t->n_requests++;
        pthread_mutex_unlock(&conn_lock);
    }
}

/* Hold the suspended request of c until HOLD_429_MS from now; 0, or -1
 * if c has no table entry (then answer at once). */
static int
track_hold(struct MHD_Connection *c)
{
    struct conn_track *t = track_of(c);
    if (t == NULL) {
        return -1;
    }
    pthread_mutex_lock(&conn_lock);
    t->resume_at_ms = mono_ms() + HOLD_429_MS;
    pthread_mutex_unlock(&conn_lock);
    return 0;
}

/* Resume the held requests that are due (all of them with is_all).
 * MHD_resume_connection() is called outside conn_lock; a suspended
 * connection is not closed by MHD, so the pointers stay valid. */
static void
resume_held(int is_all)
{
    struct MHD_Connection *due[256];
    size_t n;
    do {
        n = 0;
        int64_t now = mono_ms();
        pthread_mutex_lock(&conn_lock);
        for (struct conn_track *t = conn_head; t != NULL && n < 256;
             t = t->next) {
            if (t->resume_at_ms != 0 && (is_all || now >= t->resume_at_ms)) {
                t->resume_at_ms = 0;
                due[n++] = t->c;
            }
        }
        pthread_mutex_unlock(&conn_lock);
        for (size_t i = 0; i < n; i++) {
            MHD_resume_connection(due[i]);
        }
    } while (n == 256);
}

static const char head_timeout_text[] =
    "HTTP/1.1 408 Request Timeout\r\n" REFUSAL_HEADERS
    "Content-Length: 26\r\n\r\n"
    "request headers too slow\r\n";

/*
 * Every 100 ms, close the connections whose request head has taken longer
 * than the deadline: a first request gets a 408 (sent without waiting), a
 * kept-alive connection idle that long is just closed. shutdown() makes
 * MHD see the end of the stream and close the connection itself.
 */
static void *
watchdog_thread(void *arg)
{
    const struct app *app = arg;
    int64_t deadline_ms = app->ws->cfg.head_timeout_ms;
    pthread_mutex_lock(&conn_lock);
    while (!watchdog_stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&watchdog_cond, &conn_lock, &ts);
        int64_t now = mono_ms();
        int n_closed = 0;
        for (struct conn_track *t = conn_head; t != NULL; t = t->next) {
            if (t->is_head_done || t->is_expired || t->fd < 0 ||
                now - t->head_start_ms <= deadline_ms) {
                continue;
            }
            t->is_expired = 1;
            if (t->n_requests == 0) {
                (void)send(t->fd, head_timeout_text,
                           sizeof head_timeout_text - 1,
                           MSG_NOSIGNAL | MSG_DONTWAIT);
            }
            shutdown(t->fd, SHUT_RDWR);
            n_closed++;
        }
        if (n_closed > 0) {
            LOG(LOG_INFO, "event=head_timeout closed=%d", n_closed);
        }
        pthread_mutex_unlock(&conn_lock);
        resume_held(0);
        pthread_mutex_lock(&conn_lock);
    }
    pthread_mutex_unlock(&conn_lock);
    return NULL;
}

/* libmicrohttpd's memory per connection: our header limit plus room. */
#define HTTP_MHD_POOL_BYTES ((size_t)HTTP_MAX_HEADER_BYTES + 16384)

/* What the header scan found. */
struct header_scan {
    int n_headers, n_host, n_cl, n_te, has_nul, is_cl_conflict;
    int has_bad_name;   /* a name with a blank or other non-token byte */
    int has_empty_host; /* a Host header with nothing in it */
    size_t n_bytes;
    char cl_first[32];
    const char *prev_end; /* the NUL ending the previous header's value */
};

/* Bytes MHD may leave between one header's value and the next line. */
static int
is_line_filler(char ch)
{
    return ch == '\0' || ch == '\r' || ch == '\n' || ch == ' ' || ch == '\t';
}

/*
 * libmicrohttpd 0.9.75 cuts a header value at a NUL byte and drops the
 * rest of the line without telling us, so "X: a<NUL>b" arrives as "X: a".
 * The parsed lines stay in place in MHD's read buffer, so the hidden part
 * is still there, right after the value's terminator and before the next
 * header's name: anything in that gap other than line-ending filler means
 * the value held a NUL. (MHD turns the colon, CR and LF into NULs and
 * keeps a value's trailing blanks in the value.)
 */
static void
scan_gap(struct header_scan *h, const char *next_key)
{
    if (h->prev_end == NULL) {
        return;
    }
    uintptr_t from = (uintptr_t)h->prev_end + 1;
    uintptr_t to = (uintptr_t)next_key;
    if (to <= from || to - from > HTTP_MAX_HEADER_BYTES) {
        return; /* not laid out in one buffer: nothing to conclude */
    }
    for (const char *p = h->prev_end + 1; (uintptr_t)p < to; p++) {
        if (!is_line_filler(*p)) {
            h->has_nul = 1;
        }
    }
}

/*
 * The same for the last header, which has no next name to stop at: after
 * its value's terminator, past any blanks, the line must end (a NUL that
 * was CR or LF). The line's own end and the closing empty line come
 * before the end of the header block, so the scan stays inside it. Only
 * a NUL followed at once by another NUL and then text escapes this test;
 * such a value still arrives cut at its first NUL.
 */
static void
scan_last_line(struct header_scan *h)
{
    if (h->prev_end == NULL) {
        return;
    }
    const char *p = h->prev_end + 1;
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (*p != '\0' && *p != '\r' && *p != '\n') {
        h->has_nul = 1;
    }
}

/* Whether s[0..n) is an RFC 9110 token (what a field name must be). */
static int
is_token(const char *s, size_t n)
{
    static const char extra[] = "!#$%&'*+-.^_`|~";
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') ||
              (ch != 0 && strchr(extra, ch) != NULL))) {
            return 0;
        }
    }
    return 1;
}

static enum MHD_Result
scan_header(void *cls, enum MHD_ValueKind kind, const char *key,
            size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    struct header_scan *h = cls;
    scan_gap(h, key);
    uintptr_t k = (uintptr_t)key, v = (uintptr_t)value;
    /* a value stored away from its name tells nothing: skip the gap */
    h->prev_end = value != NULL && v > k + key_size &&
                          v - k <= key_size + HTTP_MHD_POOL_BYTES
                      ? value + value_size
                      : NULL;
    h->n_headers++;
    h->n_bytes += key_size + value_size + 4;
    if (strlen(key) != key_size || (value && strlen(value) != value_size)) {
        h->has_nul = 1;
    }
    for (size_t i = 0; value != NULL && i < value_size; i++) {
        if (value[i] == '\0' || value[i] == '\r' || value[i] == '\n') {
            h->has_nul = 1;
        }
    }
    if (key_size == 0 || !is_token(key, key_size)) {
        h->has_bad_name = 1; /* "Transfer-Encoding : chunked" lands here */
    }
    if (strcasecmp(key, "host") == 0) {
        h->n_host++;
        size_t n = value ? value_size : 0;
        while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t')) {
            n--;
        }
        h->has_empty_host |= n == 0;
    } else if (strcasecmp(key, "content-length") == 0) {
        if (h->n_cl++ == 0) {
            snprintf(h->cl_first, sizeof h->cl_first, "%s", value ? value : "");
        } else if (value == NULL || strcmp(value, h->cl_first) != 0) {
            h->is_cl_conflict = 1;
        }
    } else if (strcasecmp(key, "transfer-encoding") == 0) {
        h->n_te++;
    }
    return MHD_YES;
}

/* Headers every response carries (refuse_mid_body() writes the same). */
static const char *const security_headers[][2] = {
    { "Content-Security-Policy", CSP_VALUE },
    { "X-Content-Type-Options", "nosniff" },
    { "Referrer-Policy", "same-origin" },
    { "X-Frame-Options", "DENY" },
    { "Cross-Origin-Opener-Policy", "same-origin" },
};

void
http_each_header(const struct req *req, const struct resp *resp,
                 void (*fn)(const char *name, const char *value, void *ctx),
                 void *ctx)
{
    for (size_t i = 0; i < sizeof security_headers / sizeof *security_headers;
         i++) {
        fn(security_headers[i][0], security_headers[i][1], ctx);
    }
    fn("Cache-Control",
       resp->is_cacheable ? "public, max-age=3600" : "no-store", ctx);
    if (resp->content_type != NULL) {
        fn("Content-Type", resp->content_type, ctx);
    }
    if (resp->location != NULL) {
        fn("Location", resp->location, ctx);
    }
    if (resp->allow != NULL) {
        fn("Allow", resp->allow, ctx);
    }
    if (resp->retry_after_s > 0) {
        char secs[24];
        snprintf(secs, sizeof secs, "%d", resp->retry_after_s);
        fn("Retry-After", secs, ctx);
    }
    for (size_t i = 0; i < resp->n_cookies; i++) {
        fn("Set-Cookie", resp->cookies[i], ctx);
    }
    if (req != NULL && req->request_id[0] != '\0') {
        fn("X-Request-Id", req->request_id, ctx);
    }
}

static void
add_header_cb(const char *name, const char *value, void *ctx)
{
    MHD_add_response_header(ctx, name, value);
}

/*
 * Refuse a request while its body is arriving (408: past the body
 * deadline; 413: past HTTP_MAX_BODY). libmicrohttpd 0.9.75 only accepts
 * MHD_queue_response() before the body or after all of it, and returning
 * MHD_NO alone closes the connection without a word. So write a fixed
 * response, with the same headers queue_plain() sends, straight to the
 * socket (nothing else is being written to it while a body arrives, and
 * it fits in an empty send buffer), then return MHD_NO so MHD closes.
 */
/* Write a fixed plain-text refusal with our headers straight to socket
 * fd, then end our side of it. 0 when all of it was sent. */
static int
send_refusal(int fd, int status, const char *text)
{
    const char *reason = status == 408   ? "Request Timeout"
                         : status == 413 ? "Content Too Large"
                                         : "Bad Request";
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    char head[1024];
    int n = -1;
    if (gmtime_r(&now, &tm) != NULL &&
        strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm) > 0) {
        n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\n"
                     "Date: %s\r\n" REFUSAL_HEADERS
                     "Content-Length: %zu\r\n\r\n%s",
                     status, reason, date, strlen(text), text);
    }
    if (n > 0 && (size_t)n < sizeof head &&
        send(fd, head, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) == n) {
        shutdown(fd, SHUT_WR);
        return 0;
    }
    /* a short or failed send leaves only the close: nothing to add */
    return -1;
}

static enum MHD_Result
refuse_mid_body(struct MHD_Connection *c, const struct conn_state *st,
                const char *method, int status)
{
    const char *text =
        status == 408 ? "request body too slow\n" : "request body too large\n";
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (ci != NULL) {
        (void)send_refusal(ci->connect_fd, status, text);
    }
    LOG(LOG_INFO, "event=request method=%.8s route=- status=%d ms=%lld", method,
        status, (long long)(sr_now_ms() - st->started_ms));
    return MHD_NO;
}

static enum MHD_Result
queue_plain(struct MHD_Connection *c, int status, const char *text)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(text), (void *)(uintptr_t)text, MHD_RESPMEM_PERSISTENT);
    if (r == NULL) {
        return MHD_NO;
    }
    struct resp plain;
    memset(&plain, 0, sizeof plain);
    plain.content_type = "text/plain; charset=utf-8";
    http_each_header(NULL, &plain, add_header_cb, r);
    MHD_add_response_header(r, "Connection", "close");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ok;
}

static int
method_of(const char *m)
{
    static const struct {
        const char *name;
        int method;
    } methods[] = { { "GET", HTTP_GET },
                    { "POST", HTTP_POST },
                    { "HEAD", HTTP_HEAD },
                    { "PUT", HTTP_PUT },
                    { "DELETE", HTTP_DELETE } };
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        if (strcmp(m, methods[i].name) == 0) {
            return methods[i].method;
        }
    }
    return 0;
}

static enum MHD_Result
count_query(void *cls, enum MHD_ValueKind kind, const char *key,
            const char *value)
{
    (void)kind;
    (void)key;
    (void)value;
    (*(int *)cls)++;
    return MHD_YES;
}

struct query_collect {
    struct arena *arena;
    struct kv *kv; /* HTTP_MAX_PARAMS slots */
    size_t n;
    int is_bad; /* invalid UTF-8 in a name or value */
};

/*
 * MHD has split the query and turned '+' into spaces but left the
 * percent-escapes alone (see keep_escapes()); decode each name and value
 * once, refusing bad escapes and invalid UTF-8.
 */
static enum MHD_Result
collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
              const char *value)
{
    (void)kind;
    struct query_collect *q = cls;
    const char *v = value ? value : "";
    char *k_dec, *v_dec;
    if (q->n >= HTTP_MAX_PARAMS ||
        url_decode(q->arena, key, strlen(key), 0, &k_dec) != SR_OK ||
        url_decode(q->arena, v, strlen(v), 0, &v_dec) != SR_OK) {
        q->is_bad = 1;
        return MHD_NO;
    }
    q->kv[q->n].key = k_dec;
    q->kv[q->n].value = v_dec;
    q->n++;
    return MHD_YES;
}

static const char *
header(struct MHD_Connection *c, const char *name)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
    return v ? v : "";
}

/*
 * Early checks on the request line and headers. Returns 0 or the status to
 * refuse with: 501 for a method we do not implement, 400, 431, 414, 413.
 */
static int
check_headers(struct MHD_Connection *c, const char *method, size_t target_len)
{
    if (method_of(method) == 0) {
        return 501;
    }
    struct header_scan h;
    memset(&h, 0, sizeof h);
    MHD_get_connection_values_n(c, MHD_HEADER_KIND, scan_header, &h);
    scan_last_line(&h);
    if (h.has_nul || h.has_bad_name || h.has_empty_host) {
        return 400;
    }
    if (h.n_headers > HTTP_MAX_HEADERS || h.n_bytes > HTTP_MAX_HEADER_BYTES) {
        return 431;
    }
    if (h.n_host != 1 || h.is_cl_conflict || (h.n_cl > 0 && h.n_te > 0) ||
        h.n_te > 1) {
        return 400;
    }
    if (h.n_te == 1 && strcasecmp(header(c, MHD_HTTP_HEADER_TRANSFER_ENCODING),
                                  "chunked") != 0) {
        return 400;
    }
    if (target_len > HTTP_MAX_URL) {
        return 414;
    }
    int n_args = 0;
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, count_query, &n_args);
    if (n_args > HTTP_MAX_PARAMS) {
        return 400;
    }
    if (h.n_cl > 0) {
        long long cl;
        if (sr_parse_i64(h.cl_first, 0, (long long)1 << 40, &cl) != SR_OK) {
            return 400;
        }
        if ((size_t)cl > HTTP_MAX_BODY) {
            return 413;
        }
    }
    return 0;
}

static enum MHD_Result
queue_resp(struct MHD_Connection *c, struct req *req, struct resp *resp)
{
    size_t len = resp->body.len;
    char *data = sr_buf_detach(&resp->body, NULL);
    struct MHD_Response *r =
        MHD_create_response_from_buffer_with_free_callback(len, data, free);
    if (r == NULL) {
        free(data);
        return MHD_NO;
    }
    http_each_header(req, resp, add_header_cb, r);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    return ok;
}

/*
 * MHD's URI log callback: runs once per request, right after the request
 * line, with the raw target (path and query, still percent-encoded). Its
 * result becomes the request's *con_cls; on_completed() frees it.
 */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    struct conn_state *st = sr_xcalloc(1, sizeof *st);
    arena_init(&st->arena);
    sr_buf_init(&st->body, HTTP_MAX_BODY);
    sr_buf_init(&st->resp.body, 16u << 20);
    st->started_ms = sr_now_ms();
    st->target = uri;
    st->target_len = uri ? strlen(uri) : 0;
    const union MHD_ConnectionInfo *ci =
        c != NULL
            ? MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS)
            : NULL;
    const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;
    if (sa != NULL && sa->sa_family == AF_INET) {
        inet_ntop(AF_INET,
                  &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
                  st->client_addr, sizeof st->client_addr);
    } else if (sa != NULL && sa->sa_family == AF_INET6) {
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                  st->client_addr, sizeof st->client_addr);
    }
    struct conn_track *t = c != NULL ? track_of(c) : NULL;
    if (t != NULL) {
        pthread_mutex_lock(&conn_lock);
        t->owner = pthread_self();
        t->has_owner = 1;
        pthread_mutex_unlock(&conn_lock);
    }
    atomic_fetch_add(&n_in_flight, 1);
    return st;
}

/*
 * MHD's unescape callback, for the path and each query name and value:
 * leave the escapes as they are. MHD's own decoding lets bad escapes such
 * as "%zz" through and would make us decode the path twice; url_decode()
 * does it once, strictly.
 */
static size_t
keep_escapes(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

/* Log the request's line and queue its response. */
static enum MHD_Result
answer(struct MHD_Connection *c, struct conn_state *st, const char *method)
{
    struct req *req = &st->req;
    if (req->db != NULL && db_in_transaction(req->db)) {
        /* a handler that left its write open would hold every other
         * writer of the group back */
        LOG(LOG_ERROR, "event=transaction_left_open route=%s request_id=%s",
            req->route ? req->route->pattern : "-", req->request_id);
        db_rollback(req->db);
    }
    int64_t ms = sr_now_ms() - st->started_ms;
    LOG(LOG_INFO,
        "event=request method=%s route=%s status=%d ms=%lld request_id=%s",
        method, req->route ? req->route->pattern : "-", st->resp.status,
        (long long)ms, req->request_id);
    return queue_resp(c, req, &st->resp);
}

/* Back from the slow pool: let the handler's done function answer. */
static enum MHD_Result
answer_deferred(struct MHD_Connection *c, struct conn_state *st,
                const char *method)
{
    struct req *req = &st->req;
    struct resp *resp = &st->resp;
    req->db = worker_db(req->app);
    int rc =
        req->db != NULL ? req->defer_done(req, resp, req->defer_ctx) : SR_EDB;
    if (rc != SR_OK && resp->status < 400) {
        http_error(req, resp, 500,
                   N_("Something went wrong. The error has been recorded."));
    }
    return answer(c, st, method);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
           const char *method, const char *version, const char *upload_data,
           size_t *upload_data_size, void **con_cls)
{
    struct app *app = cls;
    struct conn_state *st = *con_cls;
    if (st == NULL) {
        st = *con_cls = on_uri(NULL, url, c); /* not expected: MHD calls it */
    }
    if (st->is_held) {
        return answer(c, st, method); /* a 429 held for HOLD_429_MS */
    }
    if (st->is_deferred) {
        return answer_deferred(c, st, method);
    }
    if (!st->is_checked) {
        st->is_checked = 1;
        if (track_head_done(c) != 0) {
            return MHD_NO; /* the watchdog has closed it already */
        }
        int bad = check_headers(c, method, st->target_len);
        /* a NUL in the target hides the rest of it from strlen(): then
         * the version MHD found is not right after the target */
        if (bad == 0 && (st->target == NULL ||
                         version != st->target + st->target_len + 1)) {
            bad = 400;
        }
        if (bad != 0) {
            st->status = bad;
            LOG(LOG_INFO, "event=request method=%.8s route=- status=%d ms=0",
                method_of(method) ? method : "OTHER", bad);
            return queue_plain(c, bad,
                               bad == 413   ? "request body too large\n"
                               : bad == 431 ? "request headers too large\n"
                               : bad == 414 ? "request target too long\n"
                               : bad == 501 ? "method not implemented\n"
                                            : "bad request\n");
        }
        return MHD_YES;
    }
    if (st->status != 0) {
        *upload_data_size = 0; /* refused early: discard what comes */
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (app->body_timeout_ms > 0 &&
            sr_now_ms() - st->started_ms > app->body_timeout_ms) {
            st->status = 408;
            *upload_data_size = 0;
            return refuse_mid_body(c, st, method, 408);
        }
        if (sr_buf_add(&st->body, upload_data, *upload_data_size) != SR_OK) {
            st->status = 413;
            *upload_data_size = 0;
            return refuse_mid_body(c, st, method, 413);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    /* the whole request is here */
    struct req *req = &st->req;
    struct resp *resp = &st->resp;
    req->arena = &st->arena;
    req->app = app;
    req->method = method_of(method);
    req->client_addr = st->client_addr;
    unsigned char rid[8];
    vault_random_token(rid, sizeof rid);
    vault_hex(rid, sizeof rid, req->request_id);
    req->db = worker_db(app);
    char *path = NULL;
    int bad = 0;
    if (req->db == NULL) {
        bad = 503;
    } else if (url_decode(&st->arena, url, strlen(url), 0, &path) != SR_OK ||
               path[0] != '/') {
        bad = 400;
    }
    if (bad == 0) {
        req->path = path;
        struct query_collect qc = { &st->arena, NULL, 0, 0 };
        qc.kv = arena_alloc(&st->arena, HTTP_MAX_PARAMS * sizeof *qc.kv);
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query, &qc);
        if (qc.is_bad) {
            bad = 400;
        }
        req->query = qc.kv;
        req->n_query = qc.n;
        req->body = st->body.data;
        req->body_len = st->body.len;
        req->content_type = header(c, MHD_HTTP_HEADER_CONTENT_TYPE);
        req->accept_language = header(c, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
        req->csrf_header = header(c, "X-CSRF-Token");
        const char *cookie = header(c, MHD_HTTP_HEADER_COOKIE);
        req->cookie_session =
            http_cookie(&st->arena, cookie, http_session_cookie_name(app));
        req->cookie_pre =
            http_cookie(&st->arena, cookie, http_pre_cookie_name(app));
        req->origin = header(c, "Origin");
        req->referer = header(c, "Referer");
        req->host = header(c, MHD_HTTP_HEADER_HOST);
        req->cookie_lang = http_cookie(&st->arena, cookie, "siren_lang");
        if (strncmp(req->content_type, "application/x-www-form-urlencoded",
                    33) == 0 &&
            http_parse_urlencoded(&st->arena, st->body.data, st->body.len,
                                  HTTP_MAX_PARAMS, &req->form,
                                  &req->n_form) != SR_OK) {
            bad = 400;
        }
    }
    if (bad != 0) {
        LOG(LOG_INFO,
            "event=request method=%s route=- status=%d ms=%lld request_id=%s",
            method, bad, (long long)(sr_now_ms() - st->started_ms),
            req->request_id);
        return queue_plain(
            c, bad, bad == 503 ? "service unavailable\n" : "bad request\n");
    }
    http_dispatch(req, resp);
    if (req->defer_work != NULL) {
        /* the handler asked for the slow pool: wait there, holding no
         * thread; MHD calls on_request() again once it is done */
        st->is_deferred = 1;
        MHD_suspend_connection(c);
        slow_submit(slow_now, st, c);
        return MHD_YES;
    }
    if (resp->status == 429 && slow_now != NULL) {
        /* answer a refusal only after a moment, holding no thread */
        st->is_held = 1;
        MHD_suspend_connection(c);
        if (track_hold(c) != 0) {
            MHD_resume_connection(c);
        }
        return MHD_YES;
    }
    return answer(c, st, method);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)toe;
    struct conn_state *st = *con_cls;
    track_request_done(c);
    if (st == NULL) {
        return;
    }
    arena_release(&st->arena);
    sr_buf_release(&st->body);
    sr_buf_release(&st->resp.body);
    free(st);
    *con_cls = NULL;
    atomic_fetch_sub(&n_in_flight, 1);
}

/* 413 when MHD finds Content-Length v too large, 400 when malformed, 0
 * when it takes it (its MHD_str_to_uint64_n_() rule). */
static int
mhd_cl_refusal(const char *v)
{
    size_t n = strspn(v, "0123456789");
    if (n == 0 || v[n] != '\0') {
        return 400;
    }
    unsigned long long x = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(v[i] - '0');
        if (x > (~0ULL - d) / 10) {
            return 413;
        }
        x = x * 10 + d;
    }
    return 0;
}

/*
 * libmicrohttpd 0.9.75 answers a malformed or huge Content-Length itself
 * while it parses the head, before any callback of ours, with none of our
 * headers, and a bug makes it write that answer's header block twice.
 * Its log message is the one moment we hear of it, on the thread serving
 * that connection. So answer, with send_refusal(), every connection of
 * this thread whose head is in but not yet handed to us and whose
 * Content-Length (without Transfer-Encoding) MHD refuses: the one being
 * refused is among them, and any other would get the same refusal. Our
 * shutdown() then makes MHD's own sending fail, and it closes.
 */
static void
refusal_for_mhd(void)
{
    pthread_t self = pthread_self();
    pthread_mutex_lock(&conn_lock);
    for (struct conn_track *t = conn_head; t != NULL; t = t->next) {
        if (!t->has_owner || !pthread_equal(t->owner, self) ||
            t->is_head_done || t->is_refused || t->is_expired || t->fd < 0) {
            continue;
        }
        const char *cl = MHD_lookup_connection_value(
            t->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        const char *te = MHD_lookup_connection_value(
            t->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
        int status = cl != NULL && te == NULL ? mhd_cl_refusal(cl) : 0;
        if (status != 0) {
            t->is_refused = 1;
            (void)send_refusal(t->fd, status,
                               status == 413 ? "request body too large\n"
                                             : "bad request\n");
            LOG(LOG_INFO, "event=request method=- route=- status=%d ms=0",
                status);
        }
    }
    pthread_mutex_unlock(&conn_lock);
}

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    (void)ap;
    /* MHD's messages can quote request bytes; count, never echo them */
    LOG(LOG_DEBUG, "event=mhd_message");
    if (strstr(fmt, "Content-Length") != NULL) {
        refusal_for_mhd();
    }
}

/*
 * Why the daemon could not listen on sa: bind a socket there ourselves
 * and name the cause a person can act on (SR_EIO, err set).
 */
static int
listen_refused(const struct sockaddr_in *sa, const char *listen,
               struct sr_err *err)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int why = 0;
    if (fd < 0 || bind(fd, (const struct sockaddr *)sa, sizeof *sa) != 0) {
        why = errno;
    }
    if (fd >= 0) {
        close(fd);
    }
    switch (why) {
    case EADDRINUSE:
        return sr_err_set(err, SR_EIO,
                          "cannot listen on %s: another program (another "
                          "siren serve?) already uses that port; choose "
                          "another with --listen 127.0.0.1:PORT or "
                          "listen = in siren.conf",
                          listen);
    case EACCES:
        return sr_err_set(err, SR_EIO,
                          "cannot listen on %s: a port below 1024 needs "
                          "privileges; choose one above 1023 with --listen",
                          listen);
    case EADDRNOTAVAIL:
        return sr_err_set(err, SR_EIO,
                          "cannot listen on %s: this machine has no such "
                          "address; use 127.0.0.1 or one of its own",
                          listen);
    default:
        return sr_err_set(err, SR_EIO, "cannot listen on %s: %s", listen,
                          why != 0 ? strerror(why) : "refused");
    }
}

int
http_serve(struct app *app, const char *listen, struct sr_err *err)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    long long port;
    if (colon == NULL || (size_t)(colon - listen) >= sizeof host ||
        sr_parse_i64(colon + 1, 1, 65535, &port) != SR_OK) {
        return sr_err_set(err, SR_EINVAL,
                          "listen: expected ADDR:PORT, got '%s'", listen);
    }
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        return sr_err_set(err, SR_EINVAL, "listen: '%s' is not an IPv4 address",
                          host);
    }
    struct ws_config *cfg = &app->ws->cfg;
    if (app->ws->group == NULL) {
        /* the threads' writes go through one connection, group commit */
        int rc = ws_write_group(app->ws, err);
        if (rc != SR_OK) {
            return rc;
        }
    }
    /* nearly every request uses the keys: no mprotect() around each use */
    vault_hold_keys(app->ws->vault);
    /* each connection is a file descriptor: raise the soft limit to the
     * hard one, and keep the connection limit under it with room for the
     * database files, the log and the listening socket */
    struct rlimit rl;
    long long n_conn = cfg->conn_max;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        if (rl.rlim_cur < rl.rlim_max) {
            rl.rlim_cur = rl.rlim_max;
            if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
                getrlimit(RLIMIT_NOFILE, &rl);
            }
        }
        long long room = rl.rlim_cur == RLIM_INFINITY
                             ? n_conn
                             : (long long)rl.rlim_cur - 64 - 4 * app->n_threads;
        if (room < n_conn) {
            n_conn = room > 16 ? room : 16;
            LOG(LOG_WARN,
                "event=connections_capped max=%lld open_file_limit=%lld",
                n_conn, (long long)rl.rlim_cur);
        }
    }
    int n_hash = cfg->signin_hash_threads;
    if (n_hash <= 0) {
        long n_cpu = sysconf(_SC_NPROCESSORS_ONLN);
        n_hash = n_cpu > 1 ? (int)(n_cpu / 2) : 1;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* workers inherit the mask */
    struct auth_limits lim = { cfg->signin_addr_burst,
                               cfg->signin_addr_per_minute,
                               cfg->signin_account_burst,
                               cfg->signin_account_per_minute };
    throttle_now = auth_throttle_new(&lim);
    slow_now = slow_pool_start(app, n_hash, cfg->signin_hash_queue);
    pthread_mutex_lock(&conn_lock);
    watchdog_stop = 0;
    pthread_mutex_unlock(&conn_lock);
    pthread_t watchdog;
    if (pthread_create(&watchdog, NULL, watchdog_thread, app) != 0) {
        SR_BUG("cannot start the connection watchdog");
    }
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
            MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
        0, NULL, NULL, on_request, app, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)app->n_threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, HTTP_MHD_POOL_BYTES,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)n_conn,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->conn_per_addr,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_UNESCAPE_CALLBACK,
        keep_escapes, NULL, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_END);
    int rc = SR_OK;
    if (d == NULL) {
        rc = listen_refused(&sa, listen, err);
    } else {
        LOG(LOG_INFO,
            "event=serving listen=%s threads=%d hash_threads=%d"
            " max_connections=%lld per_address=%d head_timeout_ms=%d",
            listen, app->n_threads, n_hash, n_conn, cfg->conn_per_addr,
            cfg->head_timeout_ms);
        int sig = 0;
        sigwait(&set, &sig);
        LOG(LOG_INFO, "event=stopping signal=%d", sig);
        MHD_socket ls = MHD_quiesce_daemon(d);
        if (ls != MHD_INVALID_SOCKET) {
            close(ls);
        }
    }
    /* let the requests in flight finish (sign-ins among them still go
     * through the pool), then stop the pool, which finishes its queue
     * and resumes every request it held: MHD must not stop with one
     * suspended */
    for (int i = 0; d != NULL && i < 1000 && atomic_load(&n_in_flight) > 0;
         i++) {
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    slow_pool_stop(slow_now);
    resume_held(1);
    if (d != NULL) {
        MHD_stop_daemon(d);
    }
    slow_now = NULL;
    auth_throttle_free(throttle_now);
    throttle_now = NULL;
    pthread_mutex_lock(&conn_lock);
    watchdog_stop = 1;
    pthread_cond_signal(&watchdog_cond);
    pthread_mutex_unlock(&conn_lock);
    pthread_join(watchdog, NULL);
    vault_release_keys(app->ws->vault);
    if (rc == SR_OK) {
        struct db_group_figures gf;
        db_group_figures(app->ws->group, &gf);
        LOG(LOG_INFO, "event=stopped writes=%lld commits=%lld",
            (long long)gf.n_writes, (long long)gf.n_commits);
    }
    return rc;
}
