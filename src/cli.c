/*
 * cli.c - minimal command dispatcher for the stats-mse branch.
 *
 * Placeholder until the real command table is merged: routes
 * `siren stats mse ...` to mse_cli_main() and nothing else. Must not grow:
 * the lead engineer replaces this file at merge.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "mse_cli.h"

#include "banned.h"

int
cli_run(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "stats") == 0 &&
        strcmp(argv[2], "mse") == 0) {
        return mse_cli_main(argc - 2, argv + 2);
    }
    fprintf(stderr, "usage: siren stats mse FILE.csv [options]\n");
    return 2;
}
