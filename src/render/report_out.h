/*
 * report_out.h - the monthly hotline report as CSV and as JSON, the one
 * writer of each for every front door (report_cli.c, report_web.c).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_REPORT_OUT_H
#define SR_REPORT_OUT_H

#include <jansson.h>

#include "core/buf.h"
#include "hotline/report.h"

/*
 * Append r as CSV to b, one value per CRLF-ended line:
 * section,key,measure,value after a header line (sections report, month,
 * total, province, channel, language, sector, event, referral). Codes,
 * not translated labels. A suppressed count is "<5". timezone (NULL: "")
 * and org_code (NULL: "all") describe the query. Cells go through
 * core/csv.h, so text that a spreadsheet would take for a formula gets a
 * leading ' and bidirectional controls are removed. Returns SR_OK or
 * SR_ETOOBIG (b's cap reached or nearly so: something may be missing).
 * Thread-safe for distinct b.
 */
int report_out_csv(const struct report *r, const char *timezone,
                   const char *org_code, struct sr_buf *b);

/*
 * r as a new JSON object (the caller owns the reference, json_decref()):
 * from, to, timezone, utc_offset_s, organisation, suppressed, min_cell,
 * months, total, breakdowns, events, referrals. A suppressed count is
 * null; "suppressed" says whether any may be. Thread-safe.
 */
json_t *report_out_json(const struct report *r, const char *timezone,
                        const char *org_code);

/* A count as the report writes it: the number, or "<5" for a suppressed
 * one (REPORT_SUPPRESSED). */
void report_out_count(int64_t n, char *out, size_t size);

/* A month as "YYYY-MM" (out holds 16 bytes). */
void report_out_ym(struct report_ym ym, char out[16]);

#endif
