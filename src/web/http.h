/*
 * http.h - requests, responses, the route table and the dispatcher.
 *
 * http.c is the only user of microhttpd.h. A handler sees a struct req
 * already checked (size caps, method, session, policy, CSRF, content type)
 * and fills a struct resp; it never frees: everything it allocates comes
 * from the request's arena. Handlers run without a socket in tests.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_HTTP_H
#define SR_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "base/policy.h"
#include "base/store.h"

struct ws;

enum http_method {
    HTTP_GET = 1,
    HTTP_POST = 2,
    HTTP_HEAD = 4,
    HTTP_PUT = 8,
    HTTP_DELETE = 16
};

/* Route flags. */
enum route_flags {
    R_CSRF = 1,  /* state change: CSRF token required */
    R_API = 2,   /* JSON API: 401 instead of a sign-in redirect */
    R_STATIC = 4 /* a static asset: cacheable, no session needed */
};

/* Limits on what a request may carry. */
#define HTTP_MAX_BODY         ((size_t)1 << 20) /* 1 MiB */
#define HTTP_MAX_HEADER_BYTES 16384             /* all header lines together */
#define HTTP_MAX_HEADERS      64                /* header fields */
#define HTTP_MAX_PARAMS       200               /* query + form fields */
#define HTTP_MAX_URL          4096              /* request target bytes */

struct kv {
    const char *key;   /* NUL-terminated, decoded, valid UTF-8 */
    const char *value; /* NUL-terminated, decoded, valid UTF-8 */
};

struct auth_throttle;
struct req;
struct resp;

struct app {
    struct ws *ws;       /* the open workspace */
    int body_timeout_ms; /* whole-body deadline; 408 past it */
    int n_threads;       /* worker threads */
};

/* Slow work a handler hands off (see http_defer()): runs on a thread of
 * the slow pool with that thread's own connection db; returns SR_OK or a
 * status its done function reads from ctx. */
typedef int http_work_fn(struct db *db, void *ctx);
/* Back on a request thread, fill resp from what work left in ctx. */
typedef int http_done_fn(struct req *req, struct resp *resp, void *ctx);

struct req {
    struct arena *arena; /* everything below lives here */
    struct app *app;     /* shared, read-only */
    struct db *db;       /* this worker's connection */
    int method;          /* one enum http_method */
    const char *path;    /* decoded path, no query */
    struct kv *query;    /* query parameters */
    size_t n_query;
    struct kv *form; /* urlencoded body fields */
    size_t n_form;
    const char *body; /* raw body, NUL-terminated */
    size_t body_len;
    const char *content_type; /* "" if none */
    const char *accept_language;
    const char *csrf_header;    /* X-CSRF-Token or "" */
    const char *cookie_session; /* session token or "" */
    const char *cookie_pre;     /* pre-session CSRF token or "" */
    const char *origin;         /* Origin header; "" or NULL if none */
    const char *referer;        /* Referer header; "" or NULL if none */
    const char *host;           /* Host header; "" or NULL if none */
    const char *cookie_lang;    /* language chosen before sign-in, or "" */
    struct kv params[4];        /* {name} segments of the route pattern */
    size_t n_params;
    struct principal who;      /* who is asking; role ROLE_NONE if nobody */
    const char *lang;          /* interface language for this response */
    const struct route *route; /* the matched route */
    char request_id[17];       /* random hex, in the log line */
    const char *client_addr;   /* the peer's address as text; "" in tests */
    /* set by http_defer(), read by http.c only */
    http_work_fn *defer_work;
    http_done_fn *defer_done;
    void *defer_ctx;
};

#define RESP_MAX_COOKIES 4

struct resp {
    int status;               /* HTTP status; 200 unless set */
    const char *content_type; /* default text/html; charset=utf-8 */
    struct sr_buf body;       /* the body; hard-capped */
    const char *location;     /* Location for redirects, or NULL */
    const char *cookies[RESP_MAX_COOKIES]; /* Set-Cookie values */
    size_t n_cookies;
    int is_cacheable;  /* static assets only */
    const char *allow; /* Allow header of a 405, or NULL */
    int retry_after_s; /* Retry-After seconds of a 429 or 503; 0: none */
};

/* A route's handler; each *_web.h declares its handlers with this type. */
typedef int handler_fn(struct req *req, struct resp *resp);

struct route {
    int methods;         /* mask of enum http_method */
    const char *pattern; /* "/users/{id}"; literal segments or {name} */
    handler_fn *handler;
    enum action action; /* the policy action it needs */
    int flags;          /* enum route_flags */
};

/* The route table (routes.c), terminated by a NULL pattern. */
extern const struct route http_routes[];

/* The value of a query or form parameter (form first), or NULL. */
const char *req_param(const struct req *req, const char *name);
/* The value of a {name} route parameter, or NULL. */
const char *req_route_param(const struct req *req, const char *name);

/* Set a redirect (303 See Other) to a local path. */
void resp_redirect(struct resp *resp, const char *path);
/* Add a Set-Cookie value (ignored past RESP_MAX_COOKIES). */
void resp_cookie(struct resp *resp, const char *value);

/*
 * Run work(db, ctx) off the request threads, then done(req, resp, ctx)
 * to answer: the handler calls this last and returns its result; ctx
 * must live in req->arena. In the server the request waits (suspended,
 * holding no thread) for one of a few slow-pool threads, so slow work
 * such as password hashing never holds the threads that serve other
 * requests. Returns SR_OK once queued, or SR_ETOOBIG when the pool is
 * running and queueing all it may (the handler then answers 429 itself;
 * nothing was run). Without a server (no http_serve() running) runs both
 * at once on req->db and returns what done returns.
 */
int http_defer(struct req *req, struct resp *resp, http_work_fn *work,
               http_done_fn *done, void *ctx);

/*
 * The sign-in throttle in force, or NULL for none. http_serve() makes one
 * from siren.conf for as long as it serves; tests may set their own with
 * http_set_throttle() (borrowed; NULL for none). Set only while no
 * request runs.
 */
struct auth_throttle *http_throttle(void);
void http_set_throttle(struct auth_throttle *t);

/*
 * Check and run one request: for a method other than GET and HEAD the
 * origin (403: an Origin, or without one a Referer, that is not this
 * server's scheme://Host; "Origin: null" too; with neither header the
 * CSRF token alone decides), route match (404/405), session, language,
 * policy (303 to /login, 401 for the API, 403), CSRF (403), content type
 * (415), then the handler. Fills resp; never fails. req->arena, app, db,
 * method, path, query, form, body and the header fields must be set.
 */
void http_dispatch(struct req *req, struct resp *resp);

/*
 * Parse an application/x-www-form-urlencoded string into arena-held
 * pairs. SR_EINVAL for bad percent-encoding or invalid UTF-8, SR_ETOOBIG
 * past max_pairs.
 */
int http_parse_urlencoded(struct arena *a, const char *s, size_t len,
                          size_t max_pairs, struct kv **out, size_t *n_out);

/* Parse one Cookie header's value for name; arena copy or "". */
const char *http_cookie(struct arena *a, const char *header, const char *name);

/* Name of the session cookie for this workspace (__Host- behind TLS). */
const char *http_session_cookie_name(const struct app *app);

/* Name of the pre-sign-in CSRF cookie (__Host- behind TLS). */
const char *http_pre_cookie_name(const struct app *app);

/*
 * Serve app on listen ("ADDR:PORT") until SIGTERM or SIGINT, then stop
 * accepting, let requests in flight finish (10 s at most) and return.
 * Applies the workspace's abuse limits: connections per address and in
 * all (the open-file limit is raised to fit), the request head deadline,
 * the sign-in throttle and the slow pool for sign-ins.
 * Returns SR_OK, or SR_EIO if the address cannot be bound.
 */
int http_serve(struct app *app, const char *listen, struct sr_err *err);

/*
 * Call fn for every header of the response: the security headers every
 * response carries (CSP, nosniff, same-origin referrer, frame denial),
 * Cache-Control (no-store except static assets), Content-Type, Location,
 * Allow, Retry-After, Set-Cookie and X-Request-Id. req may be NULL for early refusals.
 */
void http_each_header(const struct req *req, const struct resp *resp,
                      void (*fn)(const char *name, const char *value,
                                 void *ctx),
                      void *ctx);

/* Fill a response with the standard error page or JSON error. */
void http_error(struct req *req, struct resp *resp, int status,
                const char *msgid);

#endif
