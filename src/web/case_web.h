/*
 * case_web.h - the pages and JSON of cases (case_web.c).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CASE_WEB_H
#define SR_CASE_WEB_H

#include "web/http.h"
#include "core/vocab.h"

/* Handlers (routes.c lists them with their policy actions). */
int case_page_list(struct req *req, struct resp *resp);
int case_page_new(struct req *req, struct resp *resp);
int case_page_create(struct req *req, struct resp *resp);
int case_page_view(struct req *req, struct resp *resp);
int case_page_update(struct req *req, struct resp *resp);
int case_page_edit(struct req *req, struct resp *resp);
int case_page_status(struct req *req, struct resp *resp);
int case_page_note(struct req *req, struct resp *resp);
int case_page_support(struct req *req, struct resp *resp);
int case_api_list(struct req *req, struct resp *resp);
int case_api_get(struct req *req, struct resp *resp);

/* Shared by case_web.c and person_web.c: the label of code in list,
 * translated. */
const char *case_web_label(struct req *req, const struct vocab_item *list,
                           const char *code);

#endif
