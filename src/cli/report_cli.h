/*
 * report_cli.h - `siren report hotline` and `siren event add|list`, and
 * the CSV and JSON forms of the monthly report (shared with the web's
 * /reports/hotline.csv and .json, so every front door gives the same
 * report).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_REPORT_CLI_H
#define SR_REPORT_CLI_H

#include <jansson.h>

#include "core/buf.h"
#include "hotline/report.h"

struct ws;
struct cli_args;

/*
 * The handlers of the `siren report hotline` and `siren event add|list`
 * rows of the command table (commands.c). report hotline checks --from
 * YYYY-MM, --to YYYY-MM and --format text|csv|json, then opens the
 * workspace itself (ws is NULL) and writes the report to stdout; event
 * add and list take the open workspace. Return an enum cli_exit: 0 done,
 * 1 refused or failed (the reason on stderr, naming the field), 2 usage.
 */
int report_cli_hotline(struct ws *ws, const struct cli_args *a);
int event_cli_add(struct ws *ws, const struct cli_args *a);
int event_cli_list(struct ws *ws, const struct cli_args *a);

/*
 * The report as CSV, one value per line: section,key,measure,value
 * (sections month, total, province, channel, language, sector, event,
 * referral). Codes, not translated labels. A suppressed count is "<5".
 * Cells beginning with = + - @ are prefixed with ' (spreadsheet
 * formulas). Returns SR_OK or SR_ETOOBIG (b's cap).
 */
int report_csv(const struct report *r, const char *timezone,
               const char *org_code, struct sr_buf *b);

/*
 * The report as a new JSON object (caller owns the reference). A
 * suppressed count is null; "suppressed" says whether any may be.
 */
json_t *report_json(const struct report *r, const char *timezone,
                    const char *org_code);

#endif
