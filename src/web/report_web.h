/*
 * report_web.h - the hotline report's pages (/reports/hotline, .csv,
 * .json) and the events page (/events).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_REPORT_WEB_H
#define SR_REPORT_WEB_H

#include "render/html.h"
#include "web/http.h"
#include "hotline/report.h"

/* Handlers (routes.c lists them); web_report_hotline answers the page, .csv
 * and .json. */
handler_fn web_report_hotline, web_events, web_event_add;

/*
 * Write the referral section (heading, table per partner, the share of
 * trafficking contacts referred that saw action) for r in lang; writes
 * nothing when r->is_present is 0. Exposed for tests.
 */
void report_web_referrals(struct html *h, const char *lang,
                          const struct report_referrals *r);

#endif
