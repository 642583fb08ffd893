/*
 * stats_cli.h - `siren stats prevalence|risk|rds`: the survey statistics
 * commands.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_STATS_CLI_H
#define SR_STATS_CLI_H

/*
 * Run one stats subcommand; argv[0] is the subcommand name ("prevalence",
 * "risk", "rds"), the rest its options (see `siren stats --help`).
 * Writes results to stdout, errors to stderr. Returns the exit status:
 * 0 success, 1 data error (message names the column/line), 2 usage error.
 * Not thread-safe (writes stdio).
 */
int stats_cli_main(int argc, char **argv);

#endif
