/*
 * case_web.h - the pages and JSON of cases (case_web.c).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CASE_WEB_H
#define SR_CASE_WEB_H

#include "web/http.h"
#include "core/vocab.h"

/* Handlers (routes.c lists them with their policy actions). */
handler_fn case_page_list, case_page_new, case_page_create, case_page_view,
    case_page_update, case_page_edit, case_page_status, case_page_note,
    case_page_support, case_api_list, case_api_get;

/* Shared by case_web.c and person_web.c: the label of code in list,
 * translated. */
const char *case_web_label(struct req *req, const struct vocab_item *list,
                           const char *code);

#endif
