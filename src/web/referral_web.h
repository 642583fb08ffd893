/*
 * referral_web.h - the pages and JSON of referrals (referral_web.c); the
 * directory of partners is directory_web.h. routes.c lists these handlers.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_REFERRAL_WEB_H
#define SR_REFERRAL_WEB_H

#include "web/http.h"
#include "render/html.h"

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
