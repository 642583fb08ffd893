/*
 * referral_web.h - the pages and JSON of the referral network: the
 * directory of partner organisations (directory_web.c) and referrals
 * (referral_web.c). routes.c lists these handlers.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_REFERRAL_WEB_H
#define SR_REFERRAL_WEB_H

#include "web/http.h"
#include "render/html.h"

/* directory_web.c */
int web_directory(struct req *req, struct resp *resp);
int web_directory_org(struct req *req, struct resp *resp);
int web_directory_update(struct req *req, struct resp *resp);
int api_directory(struct req *req, struct resp *resp);

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

/* referral_web.c */
int web_refer_form(struct req *req, struct resp *resp);
int web_refer(struct req *req, struct resp *resp);
int web_case_refer_form(struct req *req, struct resp *resp);
int web_case_refer(struct req *req, struct resp *resp);
int web_referrals(struct req *req, struct resp *resp);
int web_referral_inbox(struct req *req, struct resp *resp);
int web_referral_view(struct req *req, struct resp *resp);
int web_referral_answer(struct req *req, struct resp *resp);
int web_referral_close(struct req *req, struct resp *resp);
int api_referrals(struct req *req, struct resp *resp);

/*
 * The dashboard card "Referrals awaiting answer" for a role with
 * referral.read (nothing otherwise), with the overdue count.
 */
void referral_dashboard_card(struct req *req, struct html *h);

#endif
