/*
 * report_cli.h - `siren report hotline` and `siren event add|list` (the
 * report's CSV and JSON writers are render/report_out.h, shared with the
 * web's /reports/hotline.csv and .json).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_REPORT_CLI_H
#define SR_REPORT_CLI_H

#include "cli/cli.h"

/*
 * The handlers of the `siren report hotline` and `siren event add|list`
 * rows of the command table (commands.c). report hotline checks --from
 * YYYY-MM, --to YYYY-MM and --format text|csv|json, then opens the
 * workspace itself (ws is NULL) and writes the report to stdout; event
 * add and list take the open workspace. Return an enum cli_exit: 0 done,
 * 1 refused or failed (the reason on stderr, naming the field), 2 usage.
 */
cli_handler_fn report_cli_hotline, event_cli_add, event_cli_list;

#endif
