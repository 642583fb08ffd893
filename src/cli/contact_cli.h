/*
 * contact_cli.h - the `siren contact ...` commands.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CONTACT_CLI_H
#define SR_CONTACT_CLI_H

#include "cli/cli.h"

/*
 * The handlers of the `siren contact` rows of the command table
 * (commands.c): add, list, show CODE, import FILE.csv, export, delete
 * CODE. Each takes the open workspace and the row's parsed command line,
 * and acts as the holder of the workspace passphrase (policy action
 * `local`), with coordinator powers over the organisation of --org or
 * every organisation. Returns an enum cli_exit: 0 done, 1 refused or
 * failed (the reason on stderr), 2 usage.
 */
cli_handler_fn contact_cli_add, contact_cli_list, contact_cli_show,
    contact_cli_import, contact_cli_export, contact_cli_delete;

#endif
