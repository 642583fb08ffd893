/*
 * audit_cli.h - `siren audit verify [--full]` (the chain from where the
 * last verification stopped, or every row), `siren audit export` (a
 * signed head of the audit chain for an outside witness) and `siren audit
 * check FILE` (an export against the workspace).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_AUDIT_CLI_H
#define SR_AUDIT_CLI_H

#include "cli/cli.h"

/*
 * The handlers of these rows of the command table (commands.c), as
 * admin_cli.h's: both take the open workspace, print results on stdout
 * and reasons on stderr, and return an enum cli_exit. Not thread-safe.
 */
cli_handler_fn audit_cli_verify, audit_cli_export, audit_cli_check;

#endif
