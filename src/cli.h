/*
 * cli.h - the command line front door.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CLI_H
#define SR_CLI_H

#include <stddef.h>

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

struct sr_buf;

/*
 * Read identity fields from a key=value file (path "-" = standard input;
 * at most 64 KiB) so identities never travel on the command line, where
 * other users of the machine can read them. The text goes into b (the
 * caller initialises it and wipes it with vault_buf_wipe()); for each
 * line "key=value" whose key is keys[i], values[i] points to the value
 * inside b. An unknown key or a line without '=' is refused naming the
 * line and the keys allowed (never the value). Returns 0, or 1 after
 * printing why.
 */
int cli_read_identity_file(const char *path, struct sr_buf *b,
                           const char *const *keys, const char **values,
                           size_t n_keys);

/* Run `siren ARGS...`; returns the process exit status. */
int cli_run(int argc, char **argv);

#endif
