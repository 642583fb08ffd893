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
handler_fn web_refer_form, web_refer, web_case_refer_form, web_case_refer,
    web_referrals, web_referral_inbox, web_referral_view, web_referral_answer,
    web_referral_close, api_referrals;

/*
 * The dashboard card "Referrals awaiting answer" for a role with
 * referral.read (nothing otherwise), with the overdue count.
 */
void referral_dashboard_card(struct req *req, struct html *h);

#endif
