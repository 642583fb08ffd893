/*
 * json.h - JSON responses, written only through jansson.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_JSON_H
#define SR_JSON_H

#include <jansson.h>

#include "web/http.h"

/*
 * Serialise root (reference stolen) as the response body with status and
 * Content-Type application/json. Strings are escaped by jansson; invalid
 * UTF-8 in a value is a bug in the caller (jansson refuses it).
 */
void json_respond(struct resp *resp, int status, json_t *root);

/*
 * A listing's answer: {"key": list} with status 200 when rc is SR_OK;
 * otherwise list is dropped and nothing is answered. list's reference is
 * stolen either way. Returns rc.
 */
int json_respond_list(struct resp *resp, int rc, const char *key, json_t *list);

/* {"error": {"status": N, "message": msg}} */
void json_error(struct resp *resp, int status, const char *msg);

#endif
