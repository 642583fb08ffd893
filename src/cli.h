/*
 * cli.h - the command line front door.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CLI_H
#define SR_CLI_H

#include "policy.h"

struct opts;

/* One command of the command table; every command names its action. */
struct command {
    const char *name;           /* argv[1] */
    int (*run)(struct opts *o); /* NULL: dispatched before option parsing */
    enum action action;         /* policy action it needs */
    const char *summary;        /* one line for `siren help` */
};

/* The command table, terminated by a NULL name. */
extern const struct command cli_commands[];

/*
 * Open the workspace in dir (NULL: SIREN_WORKSPACE) with the passphrase
 * from passphrase_file, SIREN_PASSPHRASE or a prompt, as every command
 * does; db_flags as for ws_open(). Prints the reason on failure. Returns
 * 0 (*out set; ws_close() it), 1 on failure, 2 when no workspace is named.
 */
struct ws;
int cli_open_workspace(const char *dir, const char *passphrase_file,
                       int db_flags, struct ws **out);

/* Run `siren ARGS...`; returns the process exit status. */
int cli_run(int argc, char **argv);

#endif
