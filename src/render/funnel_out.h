/*
 * funnel_out.h - the justice funnel report as CSV and as JSON, the one
 * writer of each for every front door (justice_cli.c, justice_web.c).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_FUNNEL_OUT_H
#define SR_FUNNEL_OUT_H

#include <jansson.h>

#include "core/buf.h"
#include "justice/funnel.h"

/*
 * Append r as CSV to b: a header line, then CRLF-ended rows
 * section,period,group,measure,value (sections total, the split's name or
 * "group", median, role; codes, not labels; counts and medians only).
 * Cells go through core/csv.h. Returns SR_OK or SR_ETOOBIG (b's cap; b
 * then holds a partial report). Thread-safe for distinct b.
 */
int funnel_out_csv(const struct funnel_report *r, struct sr_buf *b);

/*
 * r as a new JSON object (codes, counts and medians only: period, by,
 * cases, counted_only_in_totals, totals, groups, medians, roles); the
 * caller owns the reference (json_decref()). Thread-safe.
 */
json_t *funnel_out_json(const struct funnel_report *r);

#endif
