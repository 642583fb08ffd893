/*
 * contact_cli.h - the `siren contact ...` commands.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CONTACT_CLI_H
#define SR_CONTACT_CLI_H

/*
 * Run `siren contact SUB ...` with argv after "contact" (argc of them):
 * add, list, show, import, export, delete. Acts as the holder of the
 * workspace passphrase (policy action `local`). Returns the exit status:
 * 0 done, 1 refused or failed (the reason on stderr), 2 usage.
 */
int contact_cli_main(int argc, char **argv);

#endif
