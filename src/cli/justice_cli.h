/*
 * justice_cli.h - the command line of justice events, the funnel report
 * and offenders: `siren justice ...`, `siren entity ...` and
 * `siren report funnel ...`.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_JUSTICE_CLI_H
#define SR_JUSTICE_CLI_H

struct ws;
struct cli_args;

/*
 * The handlers of the `siren justice` and `siren entity` rows of the
 * command table (commands.c), one per subcommand. Each takes the open
 * workspace and the row's parsed command line, and acts as the holder of
 * the workspace passphrase (every case, every organisation). Identities
 * (offenders' names, phones) come only from files or standard input,
 * never from argv. Returns an enum cli_exit: 0 done, 1 refused or failed
 * (the reason on stderr, naming the option), 2 usage.
 */
int justice_cli_add(struct ws *ws, const struct cli_args *a);
int justice_cli_list(struct ws *ws, const struct cli_args *a);
int entity_cli_add(struct ws *ws, const struct cli_args *a);
int entity_cli_link(struct ws *ws, const struct cli_args *a);
int entity_cli_case(struct ws *ws, const struct cli_args *a);
/* `entity confirm LINK_ID` and `entity reject LINK_ID` */
int entity_cli_decide(struct ws *ws, const struct cli_args *a);
int entity_cli_show(struct ws *ws, const struct cli_args *a);
int entity_cli_list(struct ws *ws, const struct cli_args *a);
int entity_cli_network(struct ws *ws, const struct cli_args *a);

/*
 * `siren report funnel`: checks its options, then opens the workspace
 * itself (ws is NULL) and prints the funnel as text, CSV or JSON (counts
 * and medians only). Exit status as above.
 */
int justice_cli_funnel(struct ws *ws, const struct cli_args *a);

#endif
