/*
 * justice_cli.h - the command line of justice events, the funnel report
 * and offenders: `siren justice ...`, `siren entity ...` and
 * `siren report funnel ...`.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_JUSTICE_CLI_H
#define SR_JUSTICE_CLI_H

/*
 * Run `siren CMD ARGS...` for CMD "justice" or "entity"; argv holds the
 * arguments after CMD (argc of them). Acts as the holder of the
 * workspace passphrase (every case, every organisation). Identities
 * (offenders' names, phones) come only from files or standard input,
 * never from argv. Returns the exit status: 0 done, 1 refused or failed
 * (the reason on stderr, naming the option), 2 usage.
 */
int justice_cli_main(const char *cmd, int argc, char **argv);

/*
 * Run `siren report funnel ARGS...`; argv holds the arguments after
 * "report" (argv[0] is "funnel"). Prints the funnel as text, CSV or
 * JSON (counts and medians only). Exit status as above.
 */
int justice_cli_report(int argc, char **argv);

#endif
