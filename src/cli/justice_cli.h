/*
 * justice_cli.h - the command line of justice events, the funnel report
 * and offenders: `siren justice ...`, `siren entity ...` and
 * `siren report funnel ...`.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_JUSTICE_CLI_H
#define SR_JUSTICE_CLI_H

#include "cli/cli.h"

/*
 * The handlers of the `siren justice` and `siren entity` rows of the
 * command table (commands.c), one per subcommand. Each takes the open
 * workspace and the row's parsed command line, and acts as the holder of
 * the workspace passphrase (every case, every organisation). Identities
 * (offenders' names, phones) come only from files or standard input,
 * never from argv. Returns an enum cli_exit: 0 done, 1 refused or failed
 * (the reason on stderr, naming the option), 2 usage.
 */
cli_handler_fn justice_cli_add, justice_cli_list, entity_cli_add,
    entity_cli_link, entity_cli_case;
/* `entity confirm LINK_ID` and `entity reject LINK_ID` */
cli_handler_fn entity_cli_decide, entity_cli_show, entity_cli_list,
    entity_cli_network;

/*
 * `siren report funnel`: checks its options, then opens the workspace
 * itself (ws is NULL) and prints the funnel as text, CSV or JSON (counts
 * and medians only). Exit status as above.
 */
cli_handler_fn justice_cli_funnel;

#endif
