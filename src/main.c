/*
 * main.c - the siren binary's entry point: hands argv to the CLI layer.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/cli.h"

#include "core/banned.h"

int
main(int argc, char **argv)
{
    return cli_run(argc, argv);
}
