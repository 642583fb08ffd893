/*
 * case_cli.h - the command line of cases, people, consent and duplicates:
 * `siren case|person|consent|dup ...`.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CASE_CLI_H
#define SR_CASE_CLI_H

#include "cli/cli.h"

/*
 * The handlers of the `siren case`, `person`, `consent` and `dup` rows of
 * the command table (commands.c), one per subcommand. Each takes the open
 * workspace and the row's parsed command line, and acts as the holder of
 * the workspace passphrase. Identity values come only from files or
 * standard input, never from argv. Returns an enum cli_exit: 0 done, 1
 * refused or failed (the reason on stderr), 2 usage.
 */
cli_handler_fn case_cli_case_open, case_cli_case_list, case_cli_case_show,
    case_cli_case_update, case_cli_case_status, case_cli_case_note,
    case_cli_case_support, case_cli_person_add, case_cli_person_show,
    case_cli_person_link, case_cli_consent_set, case_cli_consent_show,
    case_cli_dup_list;
/* `dup confirm ID` and `dup reject ID` (the subcommand's name decides) */
cli_handler_fn case_cli_dup_decide;

#endif
