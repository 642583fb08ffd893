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
 * Open the workspace dir (NULL: SIREN_WORKSPACE) with the passphrase from
 * SIREN_PASSPHRASE, passphrase_file (may be NULL) or a prompt, for a
 * module's command that parses its own arguments. Returns 0 with *out
 * open (ws_close() it), else the exit status after printing why.
 */
struct ws;
int cli_open_workspace(const char *dir, const char *passphrase_file,
                       int db_flags, struct ws **out);

/* Run `siren ARGS...`; returns the process exit status. */
int cli_run(int argc, char **argv);

#endif
