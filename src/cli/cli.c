/*
 * cli.c - the machinery of the command line: the one option parser, usage
 * and help generated from the command table, the one way every command
 * opens its workspace (and asks for secrets), and the dispatcher.
 *
 * Owns no command: the table is commands.c, the handlers are the
 * *_cli.c files. The command line acts as whoever holds the workspace
 * passphrase (ACT_LOCAL). sr_die() is allowed here, before serving.
 * Must not print secrets or identities, nor echo a secret typed at the
 * terminal.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/cli.h"

#include <assert.h>
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>

#include <sodium.h>

#include "base/keyring.h"
#include "base/org.h"
#include "base/principal.h"
#include "base/vault.h"
#include "base/workspace.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/vocab.h"
#include "core/banned.h"

/* ---- options ------------------------------------------------------------ */

/* The index of option word w (either spelling; name_len bytes of it) in
 * cmd's options, or -1. */
static int
find_option(const struct cli_command *cmd, const char *w, size_t name_len)
{
    for (int k = 0; cmd->options != NULL && cmd->options[k].name != NULL; k++) {
        const struct cli_option *o = &cmd->options[k];
        if ((strlen(o->name) == name_len &&
             memcmp(o->name, w, name_len) == 0) ||
            (o->alias != NULL && strlen(o->alias) == name_len &&
             memcmp(o->alias, w, name_len) == 0)) {
            return k;
        }
    }
    return -1;
}

/* The positional words of spec: how many are required, how many allowed,
 * and the name of word i (into out) for messages. */
static void
count_args(const char *spec, int *n_required, int *n_max, int want, char *out,
           size_t size)
{
    int depth = 0, n = 0;
    *n_required = 0;
    *n_max = 0;
    if (out != NULL) {
        out[0] = '\0';
    }
    for (const char *p = spec; p != NULL && *p != '\0';) {
        while (*p == ' ') {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        size_t len = strcspn(p, " ");
        int is_optional = depth > 0 || *p == '[';
        for (size_t i = 0; i < len; i++) {
            depth += p[i] == '[' ? 1 : p[i] == ']' ? -1 : 0;
        }
        if (len >= 3 && memcmp(p + len - 3, "...", 3) == 0) {
            *n_max = CLI_MAX_ARGS;
        } else {
            (*n_max)++;
        }
        if (!is_optional) {
            (*n_required)++;
        }
        if (n == want && out != NULL) {
            size_t from = strspn(p, "[");
            size_t k = strcspn(p + from, "]");
            k = k < len - from ? k : len - from;
            snprintf(out, size, "%.*s", (int)k, p + from);
        }
        n++;
        p += len;
    }
    if (*n_max > CLI_MAX_ARGS) {
        *n_max = CLI_MAX_ARGS;
    }
}

int
cli_usage_error(const struct cli_args *a, const char *fmt, ...)
{
    const struct cli_command *c = a->cmd;
    va_list ap;
    fprintf(stderr, "siren: %s%s%s: ", c->name, c->sub ? " " : "",
            c->sub ? c->sub : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "; see 'siren help %s'\n", c->name);
    return CLI_USAGE;
}

int
cli_parse_options(const struct cli_command *table,
                  const struct cli_command *cmd, int n_words, char **words,
                  struct cli_args *a)
{
    assert(cmd != NULL && a != NULL);
    memset(a, 0, sizeof *a);
    a->table = table;
    a->cmd = cmd;
    for (int i = 0; i < n_words; i++) {
        const char *w = words[i];
        if (w[0] != '-' || w[1] == '\0') {
            if (a->n_args >= CLI_MAX_ARGS) {
                return cli_usage_error(a, "too many arguments");
            }
            a->args[a->n_args++] = w;
            continue;
        }
        if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
            return -1;
        }
        const char *eq = strncmp(w, "--", 2) == 0 ? strchr(w, '=') : NULL;
        size_t name_len = eq != NULL ? (size_t)(eq - w) : strlen(w);
        int k = find_option(cmd, w, name_len);
        if (k < 0 && (cmd->flags & CLI_PASS_OPTIONS) &&
            strncmp(w, "--", 2) == 0 && a->n_extra < CLI_MAX_EXTRA) {
            /* the whole word is the name: "--key VALUE" only */
            if (i + 1 >= n_words) {
                return cli_usage_error(a, "option '%s' needs a value", w);
            }
            a->extra_names[a->n_extra] = w;
            a->extra_values[a->n_extra++] = words[++i];
            continue;
        }
        if (k < 0 || k >= CLI_MAX_OPTIONS ||
            (eq != NULL && cmd->options[k].value == NULL)) {
            return cli_usage_error(a, "unknown option '%s'", w);
        }
        if (cmd->options[k].value == NULL) {
            a->values[k] = cmd->options[k].name;
        } else if (eq != NULL) {
            a->values[k] = eq + 1;
        } else if (i + 1 < n_words) {
            a->values[k] = words[++i];
        } else {
            return cli_usage_error(a, "option '%s' needs a value", w);
        }
    }
    int n_required, n_max;
    char word[64];
    int has_sub = cmd->sub != NULL;
    count_args(cmd->args, &n_required, &n_max, a->n_args - has_sub, word,
               sizeof word);
    if (a->n_args - has_sub > n_max) {
        return cli_usage_error(a, "too many arguments");
    }
    if (a->n_args - has_sub < n_required) {
        return cli_usage_error(a, "missing argument %s", word);
    }
    for (int k = 0; cmd->options != NULL && cmd->options[k].name != NULL; k++) {
        if (cmd->options[k].is_required && a->values[k] == NULL) {
            return cli_usage_error(a, "missing option '%s'",
                                   cmd->options[k].name);
        }
    }
    return CLI_OK;
}

/* The value of option name on a's row, or NULL; *has_option says whether
 * the row has it at all. */
static const char *
lookup(const struct cli_args *a, const char *name, int *has_option)
{
    int k = find_option(a->cmd, name, strlen(name));
    *has_option = k >= 0;
    return k >= 0 ? a->values[k] : NULL;
}

const char *
cli_opt(const struct cli_args *a, const char *name)
{
    assert(a != NULL && name != NULL);
    int has_option;
    const char *v = lookup(a, name, &has_option);
    if (!has_option) {
        SR_BUG("a handler asked for an option its row does not have");
    }
    return v;
}

int
cli_flag(const struct cli_args *a, const char *name)
{
    return cli_opt(a, name) != NULL;
}

/* ---- usage -------------------------------------------------------------- */

static int
has_subs(const struct cli_command *c)
{
    return c->sub == NULL && c->run == NULL;
}

/* Print the usage of leaf row c after "siren NAME ": its subcommand,
 * positional words and required options, then " [options]" when it has
 * others; into out (size bytes). */
static void
usage_words(const struct cli_command *c, char *out, size_t size)
{
    int n_optional = 0;
    size_t len = 0;
    out[0] = '\0';
    if (c->sub != NULL) {
        len += (size_t)snprintf(out + len, size - len, "%s", c->sub);
    }
    if (c->args != NULL && len < size) {
        len += (size_t)snprintf(out + len, size - len, "%s%s",
                                len > 0 ? " " : "", c->args);
    }
    for (int k = 0; c->options != NULL && c->options[k].name != NULL; k++) {
        const struct cli_option *o = &c->options[k];
        if (o->is_required && len < size) {
            len += (size_t)snprintf(
                out + len, size - len, "%s%s%s%s", len > 0 ? " " : "", o->name,
                o->value ? " " : "", o->value ? o->value : "");
        } else if (!o->is_required) {
            n_optional++;
        }
    }
    if (n_optional > 0 && len < size) {
        snprintf(out + len, size - len, "%s[options]", len > 0 ? " " : "");
    }
}

void
cli_print_usage(const struct cli_command *table, const struct cli_command *cmd)
{
    assert(table != NULL && cmd != NULL);
    if (has_subs(cmd)) {
        printf("usage: siren %s SUBCOMMAND ...\n%s\n\nsubcommands:\n",
               cmd->name, cmd->summary);
        for (const struct cli_command *c = cmd + 1;
             c->name != NULL && strcmp(c->name, cmd->name) == 0; c++) {
            char head[256];
            usage_words(c, head, sizeof head);
            if (strlen(head) > 26) {
                printf("  %s\n  %-26s %s\n", head, "", c->summary);
            } else {
                printf("  %-26s %s\n", head, c->summary);
            }
        }
        if (cmd->notes != NULL) {
            printf("\n%s", cmd->notes);
        }
        printf("\n'siren %s SUBCOMMAND --help' lists its options.\n",
               cmd->name);
        return;
    }
    char words[256];
    usage_words(cmd, words, sizeof words);
    printf("usage: siren %s%s%s\n%s\n", cmd->name, words[0] ? " " : "", words,
           cmd->summary);
    if (cmd->options != NULL && cmd->options[0].name != NULL) {
        printf("\noptions:\n");
    }
    for (int k = 0; cmd->options != NULL && cmd->options[k].name != NULL; k++) {
        const struct cli_option *o = &cmd->options[k];
        char label[96];
        snprintf(label, sizeof label, "%s%s%s%s%s", o->alias ? o->alias : "",
                 o->alias ? ", " : "", o->name, o->value ? " " : "",
                 o->value ? o->value : "");
        if (strlen(label) > 26) {
            printf("  %s\n  %-26s %s%s\n", label, "", o->help,
                   o->is_required ? " (required)" : "");
        } else {
            printf("  %-26s %s%s\n", label, o->help,
                   o->is_required ? " (required)" : "");
        }
    }
    if (cmd->notes != NULL) {
        printf("\n%s", cmd->notes);
    }
}

/* The row of command name (and sub, or NULL for the command's own row). */
static const struct cli_command *
find_row(const struct cli_command *table, const char *name, const char *sub)
{
    for (const struct cli_command *c = table; c->name != NULL; c++) {
        if (strcmp(c->name, name) == 0 &&
            (sub == NULL ? c->sub == NULL
                         : c->sub != NULL && strcmp(c->sub, sub) == 0)) {
            return c;
        }
    }
    return NULL;
}

static void
print_commands(const struct cli_command *table)
{
    printf("usage: siren COMMAND [options]\n\ncommands:\n");
    for (const struct cli_command *c = table; c->name != NULL; c++) {
        if (c->sub == NULL) {
            printf("  %-11s %s\n", c->name, c->summary);
        }
    }
    printf("\nThe workspace is -w DIR or SIREN_WORKSPACE; its passphrase "
           "comes from\nSIREN_PASSPHRASE, --passphrase-file F, or a "
           "prompt.\n'siren help COMMAND' shows a command's usage.\n");
}

int
cli_help(struct ws *ws, const struct cli_args *a)
{
    (void)ws;
    if (a->n_args == 0) {
        print_commands(a->table);
        return CLI_OK;
    }
    const struct cli_command *c = find_row(a->table, a->args[0], NULL);
    if (c == NULL) {
        return cli_usage_error(a, "unknown command '%s'", a->args[0]);
    }
    if (a->n_args > 1) {
        c = has_subs(c) ? find_row(a->table, a->args[0], a->args[1]) : NULL;
        if (c == NULL) {
            return cli_usage_error(a, "unknown subcommand '%s %s'", a->args[0],
                                   a->args[1]);
        }
    }
    cli_print_usage(a->table, c);
    return CLI_OK;
}

/* ---- secrets and the workspace ------------------------------------------ */

int
cli_read_secret_file(const char *path, char *out, size_t size)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "siren: cannot read '%s': %s\n", path, strerror(errno));
        return -1;
    }
    if (fgets(out, (int)size, f) == NULL) {
        out[0] = '\0';
    }
    fclose(f);
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

/* Ask once on the terminal without echo: 0, -1 no terminal, -2 no
 * answer. */
static int
ask(const char *prompt, char *out, size_t size)
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (tty == NULL) {
        return -1;
    }
    struct termios old, quiet;
    int fd = fileno(tty);
    int has_termios = tcgetattr(fd, &old) == 0;
    if (has_termios) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    fprintf(tty, "%s: ", prompt);
    fflush(tty);
    char *got = fgets(out, (int)size, tty);
    if (has_termios) {
        tcsetattr(fd, TCSAFLUSH, &old);
    }
    fputc('\n', tty);
    fclose(tty);
    if (got == NULL) {
        out[0] = '\0';
        return -2;
    }
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

int
cli_prompt_secret(const char *what, int is_confirmed, char *out, size_t size)
{
    int rc = ask(what, out, size);
    if (rc == -2) {
        fprintf(stderr, "siren: no answer to '%s'\n", what);
    }
    if (rc == 0 && is_confirmed) {
        char again[CLI_MAX_SECRET];
        char prompt[128];
        snprintf(prompt, sizeof prompt, "%s (again)", what);
        rc = ask(prompt, again, sizeof again);
        if (rc == 0 && strcmp(again, out) != 0) {
            fprintf(stderr, "siren: the two answers differ\n");
            rc = -2;
        } else if (rc != 0) {
            fprintf(stderr, "siren: no answer to '%s'\n", prompt);
            rc = -2;
        }
        sodium_memzero(again, sizeof again);
    }
    return rc;
}

/* The workspace passphrase: --passphrase-file, SIREN_PASSPHRASE, prompt
 * (twice when is_new). */
static int
get_passphrase(const struct cli_args *a, int is_new, char *out, size_t size)
{
    int has_option;
    const char *file = lookup(a, "--passphrase-file", &has_option);
    const char *env = getenv("SIREN_PASSPHRASE");
    int rc;
    if (file != NULL) {
        rc = cli_read_secret_file(file, out, size);
    } else if (env != NULL) {
        snprintf(out, size, "%s", env);
        rc = 0;
    } else {
        rc = cli_prompt_secret("Workspace passphrase", is_new, out, size);
        if (rc == -1) {
            fprintf(stderr, "siren: no passphrase: set SIREN_PASSPHRASE, use "
                            "--passphrase-file F or run on a terminal\n");
        }
    }
    if (rc == 0 && out[0] == '\0') {
        fprintf(stderr, "siren: the passphrase is empty\n");
        rc = -1;
    }
    return rc == 0 ? 0 : -1;
}

int
cli_new_passphrase(const struct cli_args *a, char *out, size_t size)
{
    return get_passphrase(a, 1, out, size);
}

int
cli_workspace_passphrase(const struct cli_args *a, const char **out_dir,
                         char *pass, size_t size)
{
    assert(a != NULL && out_dir != NULL && pass != NULL);
    int has_option;
    const char *dir = lookup(a, "--workspace", &has_option);
    if (dir == NULL) {
        dir = getenv("SIREN_WORKSPACE");
    }
    if (dir == NULL) {
        fprintf(stderr, "siren: no workspace: use -w DIR or set "
                        "SIREN_WORKSPACE\n");
        return CLI_USAGE;
    }
    if (get_passphrase(a, 0, pass, size) != 0) {
        sodium_memzero(pass, size);
        return CLI_FAIL;
    }
    *out_dir = dir;
    return CLI_OK;
}

/* Whether the passphrase is given explicitly (--passphrase-file or
 * SIREN_PASSPHRASE), which wins over a key kept by siren unlock. */
static int
has_explicit_passphrase(const struct cli_args *a)
{
    int has_option;
    return lookup(a, "--passphrase-file", &has_option) != NULL ||
           getenv("SIREN_PASSPHRASE") != NULL;
}

/* Open dir with the key siren unlock kept for its workspace id: CLI_OK
 * (*out set), CLI_FAIL after printing why, or -1 when there is no usable
 * key (none, or one that no longer opens the key file, which is removed)
 * and the passphrase must be asked for. */
static int
open_unlocked(const char *dir, int db_flags, struct ws **out)
{
    char id[33];
    unsigned char kek[VAULT_KEY_BYTES];
    struct sr_err err = { 0 };
    if (ws_read_id(dir, id, &err) != SR_OK ||
        keyring_load(id, kek, &err) != SR_OK) {
        sr_err_release(&err); /* the passphrase path says what is wrong */
        return -1;
    }
    int rc = ws_open_kek(dir, kek, db_flags, out, &err);
    sodium_memzero(kek, sizeof kek);
    if (rc == SR_OK) {
        return CLI_OK;
    }
    if (rc != SR_ECRYPTO) {
        return cli_fail(&err); /* locked, newer schema...: as with a
                                * passphrase */
    }
    /* stale: the passphrase changed, the key was rotated, or the files
     * were replaced since siren unlock (any other SR_ECRYPTO, an altered
     * anchor, is named again by the passphrase path) */
    sr_err_release(&err);
    if (keyring_remove(id, &err) != SR_OK) {
        sr_err_release(&err);
    }
    fprintf(stderr, "siren: the key kept by 'siren unlock' no longer opens "
                    "this workspace (a new passphrase, a rekey or replaced "
                    "files); removed it\n");
    return -1;
}

int
cli_open_workspace(const struct cli_args *a, int db_flags, struct ws **out)
{
    assert(a != NULL && out != NULL);
    int has_option;
    const char *named = lookup(a, "--workspace", &has_option);
    if (named == NULL) {
        named = getenv("SIREN_WORKSPACE");
    }
    if (named != NULL && !has_explicit_passphrase(a)) {
        int rc = open_unlocked(named, db_flags, out);
        if (rc != -1) {
            return rc;
        }
    }
    const char *dir = NULL;
    char pass[CLI_MAX_SECRET];
    int cli_rc = cli_workspace_passphrase(a, &dir, pass, sizeof pass);
    if (cli_rc != CLI_OK) {
        return cli_rc; /* pass is wiped */
    }
    struct sr_err err = { 0 };
    int rc = ws_open(dir, pass, strlen(pass), db_flags, out, &err);
    sodium_memzero(pass, sizeof pass);
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

/* ---- files -------------------------------------------------------------- */

int
cli_read_text(const char *path, struct sr_buf *b)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "siren: cannot read '%s': %s\n", path, strerror(errno));
        return -1;
    }
    char chunk[4096];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (sr_buf_add(b, chunk, n) != SR_OK) {
            fprintf(stderr, "siren: '%s' is too large\n", path);
            rc = -1;
            break;
        }
    }
    if (f != stdin) {
        fclose(f);
    }
    while (b->len > 0 &&
           (b->data[b->len - 1] == '\n' || b->data[b->len - 1] == '\r')) {
        b->data[--b->len] = '\0';
    }
    return rc;
}

void
cli_print_bits(FILE *out, const struct vocab_item *list, uint64_t bits)
{
    int any = 0;
    for (int i = 0; list[i].code != NULL && i < 64; i++) {
        if (bits & ((uint64_t)1 << i)) {
            fprintf(out, "%s%s", any ? "," : "", list[i].code);
            any = 1;
        }
    }
    fputs(any ? "" : "-", out);
}

int
cli_fail(struct sr_err *err)
{
    fprintf(stderr, "siren: %s\n", sr_err_msg(err));
    sr_err_release(err);
    return CLI_FAIL;
}

int
cli_read_identity_file(const char *path, struct sr_buf *b,
                       const char *const *keys, const char **values,
                       size_t n_keys)
{
    int rc = cli_read_text(path, b) == 0 ? 0 : 1;
    char *p = b->data;
    int line = 0;
    while (rc == 0 && p != NULL && *p != '\0') {
        line++;
        char *nl = strchr(p, '\n');
        if (nl != NULL) {
            *nl = '\0';
        }
        size_t len = strlen(p);
        if (len > 0 && p[len - 1] == '\r') {
            p[--len] = '\0';
        }
        char *eq = strchr(p, '=');
        if (eq == NULL && len > 0) {
            fprintf(stderr, "siren: identity file line %d: want key=value\n",
                    line);
            rc = 1;
        } else if (eq != NULL) {
            *eq = '\0';
            size_t k;
            for (k = 0; k < n_keys && strcmp(p, keys[k]) != 0; k++) {
            }
            if (k == n_keys) {
                fprintf(stderr,
                        "siren: identity file line %d: unknown key;"
                        " allowed:",
                        line);
                for (k = 0; k < n_keys; k++) {
                    fprintf(stderr, " %s", keys[k]);
                }
                fputc('\n', stderr);
                rc = 1;
            } else {
                values[k] = eq + 1;
            }
        }
        p = nl != NULL ? nl + 1 : NULL;
    }
    return rc;
}

/* ---- dispatch ----------------------------------------------------------- */

/* Whether w is an option every workspace command takes, with a value. */
static int
is_workspace_option(const char *w)
{
    return strcmp(w, "-w") == 0 || strcmp(w, "--workspace") == 0 ||
           strcmp(w, "--passphrase-file") == 0;
}

/* a->who for row: principal_local(), narrowed to the organisation of
 * --org on a CLI_ACT_FOR_ORG row that has it. CLI_OK, or CLI_FAIL after
 * saying that no organisation has that code. */
static int
actor_of(struct ws *ws, const struct cli_command *row, struct cli_args *a)
{
    a->who = principal_local();
    const char *org = row->flags & CLI_ACT_FOR_ORG ? cli_opt(a, "--org") : NULL;
    if (org == NULL) {
        return CLI_OK;
    }
    struct sr_err err = { 0 };
    if (org_id_by_code(ws->db, org, &a->who.org_id, &err) != SR_OK) {
        sr_err_release(&err);
        fprintf(stderr, "siren: --org: no organisation with that code\n");
        return CLI_FAIL;
    }
    return CLI_OK;
}

static int
run_row(const struct cli_command *table, const struct cli_command *row,
        int n_words, char **words)
{
    struct cli_args a;
    int rc = cli_parse_options(table, row, n_words, words, &a);
    if (rc == -1) {
        cli_print_usage(table, row);
        return CLI_OK;
    }
    if (rc != CLI_OK) {
        return rc;
    }
    struct ws *ws = NULL;
    if (row->flags & CLI_WORKSPACE) {
        rc = cli_open_workspace(&a, 0, &ws);
        if (rc != CLI_OK) {
            return rc;
        }
        rc = actor_of(ws, row, &a);
    }
    if (rc == CLI_OK) {
        rc = row->run(ws, &a);
    }
    if (ws != NULL) {
        ws_close(ws);
    }
    return rc;
}

int
cli_run(const struct cli_command *table, int argc, char **argv)
{
    if (vault_init() != SR_OK) {
        sr_die("cannot initialise libsodium");
    }
    gsl_set_error_handler_off();
    struct sr_err err = { 0 };
    if (i18n_load_all(&err) != SR_OK) {
        sr_die("cannot load translations: %s", sr_err_msg(&err));
    }
    const char *level = getenv("SIREN_LOG");
    if (level != NULL && strcmp(level, "debug") == 0) {
        sr_log_threshold = LOG_DEBUG;
    } else if (level != NULL && strcmp(level, "warn") == 0) {
        sr_log_threshold = LOG_WARN;
    }
    if (argc < 2) {
        print_commands(table);
        return CLI_USAGE;
    }
    /* a leading "-w DIR" may come before the command */
    static char ws_env[4096];
    if (argc >= 4 &&
        (strcmp(argv[1], "-w") == 0 || strcmp(argv[1], "--workspace") == 0)) {
        snprintf(ws_env, sizeof ws_env, "%s", argv[2]);
        setenv("SIREN_WORKSPACE", ws_env, 1);
        argv += 2;
        argc -= 2;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        name = "help";
    } else if (strcmp(name, "--version") == 0) {
        name = "version";
    }
    const struct cli_command *row = find_row(table, name, NULL);
    if (row == NULL) {
        fprintf(stderr, "siren: unknown command '%s'; see 'siren help'\n",
                name);
        return CLI_USAGE;
    }
    int n_words = argc - 2;
    char **words = argv + 2;
    if (!has_subs(row)) {
        return run_row(table, row, n_words, words);
    }
    /* the subcommand: the first word after any workspace options */
    int j = 0;
    while (j + 1 < n_words && is_workspace_option(words[j])) {
        j += 2;
    }
    struct cli_args head = { .table = table, .cmd = row };
    if (j >= n_words) {
        return cli_usage_error(&head, "missing subcommand");
    }
    const char *sub = words[j];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 ||
        strcmp(sub, "help") == 0) {
        cli_print_usage(table, row);
        return CLI_OK;
    }
    const struct cli_command *leaf = find_row(table, name, sub);
    if (leaf == NULL) {
        return cli_usage_error(&head, "unknown subcommand '%s'", sub);
    }
    /* the subcommand's name first, then the words around it */
    char **moved = sr_xcalloc((size_t)n_words, sizeof *moved);
    moved[0] = words[j];
    memcpy(moved + 1, words, (size_t)j * sizeof *moved);
    memcpy(moved + 1 + j, words + j + 1,
           (size_t)(n_words - j - 1) * sizeof *moved);
    int rc = run_row(table, leaf, n_words, moved);
    free(moved);
    return rc;
}
