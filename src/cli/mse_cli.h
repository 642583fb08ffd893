/*
 * mse_cli.h - `siren stats mse`: multiple systems estimation from a
 * capture-history CSV file (read by stats/capture.c).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_MSE_CLI_H
#define SR_MSE_CLI_H

/* Run `mse FILE [options]`; argv[0] is "mse". Writes results to stdout,
 * errors to stderr. Returns 0 on success, 1 on a data error, 2 on a
 * usage error (usage text on --help goes to stdout with 0). */
int mse_cli_main(int argc, char **argv);

#endif
