/*
 * case_cli.h - the command line of cases, people, consent and duplicates:
 * `siren case|person|consent|dup ...`.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CASE_CLI_H
#define SR_CASE_CLI_H

struct ws;
struct cli_args;

/*
 * The handlers of the `siren case`, `person`, `consent` and `dup` rows of
 * the command table (commands.c), one per subcommand. Each takes the open
 * workspace and the row's parsed command line, and acts as the holder of
 * the workspace passphrase. Identity values come only from files or
 * standard input, never from argv. Returns an enum cli_exit: 0 done, 1
 * refused or failed (the reason on stderr), 2 usage.
 */
int case_cli_case_open(struct ws *ws, const struct cli_args *a);
int case_cli_case_list(struct ws *ws, const struct cli_args *a);
int case_cli_case_show(struct ws *ws, const struct cli_args *a);
int case_cli_case_update(struct ws *ws, const struct cli_args *a);
int case_cli_case_status(struct ws *ws, const struct cli_args *a);
int case_cli_case_note(struct ws *ws, const struct cli_args *a);
int case_cli_case_support(struct ws *ws, const struct cli_args *a);
int case_cli_person_add(struct ws *ws, const struct cli_args *a);
int case_cli_person_show(struct ws *ws, const struct cli_args *a);
int case_cli_person_link(struct ws *ws, const struct cli_args *a);
int case_cli_consent_set(struct ws *ws, const struct cli_args *a);
int case_cli_consent_show(struct ws *ws, const struct cli_args *a);
int case_cli_dup_list(struct ws *ws, const struct cli_args *a);
/* `dup confirm ID` and `dup reject ID` (the subcommand's name decides) */
int case_cli_dup_decide(struct ws *ws, const struct cli_args *a);

#endif
