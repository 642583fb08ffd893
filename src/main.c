/*
 * main.c - the siren binary's entry point: hands argv and the command
 * table to the CLI layer.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/cli.h"
#include "cli/commands.h"

#include "core/banned.h"

int
main(int argc, char **argv)
{
    return cli_run(cli_commands, argc, argv);
}
