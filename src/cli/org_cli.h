/*
 * org_cli.h - the command line of organisations:
 * `siren org add|list|profile|search`.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_ORG_CLI_H
#define SR_ORG_CLI_H

#include "cli/cli.h"

/*
 * The handlers of the `siren org` rows of the command table (commands.c):
 * add NAME, list, profile CODE, search. Each takes the open workspace and
 * the row's parsed command line; contact details come from
 * --contact-file, never from argv. Returns an enum cli_exit: 0 done, 1
 * refused or failed (the reason on stderr, naming the field), 2 usage.
 */
cli_handler_fn org_cli_add, org_cli_list, org_cli_profile, org_cli_search;

#endif
