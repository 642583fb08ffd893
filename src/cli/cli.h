/*
 * cli.h - the command line front door: the type of the command table
 * (commands.c), its one option parser, usage and help generated from the
 * table, the one way to open a workspace, and the readers of secrets and
 * files every command shares.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CLI_H
#define SR_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/policy.h"

/* The exit status of every command. */
enum cli_exit {
    CLI_OK = 0,   /* done */
    CLI_FAIL = 1, /* refused or failed; the reason is on stderr */
    CLI_USAGE = 2 /* the command line was wrong; the reason is on stderr */
};

/* The most positional words, options and passed-through options, and
 * the longest secret (passphrase, password) read, in bytes. */
#define CLI_MAX_SECRET  4096
#define CLI_MAX_ARGS    8
#define CLI_MAX_OPTIONS 48
#define CLI_MAX_EXTRA   32

/*
 * One option of a row. A value option ("--name VALUE" or "--name=VALUE")
 * keeps VALUE; a flag (value NULL) keeps its name when given.
 */
struct cli_option {
    const char *name;  /* "--org"; NULL ends a list */
    const char *alias; /* another spelling ("-w"), or NULL */
    const char *value; /* the value's name in usage ("CODE"); NULL: a flag */
    const char *help;  /* one line for --help */
    int is_required;   /* 1: the row refuses to run without it */
};

/* Row flags. */
enum {
    CLI_WORKSPACE = 1 << 0,    /* open the workspace before the handler */
    CLI_PASS_OPTIONS = 1 << 1, /* unknown "--key VALUE" pairs go to extra */
    CLI_ACT_FOR_ORG = 1 << 2   /* --org CODE narrows the actor to CODE */
};

struct ws;
struct cli_args;

/*
 * One row of the command table: a command with no subcommands, the head
 * of a command with subcommands (sub and run NULL; its subcommands'
 * rows follow), or a subcommand. Every row names its policy action.
 */
struct ws;
struct cli_args;

/* A row's handler: ws is the open workspace when the row has
 * CLI_WORKSPACE, else NULL; returns an enum cli_exit. Each *_cli.h
 * declares its handlers with this type. */
typedef int cli_handler_fn(struct ws *ws, const struct cli_args *a);

struct cli_command {
    const char *name;   /* argv[1]; NULL ends the table */
    const char *sub;    /* the subcommand (argv[2]), or NULL */
    enum action action; /* the policy action it needs (policy.h) */
    const char *args; /* positional words for usage, "[W]" optional; or NULL */
    const struct cli_option *options; /* ended by a NULL name; or NULL */
    int flags;           /* CLI_WORKSPACE, CLI_PASS_OPTIONS, CLI_ACT_FOR_ORG */
    cli_handler_fn *run; /* NULL: the head row of its subcommands */
    const char *summary; /* one line for `siren help` */
    const char *notes;   /* more lines for --help, or NULL */
};

/*
 * The command line of one row, as cli_parse_options() leaves it. Values
 * are borrowed from argv.
 */
struct cli_args {
    const struct cli_command *table;     /* the whole table */
    const struct cli_command *cmd;       /* the row */
    const char *values[CLI_MAX_OPTIONS]; /* by index in cmd->options */
    const char *args[CLI_MAX_ARGS];      /* args[0] is the subcommand's name */
    int n_args;
    const char *extra_names[CLI_MAX_EXTRA]; /* CLI_PASS_OPTIONS: "--key" */
    const char *extra_values[CLI_MAX_EXTRA];
    int n_extra;
    /* Who acts, built once before the handler of a CLI_WORKSPACE row:
     * the holder of the workspace passphrase (principal_local()), for
     * every organisation, or for the one of --org on a CLI_ACT_FOR_ORG
     * row. */
    struct principal who;
};

/*
 * Parse words[0..n_words-1] (for a subcommand row words[0] is the
 * subcommand's name, kept as args[0]) against cmd's options into *a
 * (zeroed first; a->table is set to table). Checks the number of
 * positional words and the required options. Returns CLI_OK; -1 when
 * --help or -h was given (nothing printed); or CLI_USAGE after printing
 * the reason in the one shape of every usage error (cli_usage_error()).
 */
int cli_parse_options(const struct cli_command *table,
                      const struct cli_command *cmd, int n_words, char **words,
                      struct cli_args *a);

/*
 * The value of option name (either spelling) on a's row, or NULL when not
 * given; a flag's value is its name. Dies (SR_BUG) when the row has no
 * such option: the table and the handler disagree.
 */
const char *cli_opt(const struct cli_args *a, const char *name);

/* Whether flag name was given (1 or 0); as cli_opt(). */
int cli_flag(const struct cli_args *a, const char *name);

/*
 * Print "siren: COMMAND SUB: MESSAGE; see 'siren help COMMAND'" on stderr,
 * the one shape of every usage error. Returns CLI_USAGE.
 */
int cli_usage_error(const struct cli_args *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Print the usage of row cmd of table to stdout: for a command with
 * subcommands the list of them, else its positional words and options.
 */
void cli_print_usage(const struct cli_command *table,
                     const struct cli_command *cmd);

/*
 * Open the workspace of a's -w/--workspace, else SIREN_WORKSPACE, with
 * the passphrase of --passphrase-file F, else SIREN_PASSPHRASE, else the
 * key `siren unlock` keeps in the session keyring for the workspace's id
 * (base/keyring.c; a key that no longer opens it is removed), else a
 * prompt on the terminal that does not echo; db_flags as for ws_open().
 * Every command opens its workspace here. Prints the reason on failure.
 * Returns CLI_OK (*out set; ws_close() it), CLI_FAIL, or CLI_USAGE when
 * no workspace is named.
 */
int cli_open_workspace(const struct cli_args *a, int db_flags, struct ws **out);

/*
 * The workspace directory and passphrase cli_open_workspace() would use,
 * for a command that opens the workspace itself (siren rekey). *out_dir
 * is borrowed from a or the environment; pass (size bytes) is the
 * caller's to wipe after CLI_OK (wiped here otherwise). CLI_OK, CLI_FAIL
 * or CLI_USAGE after printing why.
 */
int cli_workspace_passphrase(const struct cli_args *a, const char **out_dir,
                             char *pass, size_t size);

/*
 * The passphrase of a new workspace into out (size bytes): from
 * --passphrase-file F, SIREN_PASSPHRASE, or asked twice on the terminal.
 * Returns 0, or -1 after printing why. The caller wipes out.
 */
int cli_new_passphrase(const struct cli_args *a, char *out, size_t size);

/*
 * Read the first line of file path (without its newline) into out. Returns
 * 0, or -1 after printing why (the path, never the content).
 */
int cli_read_secret_file(const char *path, char *out, size_t size);

/*
 * Ask for a secret on the terminal (/dev/tty) without echo, prompt "what"
 * ("Workspace passphrase"); with is_confirmed, ask twice and refuse when
 * the answers differ. Returns 0, -1 when there is no terminal (nothing
 * printed; the caller says what else to do), -2 after printing why it
 * failed otherwise.
 */
int cli_prompt_secret(const char *what, int is_confirmed, char *out,
                      size_t size);

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
 * Read all of path ("-" = standard input) into b (capped by b->max),
 * without final newlines. Returns 0, or -1 after printing why (the path,
 * never the content).
 */
int cli_read_text(const char *path, struct sr_buf *b);

/*
 * Print to out the codes of list (a vocabulary: NULL code last) whose bit
 * is set in bits (bit i for list[i]), joined by commas, or "-" when none
 * is: "forced_labour,debt". No newline.
 */
struct vocab_item;
void cli_print_bits(FILE *out, const struct vocab_item *list, uint64_t bits);

/* Print "siren: " and err's message, release err; returns CLI_FAIL. */
struct sr_err;
int cli_fail(struct sr_err *err);

/*
 * The `siren help [COMMAND [SUB]]` handler: the list of commands, or the
 * usage of one command or subcommand, on stdout. Returns CLI_OK, or
 * CLI_USAGE for an unknown name.
 */
int cli_help(struct ws *ws, const struct cli_args *a);

/*
 * Run `siren ARGS...` with the command table table (commands.c): find the
 * row, parse its options, open its workspace, run its handler. Returns
 * the process exit status (enum cli_exit).
 */
int cli_run(const struct cli_command *table, int argc, char **argv);

#endif
