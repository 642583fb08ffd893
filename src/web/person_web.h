/*
 * person_web.h - the pages and JSON of people, duplicates and emergency
 * views (person_web.c). routes.c lists these handlers.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_PERSON_WEB_H
#define SR_PERSON_WEB_H

#include "web/http.h"

handler_fn person_page_new, person_page_create, person_page_view,
    person_page_consent, person_page_glass, dup_page_list, dup_page_decide,
    glass_page_list, glass_page_review, person_api_get;

#endif
