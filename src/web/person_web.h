/*
 * person_web.h - the pages and JSON of people, duplicates and emergency
 * views (person_web.c). routes.c lists these handlers.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_PERSON_WEB_H
#define SR_PERSON_WEB_H

#include "web/http.h"

int person_page_new(struct req *req, struct resp *resp);
int person_page_create(struct req *req, struct resp *resp);
int person_page_view(struct req *req, struct resp *resp);
int person_page_consent(struct req *req, struct resp *resp);
int person_page_glass(struct req *req, struct resp *resp);
int dup_page_list(struct req *req, struct resp *resp);
int dup_page_decide(struct req *req, struct resp *resp);
int glass_page_list(struct req *req, struct resp *resp);
int glass_page_review(struct req *req, struct resp *resp);
int person_api_get(struct req *req, struct resp *resp);

#endif
