/*
 * json.c - the JSON writer: the only code that serialises JSON.
 *
 * Owns nothing but the serialisation; values come from the handlers.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/json.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

void
json_respond(struct resp *resp, int status, json_t *root)
{
    char *text =
        root ? json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(root);
    resp->status = status;
    resp->content_type = "application/json";
    sr_buf_reset(&resp->body);
    if (text == NULL) {
        resp->status = 500;
        sr_buf_adds(&resp->body, "{\"error\":{\"status\":500}}");
        return;
    }
    if (sr_buf_adds(&resp->body, text) != SR_OK) {
        resp->status = 500;
        sr_buf_reset(&resp->body);
        sr_buf_adds(&resp->body, "{\"error\":{\"status\":500}}");
    }
    free(text);
}

void
json_error(struct resp *resp, int status, const char *msg)
{
    json_respond(
        resp, status,
        json_pack("{s:{s:i,s:s}}", "error", "status", status, "message", msg));
}

int
json_respond_list(struct resp *resp, int rc, const char *key, json_t *list)
{
    if (rc != SR_OK) {
        json_decref(list);
        return rc;
    }
    json_respond(resp, 200, json_pack("{s:o}", key, list));
    return SR_OK;
}
