/*
 * justice_web.h - pages and JSON of justice events and the funnel report
 * (justice_web.c); offenders are entity_web.h.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_JUSTICE_WEB_H
#define SR_JUSTICE_WEB_H

#include <stdint.h>

#include "core/buf.h"
#include "justice/funnel.h"
#include "render/html.h"
#include "web/http.h"
#include "web/json.h"

/*
 * The case page's justice section: the events of case case_id (dated,
 * agency, reason, perpetrators by code), its furthest stage, the
 * perpetrators linked to it, and a link to record an event when the
 * viewer may. Writes nothing when the viewer may neither read the case
 * (case.read) nor record justice events on it (justice.record, with the
 * case's scope). For case_web.c to call inside its page.
 */
void justice_web_case_section(struct req *req, struct resp *resp,
                              struct html *h, int64_t case_id);

/* Handlers (routes.c); justice_web_funnel answers /reports/funnel, .csv
 * and .json. */
handler_fn justice_web_event_form, justice_web_event_add, justice_web_funnel;

#endif
