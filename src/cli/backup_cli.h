/*
 * backup_cli.h - `siren backup DEST` and `siren restore ARCHIVE DIR`.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_BACKUP_CLI_H
#define SR_BACKUP_CLI_H

#include "cli/cli.h"

/*
 * The handlers of these rows of the command table (commands.c), as
 * admin_cli.h's: backup takes the open workspace, restore none (it reads
 * the passphrase itself: --passphrase-file F, SIREN_PASSPHRASE, or asked
 * twice on the terminal). Print results on stdout and reasons on stderr;
 * return an enum cli_exit. Not thread-safe (stdio, the terminal).
 */
cli_handler_fn backup_cli_backup, backup_cli_restore;

/* `siren store copy --to TARGET`: ws_store_copy() of the open workspace,
 * its table of rows and digests on stdout. */
cli_handler_fn backup_cli_store_copy;

#endif
