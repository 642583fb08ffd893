/*
 * directory_web.h - the directory of partner organisations: search by
 * province, language and service, an organisation's profile, and the
 * search fields the refer form shares (directory_web.c).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_DIRECTORY_WEB_H
#define SR_DIRECTORY_WEB_H

#include "render/html.h"
#include "web/http.h"

/* directory_web.c */
handler_fn web_directory, web_directory_org, web_directory_update,
    api_directory;

/*
 * Write the directory's search fields (province, language, service,
 * emergency only) with the given values selected, inside a form the
 * caller opened. Shared by /directory and the refer form.
 */
void directory_filter_fields(struct req *req, struct html *h,
                             const char *province, const char *language,
                             const char *service, int is_emergency);

/* Write a comma list of codes as their translated labels ("" = "-"). */
void directory_labels(struct req *req, struct html *h, const char *codes,
                      int is_province);

#endif
