/*
 * cli.c - the command line: the command table, option parsing, and the
 * calls into the domain modules. Thin like git's builtins: parse, call,
 * print.
 *
 * Every command names its policy action (policy.h); the command line acts
 * as whoever holds the workspace passphrase (ACT_LOCAL), and its writes
 * are audited with no user. sr_die() is allowed here, before serving.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#define _XOPEN_SOURCE 700 /* strptime */
#include "cli/cli.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/audit.h"
#include "base/auth.h"
#include "core/buf.h"
#include "cli/case_cli.h"
#include "cli/justice_cli.h"
#include "core/clock.h"
#include "cli/contact_cli.h"
#include "demo/demo.h"
#include "demo/demo_hotline.h"
#include "web/http.h"
#include "core/i18n.h"
#include "core/log.h"
#include "cli/mse_cli.h"
#include "base/org.h"
#include "base/policy.h"
#include "cli/referral_cli.h"
#include "cli/report_cli.h"
#include "cli/stats_cli.h"
#include "cli/survey_cli.h"
#include "base/store.h"
#include "base/vault.h"
#include "base/workspace.h"
#include "core/banned.h"

/* Exit codes. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

#define MAX_SECRET 4096

/* ---- options ------------------------------------------------------------ */

struct opts {
    const char *workspace;       /* -w DIR or SIREN_WORKSPACE */
    const char *passphrase_file; /* --passphrase-file */
    const char *new_pass_file;   /* --new-passphrase-file */
    const char *password_file;   /* --password-file */
    const char *kdf;             /* --kdf */
    const char *listen;          /* --listen */
    const char *org, *role, *kind, *country;
    const char *user, *action, *record_type, *record, *from, *to;
    const char *seed, *threads, *body_timeout, *limit;
    const char *contacts; /* siren demo --contacts N */
    const char *args[8];  /* positional arguments */
    int n_args;
};

#define OPT(n, field) CLI_OPT(struct opts, n, field)
static const struct cli_option opt_specs[] = {
    OPT("-w", workspace),
    OPT("--workspace", workspace),
    OPT("--passphrase-file", passphrase_file),
    OPT("--new-passphrase-file", new_pass_file),
    OPT("--password-file", password_file),
    OPT("--kdf", kdf),
    OPT("--listen", listen),
    OPT("--org", org),
    OPT("--role", role),
    OPT("--kind", kind),
    OPT("--country", country),
    OPT("--user", user),
    OPT("--action", action),
    OPT("--record-type", record_type),
    OPT("--record", record),
    OPT("--from", from),
    OPT("--to", to),
    OPT("--seed", seed),
    OPT("--threads", threads),
    OPT("--body-timeout-ms", body_timeout),
    OPT("--limit", limit),
    OPT("--contacts", contacts),
};

int
cli_parse_options(int argc, char **argv, const struct cli_option *specs,
                  size_t n_specs, void *out, size_t out_size, const char **args,
                  int max_args, int *n_args)
{
    memset(out, 0, out_size);
    int n = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0') {
            if (n >= max_args) {
                fprintf(stderr, "siren: too many arguments\n");
                return EXIT_USAGE;
            }
            args[n++] = a;
            *n_args = n;
            continue;
        }
        size_t k;
        for (k = 0; k < n_specs; k++) {
            if (strcmp(a, specs[k].name) == 0) {
                break;
            }
        }
        if (k == n_specs) {
            fprintf(stderr, "siren: unknown option '%s'\n", a);
            return EXIT_USAGE;
        }
        char *field = (char *)out + specs[k].offset;
        if (specs[k].is_flag) {
            *(int *)field = 1;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "siren: option '%s' needs a value\n", a);
            return EXIT_USAGE;
        }
        *(const char **)field = argv[++i];
    }
    *n_args = n;
    return EXIT_OK;
}

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

int
cli_fail(struct sr_err *err)
{
    fprintf(stderr, "siren: %s\n", sr_err_msg(err));
    sr_err_release(err);
    return EXIT_FAIL;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
    int rc = cli_parse_options(argc, argv, opt_specs,
                               sizeof opt_specs / sizeof opt_specs[0], o,
                               sizeof *o, o->args, 8, &o->n_args);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (o->workspace == NULL) {
        o->workspace = getenv("SIREN_WORKSPACE");
    }
    return EXIT_OK;
}

/* ---- secrets ------------------------------------------------------------ */

/* Read one line from fd 'path' file into out (without newline). */
static int
read_secret_file(const char *path, char *out, size_t size)
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

/* Prompt on the terminal without echo. */
static int
prompt_secret(const char *prompt, char *out, size_t size)
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (tty == NULL) {
        fprintf(stderr,
                "siren: no terminal to ask for the %s; set "
                "SIREN_PASSPHRASE or use --passphrase-file\n",
                prompt);
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
        return -1;
    }
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

/* The workspace passphrase: SIREN_PASSPHRASE, --passphrase-file, prompt. */
static int
get_passphrase(const struct opts *o, char *out, size_t size, int confirm)
{
    const char *env = getenv("SIREN_PASSPHRASE");
    int rc;
    if (o->passphrase_file != NULL) {
        rc = read_secret_file(o->passphrase_file, out, size);
    } else if (env != NULL) {
        snprintf(out, size, "%s", env);
        rc = 0;
    } else {
        rc = prompt_secret("Workspace passphrase", out, size);
        if (rc == 0 && confirm) {
            char again[MAX_SECRET];
            rc = prompt_secret("Repeat passphrase", again, sizeof again);
            if (rc == 0 && strcmp(again, out) != 0) {
                fprintf(stderr, "siren: the passphrases differ\n");
                rc = -1;
            }
            sodium_memzero(again, sizeof again);
        }
    }
    if (rc == 0 && out[0] == '\0') {
        fprintf(stderr, "siren: the passphrase is empty\n");
        rc = -1;
    }
    return rc;
}

static int
parse_kdf(const char *s, enum vault_kdf *out)
{
    if (s == NULL || strcmp(s, "moderate") == 0) {
        *out = VAULT_KDF_MODERATE;
    } else if (strcmp(s, "interactive") == 0) {
        *out = VAULT_KDF_INTERACTIVE;
    } else if (strcmp(s, "sensitive") == 0) {
        *out = VAULT_KDF_SENSITIVE;
    } else {
        fprintf(stderr, "siren: --kdf must be interactive, moderate or "
                        "sensitive\n");
        return -1;
    }
    return 0;
}

/* Open the workspace named by -w with the passphrase. */
static int
open_ws(const struct opts *o, int db_flags, struct ws **out)
{
    if (o->workspace == NULL) {
        fprintf(stderr, "siren: no workspace: use -w DIR or set "
                        "SIREN_WORKSPACE\n");
        return EXIT_USAGE;
    }
    char pass[MAX_SECRET];
    if (get_passphrase(o, pass, sizeof pass, 0) != 0) {
        return EXIT_FAIL;
    }
    struct sr_err err = { 0 };
    int rc = ws_open(o->workspace, pass, strlen(pass), db_flags, out, &err);
    sodium_memzero(pass, sizeof pass);
    return rc == SR_OK ? EXIT_OK : cli_fail(&err);
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

int
cli_open_workspace(const char *dir, const char *passphrase_file, int db_flags,
                   struct ws **out)
{
    struct opts o;
    memset(&o, 0, sizeof o);
    o.workspace = dir != NULL ? dir : getenv("SIREN_WORKSPACE");
    o.passphrase_file = passphrase_file;
    return open_ws(&o, db_flags, out);
}

/* ---- commands ----------------------------------------------------------- */

static int
cmd_init(struct opts *o)
{
    const char *dir = o->n_args > 0 ? o->args[0] : o->workspace;
    enum vault_kdf kdf;
    if (dir == NULL) {
        fprintf(stderr, "usage: siren init DIR [--passphrase-file F] "
                        "[--kdf interactive|moderate|sensitive]\n");
        return EXIT_USAGE;
    }
    if (parse_kdf(o->kdf, &kdf) != 0) {
        return EXIT_USAGE;
    }
    char pass[MAX_SECRET];
    if (get_passphrase(o, pass, sizeof pass, 1) != 0) {
        return EXIT_FAIL;
    }
    struct sr_err err = { 0 };
    struct ws *ws;
    int rc = ws_create(dir, pass, strlen(pass), kdf, &ws, &err);
    sodium_memzero(pass, sizeof pass);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    printf("workspace created in %s (schema %d)\n", dir, db_schema_version());
    ws_close(ws);
    return EXIT_OK;
}

static int
cmd_passphrase(struct opts *o)
{
    struct ws *ws;
    enum vault_kdf kdf;
    if (parse_kdf(o->kdf, &kdf) != 0) {
        return EXIT_USAGE;
    }
    int rc = open_ws(o, 0, &ws);
    if (rc != EXIT_OK) {
        return rc;
    }
    char pass[MAX_SECRET];
    const char *env_new = getenv("SIREN_NEW_PASSPHRASE");
    if (o->new_pass_file == NULL && env_new != NULL) {
        snprintf(pass, sizeof pass, "%s", env_new);
        rc = pass[0] ? 0 : -1;
    } else if (o->new_pass_file != NULL) {
        rc = read_secret_file(o->new_pass_file, pass, sizeof pass);
        rc = rc == 0 && pass[0] ? 0 : -1;
    } else {
        rc = prompt_secret("New passphrase", pass, sizeof pass);
    }
    if (rc != 0) {
        fprintf(stderr, "siren: no new passphrase given\n");
        ws_close(ws);
        return EXIT_FAIL;
    }
    struct sr_err err = { 0 };
    rc = ws_rewrap(ws, pass, strlen(pass), kdf, &err);
    sodium_memzero(pass, sizeof pass);
    ws_close(ws);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    printf("passphrase changed\n");
    return EXIT_OK;
}

static int
cmd_migrate(struct opts *o)
{
    struct ws *ws;
    int rc = open_ws(o, DB_MIGRATE, &ws);
    if (rc == EXIT_OK) {
        printf("schema at version %d\n", db_schema_version());
        ws_close(ws);
    }
    return rc;
}

static int
cmd_serve(struct opts *o)
{
    struct ws *ws;
    int rc = open_ws(o, 0, &ws);
    if (rc != EXIT_OK) {
        return rc;
    }
    struct app app = { ws, 30000, (int)sysconf(_SC_NPROCESSORS_ONLN) * 2 };
    long long v;
    if (o->threads != NULL) {
        if (sr_parse_i64(o->threads, 1, 256, &v) != SR_OK) {
            fprintf(stderr, "siren: --threads must be 1 to 256\n");
            ws_close(ws);
            return EXIT_USAGE;
        }
        app.n_threads = (int)v;
    }
    if (o->body_timeout != NULL) {
        if (sr_parse_i64(o->body_timeout, 1, 3600000, &v) != SR_OK) {
            fprintf(stderr, "siren: --body-timeout-ms must be 1 to "
                            "3600000\n");
            ws_close(ws);
            return EXIT_USAGE;
        }
        app.body_timeout_ms = (int)v;
    }
    if (app.n_threads < 2) {
        app.n_threads = 2;
    }
    struct sr_err err = { 0 };
    rc = http_serve(&app, o->listen ? o->listen : ws->cfg.listen, &err);
    ws_close(ws);
    return rc == SR_OK ? EXIT_OK : cli_fail(&err);
}

/* Read a new user password: --password-file, SIREN_USER_PASSWORD, prompt. */
static int
get_user_password(const struct opts *o, char *out, size_t size)
{
    const char *env = getenv("SIREN_USER_PASSWORD");
    if (o->password_file != NULL) {
        return read_secret_file(o->password_file, out, size);
    }
    if (env != NULL) {
        snprintf(out, size, "%s", env);
        return 0;
    }
    return prompt_secret("Password for the user", out, size);
}

static int
print_user(const struct user_row *u, void *ctx)
{
    (void)ctx;
    char when[32];
    if (u->last_login_at > 0) {
        time_t t = (time_t)u->last_login_at;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%MZ", &tm);
    } else {
        snprintf(when, sizeof when, "never");
    }
    printf("%-24s %-14s %-12s %-8s %s\n", u->username, u->org_code, u->role,
           u->is_disabled ? "disabled" : "active", when);
    return 0;
}

static int
cmd_user(struct opts *o)
{
    const char *sub = o->n_args > 0 ? o->args[0] : "";
    const char *name = o->n_args > 1 ? o->args[1] : NULL;
    int needs_name = strcmp(sub, "list") != 0;
    if (!(strcmp(sub, "add") == 0 || strcmp(sub, "list") == 0 ||
          strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0 ||
          strcmp(sub, "passwd") == 0 || strcmp(sub, "role") == 0) ||
        (needs_name && name == NULL) ||
        (strcmp(sub, "role") == 0 && o->n_args < 3)) {
        fprintf(stderr, "usage: siren user add NAME --org CODE --role ROLE "
                        "[--password-file F]\n"
                        "       siren user list\n"
                        "       siren user disable|enable NAME\n"
                        "       siren user passwd NAME [--password-file F]\n"
                        "       siren user role NAME ROLE\n");
        return EXIT_USAGE;
    }
    struct ws *ws;
    int rc = open_ws(o, 0, &ws);
    if (rc != EXIT_OK) {
        return rc;
    }
    struct sr_err err = { 0 };
    char pw[MAX_SECRET];
    pw[0] = '\0';
    if (strcmp(sub, "list") == 0) {
        printf("%-24s %-14s %-12s %-8s %s\n", "USERNAME", "ORG", "ROLE",
               "STATUS", "LAST SIGN-IN");
        rc = user_list(ws->db, 0, print_user, NULL, &err);
    } else if (strcmp(sub, "add") == 0 || strcmp(sub, "passwd") == 0) {
        if (get_user_password(o, pw, sizeof pw) != 0) {
            ws_close(ws);
            return EXIT_FAIL;
        }
        if (strcmp(sub, "add") == 0) {
            int64_t id;
            rc = user_add(ws->db, ws->vault, 0, name, o->org, o->role, pw, &id,
                          &err);
            if (rc == SR_OK) {
                printf("user %s added (id %lld)\n", name, (long long)id);
            }
        } else {
            rc = user_set_password(ws->db, ws->vault, 0, name, pw, &err);
            if (rc == SR_OK) {
                printf("password changed for %s\n", name);
            }
        }
        sodium_memzero(pw, sizeof pw);
    } else if (strcmp(sub, "role") == 0) {
        rc = user_set_role(ws->db, ws->vault, 0, name, o->args[2], &err);
        if (rc == SR_OK) {
            printf("%s is now %s\n", name, o->args[2]);
        }
    } else {
        int dis = strcmp(sub, "disable") == 0;
        rc = user_set_disabled(ws->db, ws->vault, 0, name, dis, &err);
        if (rc == SR_OK) {
            printf("%s %s\n", name, dis ? "disabled" : "enabled");
        }
    }
    ws_close(ws);
    return rc == SR_OK ? EXIT_OK : cli_fail(&err);
}

static int
print_org(const struct org_row *r, void *ctx)
{
    (void)ctx;
    printf("%-14s %-16s %-2s %4lld  %s\n", r->code, r->kind,
           r->country[0] ? r->country : "-", (long long)r->n_users, r->name);
    return 0;
}

static int
cmd_org(struct opts *o)
{
    const char *sub = o->n_args > 0 ? o->args[0] : "";
    int is_add = strcmp(sub, "add") == 0;
    if (!(is_add || strcmp(sub, "list") == 0) || (is_add && o->n_args < 2)) {
        fprintf(stderr, "usage: siren org add NAME --kind KIND "
                        "[--country CC]\n       siren org list\n");
        return EXIT_USAGE;
    }
    struct ws *ws;
    int rc = open_ws(o, 0, &ws);
    if (rc != EXIT_OK) {
        return rc;
    }
    struct sr_err err = { 0 };
    if (is_add) {
        char code[32];
        int64_t id;
        rc =
            org_add(ws->db, ws->vault, 0, o->args[1], o->kind ? o->kind : "ngo",
                    o->country ? o->country : "", code, &id, &err);
        if (rc == SR_OK) {
            printf("%s\n", code);
        }
    } else {
        rc = org_list(ws->db, print_org, NULL, &err);
    }
    ws_close(ws);
    return rc == SR_OK ? EXIT_OK : cli_fail(&err);
}

static int
print_audit(const struct audit_row *r, void *ctx)
{
    (void)ctx;
    time_t t = (time_t)(r->ts_ms / 1000);
    struct tm tm;
    char when[32];
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("%6lld %s %-16s %-22s %-10s %-14s %s\n", (long long)r->id, when,
           r->user_id ? r->username : "-", r->action,
           r->record_type[0] ? r->record_type : "-",
           r->record_code[0] ? r->record_code : "-", r->detail);
    return 0;
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" to unix ms; -1 if malformed. */
static int64_t
parse_when(const char *s, int end_of_day)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(s, "%Y-%m-%d", &tm);
    if (end == NULL) {
        return -1;
    }
    int has_time = 0;
    if (*end == 'T') {
        end = strptime(end + 1, "%H:%M:%S", &tm);
        if (end == NULL || (*end != 'Z' && *end != '\0') ||
            (*end == 'Z' && end[1] != '\0')) {
            return -1;
        }
        has_time = 1;
    } else if (*end != '\0') {
        return -1;
    }
    int64_t t = (int64_t)timegm(&tm) * 1000;
    return t + (end_of_day && !has_time ? 86399999 : 0);
}

static int
cmd_audit(struct opts *o)
{
    const char *sub = o->n_args > 0 ? o->args[0] : "";
    if (strcmp(sub, "verify") != 0 && strcmp(sub, "list") != 0) {
        fprintf(stderr, "usage: siren audit verify\n"
                        "       siren audit list [--user ID] [--action A] "
                        "[--record-type T] [--record CODE]\n"
                        "            [--from DATE] [--to DATE] "
                        "[--limit N]\n");
        return EXIT_USAGE;
    }
    struct audit_filter f;
    memset(&f, 0, sizeof f);
    long long v;
    if (o->user != NULL) {
        if (sr_parse_i64(o->user, 1, INT64_MAX, &v) != SR_OK) {
            fprintf(stderr, "siren: --user must be a user id\n");
            return EXIT_USAGE;
        }
        f.user_id = v;
    }
    if (o->limit != NULL) {
        if (sr_parse_i64(o->limit, 1, 1000, &v) != SR_OK) {
            fprintf(stderr, "siren: --limit must be 1 to 1000\n");
            return EXIT_USAGE;
        }
        f.limit = (int)v;
    }
    if (o->from != NULL && (f.from_ms = parse_when(o->from, 0)) < 0) {
        fprintf(stderr, "siren: --from must be YYYY-MM-DD\n");
        return EXIT_USAGE;
    }
    if (o->to != NULL && (f.to_ms = parse_when(o->to, 1)) < 0) {
        fprintf(stderr, "siren: --to must be YYYY-MM-DD\n");
        return EXIT_USAGE;
    }
    f.action = o->action;
    f.record_type = o->record_type;
    f.record_code = o->record;
    struct ws *ws;
    int rc = open_ws(o, 0, &ws);
    if (rc != EXIT_OK) {
        return rc;
    }
    struct sr_err err = { 0 };
    if (strcmp(sub, "verify") == 0) {
        int64_t bad = 0, n = 0;
        rc = audit_verify(ws->db, ws->vault, &bad, &n, &err);
        if (rc == SR_OK) {
            printf("audit chain verified: %lld rows\n", (long long)n);
        }
    } else {
        rc = audit_list(ws->db, &f, print_audit, NULL, &err);
    }
    ws_close(ws);
    return rc == SR_OK ? EXIT_OK : cli_fail(&err);
}

static int
cmd_demo(struct opts *o)
{
    const char *dir = o->n_args > 0 ? o->args[0] : o->workspace;
    long long seed = 1;
    enum vault_kdf kdf;
    if (dir == NULL) {
        fprintf(stderr, "usage: siren demo DIR [--seed N] [--contacts N] "
                        "[--passphrase-file F]\n");
        return EXIT_USAGE;
    }
    if (o->seed != NULL &&
        sr_parse_i64(o->seed, 0, INT64_MAX, &seed) != SR_OK) {
        fprintf(stderr, "siren: --seed must be a whole number\n");
        return EXIT_USAGE;
    }
    long long n_contacts = 0;
    if (o->contacts != NULL &&
        sr_parse_i64(o->contacts, 1, 100000000, &n_contacts) != SR_OK) {
        fprintf(stderr, "siren: --contacts must be 1 to 100000000\n");
        return EXIT_USAGE;
    }
    if (parse_kdf(o->kdf, &kdf) != 0) {
        return EXIT_USAGE;
    }
    char pass[MAX_SECRET];
    if (get_passphrase(o, pass, sizeof pass, 1) != 0) {
        return EXIT_FAIL;
    }
    struct sr_err err = { 0 };
    struct ws *ws;
    int rc = ws_create(dir, pass, strlen(pass), kdf, &ws, &err);
    sodium_memzero(pass, sizeof pass);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    rc = demo_fill(ws, (uint64_t)seed, stdout, &err);
    if (rc == SR_OK && n_contacts > 0) {
        struct demo_rng more = { (uint64_t)seed ^ 0x5EEDC0DEull };
        rc = demo_hotline(ws, &more, n_contacts, &err);
    }
    ws_close(ws);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    printf("demo workspace ready in %s\n", dir);
    return EXIT_OK;
}

static const char *
methods_str(int m)
{
    switch (m) {
    case HTTP_GET:
        return "GET";
    case HTTP_POST:
        return "POST";
    case HTTP_GET | HTTP_POST:
        return "GET,POST";
    default:
        return "?";
    }
}

static int
cmd_routes(struct opts *o)
{
    (void)o;
    printf("| method | pattern | action | flags |\n|---|---|---|---|\n");
    for (const struct route *r = http_routes; r->pattern != NULL; r++) {
        printf("| %s | `%s` | %s | %s%s%s |\n", methods_str(r->methods),
               r->pattern, action_name(r->action),
               (r->flags & R_CSRF) ? "csrf " : "",
               (r->flags & R_API) ? "api " : "",
               (r->flags & R_STATIC) ? "static" : "");
    }
    return EXIT_OK;
}

static const char *const scope_names[] = { "-", "own", "org", "all" };

static int
cmd_policy(struct opts *o)
{
    (void)o;
    printf("%-16s", "action");
    for (int r = 0; r < ROLE__COUNT; r++) {
        printf(" %-12s", role_name((enum role)r));
    }
    printf("\n");
    for (int a = ACT_USER_READ; a < ACT__COUNT; a++) {
        printf("%-16s", action_name((enum action)a));
        for (int r = 0; r < ROLE__COUNT; r++) {
            printf(" %-12s",
                   scope_names[policy_scope((enum role)r, (enum action)a)]);
        }
        printf("\n");
    }
    printf("%-16s", "identity");
    for (int r = 0; r < ROLE__COUNT; r++) {
        printf(" %-12s", policy_can_see_identity((enum role)r) ? "yes" : "-");
    }
    printf("\n");
    return EXIT_OK;
}

static int cmd_help(struct opts *o);

static int
cmd_version(struct opts *o)
{
    (void)o;
    printf("siren %s (schema %d)\n", SIREN_VERSION, db_schema_version());
    return EXIT_OK;
}

/* `siren stats ...` hands its own arguments to the statistics front. */
static int
run_stats(int argc, char **argv)
{
    if (argc < 1) {
        fprintf(stderr, "usage: siren stats prevalence|risk|mse|rds ...\n");
        return EXIT_USAGE;
    }
    if (strcmp(argv[0], "mse") == 0) {
        return mse_cli_main(argc, argv);
    }
    return stats_cli_main(argc, argv);
}

const struct command cli_commands[] = {
    { "init", cmd_init, ACT_LOCAL, "make a new workspace in DIR" },
    { "demo", cmd_demo, ACT_LOCAL,
      "make a workspace of synthetic demo data in DIR" },
    { "serve", cmd_serve, ACT_LOCAL, "serve the web interface and API" },
    { "migrate", cmd_migrate, ACT_LOCAL, "apply pending schema migrations" },
    { "passphrase", cmd_passphrase, ACT_LOCAL,
      "re-wrap the data key under a new passphrase" },
    { "user", cmd_user, ACT_LOCAL,
      "add, list, disable, enable users; set password or role" },
    { "org", cmd_org, ACT_LOCAL, "add or list organisations" },
    { "audit", cmd_audit, ACT_LOCAL, "verify or list the audit log" },
    { "referral", NULL, ACT_LOCAL,
      "send, list, answer referrals; also org profile, org search" },
    { "contact", NULL, ACT_LOCAL,
      "add, list, show, import, export or delete hotline contacts" },
    { "stats", NULL, ACT_PUBLIC,
      "prevalence, risk factors, MSE, RDS on de-identified files" },
    { "report", NULL, ACT_LOCAL, "the hotline's monthly report" },
    { "event", NULL, ACT_LOCAL, "record or list events shown on the report" },
    /* cases and people (case_cli.c) */
    { "case", NULL, ACT_LOCAL, "open, list, show, update and close cases" },
    { "person", NULL, ACT_LOCAL, "add people to cases; show them" },
    { "consent", NULL, ACT_LOCAL, "record a person's consent per purpose" },
    { "dup", NULL, ACT_LOCAL, "list, confirm or reject possible duplicates" },
    /* justice events and offenders (justice_cli.c) */
    { "justice", NULL, ACT_LOCAL, "record or list a case's justice events" },
    { "entity", NULL, ACT_LOCAL, "add, link, show, rank offenders; networks" },
    { "survey", NULL, ACT_LOCAL,
      "import, list, show, delete survey data sets" },
    { "analysis", NULL, ACT_LOCAL, "run, list, show, rerun recorded analyses" },
    { "routes", cmd_routes, ACT_PUBLIC, "print the route table" },
    { "policy", cmd_policy, ACT_PUBLIC, "print the policy table" },
    { "version", cmd_version, ACT_PUBLIC, "print the version" },
    { "help", cmd_help, ACT_PUBLIC, "this list" },
    { NULL, NULL, ACT_PUBLIC, NULL },
};

static int
cmd_help(struct opts *o)
{
    (void)o;
    printf("usage: siren COMMAND [options]\n\ncommands:\n");
    for (const struct command *c = cli_commands; c->name != NULL; c++) {
        printf("  %-11s %s\n", c->name, c->summary);
    }
    printf("\nThe workspace is -w DIR or SIREN_WORKSPACE; its passphrase "
           "comes from\nSIREN_PASSPHRASE, --passphrase-file F, or a "
           "prompt.\n");
    return EXIT_OK;
}

int
cli_run(int argc, char **argv)
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
        struct opts o;
        memset(&o, 0, sizeof o);
        cmd_help(&o);
        return EXIT_USAGE;
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
    if (strcmp(name, "stats") == 0) {
        return run_stats(argc - 2, argv + 2);
    }
    if (referral_cli_wants(argc - 1, argv + 1)) {
        return referral_cli_main(argc - 1, argv + 1);
    }
    if (strcmp(name, "contact") == 0) {
        return contact_cli_main(argc - 2, argv + 2);
    }
    if (strcmp(name, "report") == 0 || strcmp(name, "event") == 0) {
        return name[0] == 'r' ? report_cli_main(argc - 2, argv + 2)
                              : event_cli_main(argc - 2, argv + 2);
    }
    if (strcmp(name, "case") == 0 || strcmp(name, "person") == 0 ||
        strcmp(name, "consent") == 0 || strcmp(name, "dup") == 0) {
        return case_cli_main(name, argc - 2, argv + 2);
    }
    if (strcmp(name, "justice") == 0 || strcmp(name, "entity") == 0) {
        return justice_cli_main(name, argc - 2, argv + 2);
    }
    if (strcmp(name, "survey") == 0 || strcmp(name, "analysis") == 0) {
        return name[0] == 's' ? survey_cli_main(argc - 2, argv + 2)
                              : analysis_cli_main(argc - 2, argv + 2);
    }
    for (const struct command *c = cli_commands; c->name != NULL; c++) {
        if (strcmp(c->name, name) == 0) {
            struct opts o;
            int rc = parse_opts(argc - 2, argv + 2, &o);
            return rc != EXIT_OK ? rc : c->run(&o);
        }
    }
    fprintf(stderr, "siren: unknown command '%s'; see 'siren help'\n", name);
    return EXIT_USAGE;
}
