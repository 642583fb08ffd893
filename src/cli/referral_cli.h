/*
 * referral_cli.h - the command line of referrals:
 * `siren referral send|list|answer`.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_REFERRAL_CLI_H
#define SR_REFERRAL_CLI_H

#include "cli/cli.h"

/*
 * The handlers of the `siren referral` rows of the command table
 * (commands.c): send CONTACT|CASE, list, answer CODE. Each takes the open
 * workspace and the row's parsed command line; a note is read from
 * --note-file, never from argv. Returns an enum cli_exit: 0 done, 1
 * refused or failed (the reason on stderr, naming the field), 2 usage.
 */
cli_handler_fn referral_cli_send, referral_cli_list, referral_cli_answer;

#endif
