/*
 * case_cli.h - the command line of cases, people, consent and duplicates:
 * `siren case|person|consent|dup ...`.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CASE_CLI_H
#define SR_CASE_CLI_H

/*
 * Run `siren CMD ARGS...` for CMD one of "case", "person", "consent",
 * "dup"; argv holds the arguments after CMD (argc of them). Identity
 * values come only from files or standard input, never from argv.
 * Returns the exit status: 0 done, 1 refused or failed (the reason on
 * stderr), 2 usage.
 */
int case_cli_main(const char *cmd, int argc, char **argv);

#endif
