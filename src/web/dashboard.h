/*
 * dashboard.h - the signed-in start page (dashboard.c).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_DASHBOARD_H
#define SR_DASHBOARD_H

#include "web/http.h"

/* GET /dashboard: the counts the reader may see and each module's card. */
handler_fn web_dashboard;

#endif
