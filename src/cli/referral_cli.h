/*
 * referral_cli.h - the command line of the referral network:
 * `siren referral send|list|answer` and `siren org profile|search`.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_REFERRAL_CLI_H
#define SR_REFERRAL_CLI_H

/*
 * Whether argv (argv[0] the command name: "referral", or "org" followed
 * by "profile" or "search") is one of these commands. 1 or 0.
 */
int referral_cli_wants(int argc, char **argv);

/*
 * Run the command in argv (as referral_cli_wants() accepted it); options
 * -w DIR and --passphrase-file F as everywhere. Returns the exit status:
 * 0 done, 1 refused or failed (the reason on stderr, naming the field),
 * 2 usage.
 */
int referral_cli_main(int argc, char **argv);

#endif
