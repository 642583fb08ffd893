/*
 * analysis_out.h - an analysis report (the JSON model analysis.c builds)
 * as CSV and as JSON text, and the text form of one of its values.
 *
 * A report is {"command": s, "info": {k: v}, "tables": {name: [row]}},
 * each row an object with the same keys in the same order.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_ANALYSIS_OUT_H
#define SR_ANALYSIS_OUT_H

#include <stdio.h>

#include <jansson.h>

#include "core/buf.h"

/*
 * Append the text form of v to b: a string as it is, an integer as %lld,
 * a real as %.7g, true/false, anything else "NA". Returns SR_OK or
 * SR_ETOOBIG (b's cap).
 */
int analysis_out_value(struct sr_buf *b, const json_t *v);

/*
 * Write report to fp as LF-ended CSV through core/csv.h: "key,value",
 * one row per info entry, then for each non-empty table an empty row, a
 * row "# NAME", a header row of its keys and one row per table row.
 * Numbers are number cells; strings are guarded text cells. Returns
 * SR_OK or SR_EIO (a write failed). report is borrowed.
 */
int analysis_out_csv(const json_t *report, FILE *fp);

/*
 * Write report to fp as indented JSON (two spaces, reals to 10
 * significant digits) and a newline. Returns SR_OK, SR_ENOMEM (cannot
 * serialise) or SR_EIO. report is borrowed.
 */
int analysis_out_json(const json_t *report, FILE *fp);

#endif
