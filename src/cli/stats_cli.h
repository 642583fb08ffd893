/*
 * stats_cli.h - `siren stats prevalence|risk|rds`: the survey statistics
 * commands.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_STATS_CLI_H
#define SR_STATS_CLI_H

#include "cli/cli.h"

/*
 * The handlers of the `siren stats prevalence`, `risk` and `rds` rows of
 * the command table (commands.c); ws is unused (NULL): they read a
 * de-identified CSV file (args[1]) or, for prevalence, --x and --n. Write
 * results to stdout, errors to stderr. Return an enum cli_exit: 0
 * success, 1 data error (message names the column/line), 2 usage error.
 * Not thread-safe (writes stdio).
 */
cli_handler_fn stats_cli_prevalence;
/* prevalence FILE, risk and rds: the row's subcommand names the method */
cli_handler_fn stats_cli_file;

#endif
