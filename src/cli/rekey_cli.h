/*
 * rekey_cli.h - `siren rekey`: rotate the workspace's data key, or finish
 * a rotation that was interrupted (rekey_cli.c).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_REKEY_CLI_H
#define SR_REKEY_CLI_H

#include "cli/cli.h"

/*
 * The handler of the `rekey` row (commands.c): opens the workspace
 * itself (its row has no CLI_WORKSPACE, since an interrupted rotation
 * cannot be opened the usual way), prints one progress line per table on
 * stderr and a summary on stdout. Returns an enum cli_exit. Not
 * thread-safe.
 */
cli_handler_fn rekey_cli_run;

#endif
