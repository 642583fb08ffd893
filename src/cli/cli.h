/*
 * cli.h - the command line front door.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CLI_H
#define SR_CLI_H

#include <stddef.h>

#include "base/policy.h"

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

/*
 * One option of a command. A value option ("--name VALUE") stores VALUE,
 * a const char * borrowed from argv, at offset in the command's options
 * struct; a flag (is_flag) stores 1 in an int there.
 */
struct cli_option {
    const char *name;
    size_t offset;
    int is_flag;
};
#define CLI_OPT(type, opt, field)     \
    {                                 \
        opt, offsetof(type, field), 0 \
    }
#define CLI_FLAG(type, opt, field)    \
    {                                 \
        opt, offsetof(type, field), 1 \
    }

/*
 * Parse argv[0..argc-1] against specs[0..n_specs-1] into out (zeroed
 * first, out_size bytes); words that are not options go to args (at most
 * max_args, counted in *n_args, which lives inside out or not). Returns
 * 0, or 2 (usage) after printing the unknown option, the option missing
 * its value, or "too many arguments". The one option parser of every
 * command.
 */
int cli_parse_options(int argc, char **argv, const struct cli_option *specs,
                      size_t n_specs, void *out, size_t out_size,
                      const char **args, int max_args, int *n_args);

/*
 * Read all of path ("-" = standard input) into b (capped by b->max),
 * without final newlines. Returns 0, or -1 after printing why (the path,
 * never the content).
 */
int cli_read_text(const char *path, struct sr_buf *b);

/* Print "siren: " and err's message, release err; returns 1 (failure). */
struct sr_err;
int cli_fail(struct sr_err *err);

/* Run `siren ARGS...`; returns the process exit status. */
int cli_run(int argc, char **argv);

#endif
