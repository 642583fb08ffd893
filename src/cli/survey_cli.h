/*
 * survey_cli.h - `siren survey ...` and `siren analysis ...`: data sets
 * and recorded analyses in a workspace from the command line.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_SURVEY_CLI_H
#define SR_SURVEY_CLI_H

#include "cli/cli.h"

/*
 * The handlers of the `siren survey` rows of the command table
 * (commands.c): import FILE.csv, list, show NAME|CODE|ID, delete
 * NAME|CODE|ID. Each takes the open workspace and the row's parsed
 * command line. Returns an enum cli_exit: 0, 1 (refused or failed; the
 * message on stderr names the field or columns), 2 (usage). Not
 * thread-safe (stdio).
 */
cli_handler_fn survey_cli_import, survey_cli_list, survey_cli_show,
    survey_cli_delete;

/*
 * The handlers of the `siren analysis` rows: run METHOD (its row passes
 * the method's options through as "--key VALUE" pairs), list, show ID,
 * rerun ID. run and list take the open workspace; show and rerun check
 * the id first and open it themselves (ws is NULL). rerun exits 1 when
 * the numbers differ from the record. Exit statuses as above.
 */
cli_handler_fn analysis_cli_run, analysis_cli_list, analysis_cli_show,
    analysis_cli_rerun;

#endif
