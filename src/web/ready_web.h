/*
 * ready_web.h - GET /ready, for load balancers and monitors.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_READY_WEB_H
#define SR_READY_WEB_H

#include "web/http.h"

/*
 * GET /ready (public, like /health): 200 {"status":"ready","checks":{...}}
 * when every check of ready_check() passes, else 503 {"status":"not
 * ready","failed":[names],"checks":{...}} as JSON. The
 * checks are "database", "disk" and "wal", each "ok" or "failed"; no
 * path, size or identity. Thread-safe (the cache has its own lock).
 */
handler_fn web_ready;

#endif
