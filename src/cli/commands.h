/*
 * commands.h - the command table of the siren binary (commands.c).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_COMMANDS_H
#define SR_COMMANDS_H

#include "cli/cli.h"

/*
 * Every command and subcommand, one row each (struct cli_command): a
 * command with subcommands is a head row (sub and run NULL) followed by
 * its subcommands' rows. Ended by a row whose name is NULL. Read-only;
 * hand it to cli_run().
 */
extern const struct cli_command cli_commands[];

#endif
