/* placeholder, replaced below */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli.h"
#include <stdio.h>
#include "banned.h"
int
cli_run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    puts("siren");
    return 0;
}
