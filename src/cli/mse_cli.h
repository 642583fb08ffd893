/*
 * mse_cli.h - `siren stats mse`: multiple systems estimation from a
 * capture-history CSV file (read by stats/capture.c).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_MSE_CLI_H
#define SR_MSE_CLI_H

#include "cli/cli.h"

/*
 * The handler of the `siren stats mse FILE.csv` row of the command table
 * (commands.c); ws is unused (NULL). Writes results to stdout, errors to
 * stderr. Returns an enum cli_exit: 0 success, 1 data error, 2 usage
 * error.
 */
cli_handler_fn mse_cli_run;

#endif
