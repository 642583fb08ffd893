/*
 * ready_web.c - the readiness answer: run base/ready.c's checks, write
 * them as JSON. Nothing else: no SQL, no file access here.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/ready_web.h"

#include "base/ready.h"
#include "web/json.h"
#include "core/banned.h"

int
web_ready(struct req *req, struct resp *resp)
{
    struct ready_report r;
    ready_check(req->app->ws, req->db, &r);
    json_t *failed = json_array();
    const char *names[] = { "database", "disk", "wal" };
    const char *states[] = { r.database, r.disk, r.wal };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (states[i][0] != 'o') {
            json_array_append_new(failed, json_string(names[i]));
        }
    }
    json_t *root =
        json_pack("{s:s, s:{s:s, s:s, s:s}}", "status",
                  r.is_ready ? "ready" : "not ready", "checks", "database",
                  r.database, "disk", r.disk, "wal", r.wal);
    if (r.is_ready) {
        json_decref(failed);
    } else {
        json_object_set_new(root, "failed", failed);
    }
    json_respond(resp, r.is_ready ? 200 : 503, root);
    return SR_OK;
}
