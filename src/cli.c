/*
 * cli.c - minimal dispatcher for the stats-survey branch: `siren stats
 * CMD ...` goes to stats_cli_main(). The lead engineer replaces this file
 * with the real command table at merge.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "stats_cli.h"

#include "banned.h"

int
cli_run(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc >= 2 && strcmp(argv[1], "stats") == 0) {
        return stats_cli_main(argc - 2, argv + 2);
    }
    fputs("usage: siren stats prevalence|risk|rds ... (siren stats --help)\n",
          stderr);
    return 2;
}
