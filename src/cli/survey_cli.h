/*
 * survey_cli.h - `siren survey ...` and `siren analysis ...`: data sets
 * and recorded analyses in a workspace from the command line.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_SURVEY_CLI_H
#define SR_SURVEY_CLI_H

/*
 * Run `siren survey ARGS` (argv[0] is the subcommand: import, list, show,
 * delete). Opens the workspace of -w DIR or SIREN_WORKSPACE with
 * SIREN_PASSPHRASE or --passphrase-file. Returns the exit status: 0, 1
 * (refused or failed; the message on stderr names the field or columns),
 * 2 (usage). Not thread-safe (stdio).
 */
int survey_cli_main(int argc, char **argv);

/*
 * Run `siren analysis ARGS` (run, list, show, rerun). rerun exits 1 when
 * the numbers differ from the record. Exit statuses as survey_cli_main.
 */
int analysis_cli_main(int argc, char **argv);

#endif
