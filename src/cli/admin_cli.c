/*
 * admin_cli.c - the workspace's own commands: init, demo, serve, migrate,
 * passphrase, user, audit, and the tables and version the binary prints.
 * Thin like git's builtins: parse (done by the table), call, print.
 *
 * Acts as whoever holds the workspace passphrase (ACT_LOCAL); its writes
 * are audited with no user. Must not print or log secrets.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#define _XOPEN_SOURCE 700 /* strptime */
#include "cli/admin_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/signin.h"
#include "base/audit.h"
#include "base/keyring.h"
#include "base/auth.h"
#include "base/policy.h"
#include "base/store.h"
#include "base/vault.h"
#include "base/workspace.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/clock.h"
#include "demo/demo.h"
#include "demo/demo_hotline.h"
#include "web/http.h"
#include "core/log.h"
#include "core/banned.h"

int
admin_cli_kdf(const char *s, enum vault_kdf *out)
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

/* DIR, else -w DIR / SIREN_WORKSPACE; NULL after a usage error. */
static const char *
new_dir(const struct cli_args *a)
{
    const char *dir = a->n_args > 0 ? a->args[0] : cli_opt(a, "--workspace");
    if (dir == NULL) {
        dir = getenv("SIREN_WORKSPACE");
    }
    if (dir == NULL) {
        cli_usage_error(a, "missing argument DIR");
    }
    return dir;
}

/* Make the workspace in dir under --kdf and a new passphrase
 * (cli_new_passphrase()); CLI_OK with *out open, else the exit code
 * after printing why. */
static int
create_ws(const struct cli_args *a, const char *dir, struct ws **out)
{
    enum vault_kdf kdf;
    if (admin_cli_kdf(cli_opt(a, "--kdf"), &kdf) != 0) {
        return CLI_USAGE;
    }
    char pass[CLI_MAX_SECRET];
    if (cli_new_passphrase(a, pass, sizeof pass) != 0) {
        sodium_memzero(pass, sizeof pass);
        return CLI_FAIL;
    }
    struct sr_err err = { 0 };
    int rc = ws_create(dir, cli_opt(a, "--store"), pass, strlen(pass), kdf, out,
                       &err);
    sodium_memzero(pass, sizeof pass);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    return CLI_OK;
}

int
admin_cli_init(struct ws *unused, const struct cli_args *a)
{
    (void)unused;
    const char *dir = new_dir(a);
    if (dir == NULL) {
        return CLI_USAGE;
    }
    struct ws *ws;
    int rc = create_ws(a, dir, &ws);
    if (rc != CLI_OK) {
        return rc;
    }
    printf("workspace created in %s (schema %d)\n", dir, db_schema_version());
    ws_close(ws);
    return CLI_OK;
}

int
admin_cli_demo(struct ws *unused, const struct cli_args *a)
{
    (void)unused;
    const char *dir = new_dir(a);
    long long seed = 1;
    if (dir == NULL) {
        return CLI_USAGE;
    }
    const char *s = cli_opt(a, "--seed");
    if (s != NULL && sr_parse_i64(s, 0, INT64_MAX, &seed) != SR_OK) {
        fprintf(stderr, "siren: --seed must be a whole number\n");
        return CLI_USAGE;
    }
    long long n_contacts = 0;
    s = cli_opt(a, "--contacts");
    if (s != NULL && sr_parse_i64(s, 1, 100000000, &n_contacts) != SR_OK) {
        fprintf(stderr, "siren: --contacts must be 1 to 100000000\n");
        return CLI_USAGE;
    }
    struct ws *ws;
    int rc = create_ws(a, dir, &ws);
    if (rc != CLI_OK) {
        return rc;
    }
    struct sr_err err = { 0 };
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
    return CLI_OK;
}

int
admin_cli_passphrase(struct ws *unused, const struct cli_args *a)
{
    (void)unused;
    struct ws *ws;
    enum vault_kdf kdf;
    if (admin_cli_kdf(cli_opt(a, "--kdf"), &kdf) != 0) {
        return CLI_USAGE;
    }
    /* the current passphrase, never a key kept by siren unlock: whoever
     * finds a session unlocked must not lock the holder out */
    const char *dir = NULL;
    char pass[CLI_MAX_SECRET];
    int rc = cli_workspace_passphrase(a, &dir, pass, sizeof pass);
    if (rc != CLI_OK) {
        return rc; /* pass is wiped */
    }
    struct sr_err open_err = { 0 };
    rc = ws_open(dir, pass, strlen(pass), 0, &ws, &open_err);
    sodium_memzero(pass, sizeof pass);
    if (rc != SR_OK) {
        return cli_fail(&open_err);
    }
    const char *env_new = getenv("SIREN_NEW_PASSPHRASE");
    const char *file = cli_opt(a, "--new-passphrase-file");
    if (file == NULL && env_new != NULL) {
        snprintf(pass, sizeof pass, "%s", env_new);
        rc = pass[0] ? 0 : -1;
    } else if (file != NULL) {
        rc = cli_read_secret_file(file, pass, sizeof pass);
        rc = rc == 0 && pass[0] ? 0 : -1;
    } else {
        rc = cli_prompt_secret("New passphrase", 0, pass, sizeof pass);
    }
    if (rc != 0) {
        fprintf(stderr, "siren: no new passphrase given\n");
        sodium_memzero(pass, sizeof pass);
        ws_close(ws);
        return CLI_FAIL;
    }
    struct sr_err err = { 0 };
    rc = ws_rewrap(ws, pass, strlen(pass), kdf, &err);
    sodium_memzero(pass, sizeof pass);
    ws_close(ws);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    printf("passphrase changed\n");
    return CLI_OK;
}

/* ---- unlock and lock ----------------------------------------------------- */

#define UNLOCK_DEFAULT_S (15 * 60)

/* DURATION ("90s", "15m", "2h": a whole number and one unit) in seconds
 * into *out_s, 1 s to KEYRING_MAX_S; -1 otherwise. */
static int
parse_duration(const char *s, unsigned *out_s)
{
    size_t len = strlen(s);
    if (len < 2 || len > 12) {
        return -1;
    }
    long long unit;
    switch (s[len - 1]) {
    case 's':
        unit = 1;
        break;
    case 'm':
        unit = 60;
        break;
    case 'h':
        unit = 3600;
        break;
    default:
        return -1;
    }
    char num[16];
    memcpy(num, s, len - 1);
    num[len - 1] = '\0';
    long long n;
    if (strspn(num, "0123456789") != len - 1 ||
        sr_parse_i64(num, 1, KEYRING_MAX_S, &n) != SR_OK ||
        n * unit > KEYRING_MAX_S) {
        return -1;
    }
    *out_s = (unsigned)(n * unit);
    return 0;
}

int
admin_cli_unlock(struct ws *unused, const struct cli_args *a)
{
    (void)unused;
    unsigned timeout_s = UNLOCK_DEFAULT_S;
    const char *dur = cli_opt(a, "--for");
    if (dur != NULL && parse_duration(dur, &timeout_s) != 0) {
        return cli_usage_error(a,
                               "--for must be a duration such as 90s, 15m or "
                               "2h, at most 12h");
    }
    const char *dir = NULL;
    char pass[CLI_MAX_SECRET];
    int rc = cli_workspace_passphrase(a, &dir, pass, sizeof pass);
    if (rc != CLI_OK) {
        return rc; /* pass is wiped */
    }
    unsigned char kek[VAULT_KEY_BYTES];
    struct sr_err err = { 0 };
    struct ws *ws = NULL;
    rc = ws_derive_kek(dir, pass, strlen(pass), kek, &err);
    sodium_memzero(pass, sizeof pass);
    if (rc == SR_OK) {
        /* the whole open: the key must open this key file and database */
        rc = ws_open_kek(dir, kek, 0, &ws, &err);
        if (rc == SR_ECRYPTO) {
            sr_err_release(&err);
            rc = sr_err_set(&err, SR_ECRYPTO, "wrong passphrase");
        }
    }
    char id[33];
    if (rc == SR_OK) {
        rc = ws_id(ws, id, &err);
    }
    if (rc == SR_OK) {
        rc = keyring_store(id, kek, timeout_s, &err);
    }
    sodium_memzero(kek, sizeof kek);
    ws_close(ws);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    time_t until = time(NULL) + (time_t)timeout_s;
    struct tm tm;
    char when[32];
    gmtime_r(&until, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    printf("unlocked until %s: commands on this workspace in this login "
           "session need no passphrase; 'siren lock' ends it sooner\n",
           when);
    return CLI_OK;
}

int
admin_cli_lock(struct ws *unused, const struct cli_args *a)
{
    (void)unused;
    const char *dir = cli_opt(a, "--workspace");
    if (dir == NULL) {
        dir = getenv("SIREN_WORKSPACE");
    }
    if (dir == NULL) {
        return cli_usage_error(a, "no workspace: use -w DIR or set "
                                  "SIREN_WORKSPACE");
    }
    char id[33];
    struct sr_err err = { 0 };
    if (ws_read_id(dir, id, &err) != SR_OK) {
        return cli_fail(&err);
    }
    int rc = keyring_remove(id, &err);
    if (rc == SR_ENOTFOUND) {
        sr_err_release(&err);
        printf("not unlocked: no key of this workspace in the session "
               "keyring\n");
        return CLI_OK;
    }
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    printf("locked: the key of this workspace is removed from the session "
           "keyring\n");
    return CLI_OK;
}

int
admin_cli_migrate(struct ws *unused, const struct cli_args *a)
{
    (void)unused;
    struct ws *ws;
    int rc = cli_open_workspace(a, DB_MIGRATE, &ws);
    if (rc == CLI_OK) {
        printf("schema at version %d\n", db_schema_version());
        ws_close(ws);
    }
    return rc;
}

int
admin_cli_serve(struct ws *ws, const struct cli_args *a)
{
    /* request threads: 4 per CPU, 8 to 64. A thread waits, not computes,
     * through much of a write (its group commit's fsync, PostgreSQL's
     * round trips), and the connections it serves wait with it: with 2
     * per CPU a web write's p99 at 16 clients was 0.65 s (busy machine),
     * with 4 or 8 per CPU 14-24 ms (bench/http-write). More threads also
     * wake on each new connection: a lone reader's p99 on fresh
     * connections was 1.8 ms with 4 threads, 2.4 ms with 8 and 4.4 ms
     * with 16 (bench/abuse, 2 CPUs) */
    long n_cpu = sysconf(_SC_NPROCESSORS_ONLN);
    long n_threads = n_cpu > 0 ? n_cpu * 4 : 8;
    n_threads = n_threads < 8 ? 8 : n_threads > 64 ? 64 : n_threads;
    struct app app = { ws, 30000, (int)n_threads };
    long long v;
    const char *s = cli_opt(a, "--threads");
    if (s != NULL) {
        if (sr_parse_i64(s, 1, 256, &v) != SR_OK) {
            fprintf(stderr, "siren: --threads must be 1 to 256\n");
            return CLI_USAGE;
        }
        app.n_threads = (int)v;
    }
    s = cli_opt(a, "--body-timeout-ms");
    if (s != NULL) {
        if (sr_parse_i64(s, 1, 3600000, &v) != SR_OK) {
            fprintf(stderr, "siren: --body-timeout-ms must be 1 to "
                            "3600000\n");
            return CLI_USAGE;
        }
        app.body_timeout_ms = (int)v;
    }
    if (app.n_threads < 2) {
        app.n_threads = 2;
    }
    struct sr_err err = { 0 };
    if (ws->cfg.log_file[0] != '\0' &&
        sr_log_open_file(ws->cfg.log_file, &err) != SR_OK) {
        return cli_fail(&err);
    }
    const char *listen = cli_opt(a, "--listen");
    int rc = http_serve(&app, listen ? listen : ws->cfg.listen, &err);
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

/* ---- users -------------------------------------------------------------- */

/*
 * A user's new password: --password-file F, SIREN_USER_PASSWORD, or asked
 * twice on the terminal. Returns 0 or -1 after printing why.
 */
static int
get_user_password(const struct cli_args *a, char *out, size_t size)
{
    const char *file = cli_opt(a, "--password-file");
    const char *env = getenv("SIREN_USER_PASSWORD");
    if (file != NULL) {
        return cli_read_secret_file(file, out, size);
    }
    if (env != NULL) {
        snprintf(out, size, "%s", env);
        return 0;
    }
    int rc = cli_prompt_secret("Password for the user", 1, out, size);
    if (rc == -1) {
        fprintf(stderr,
                "siren: user %s: no password: use --password-file F or run "
                "on a terminal\n",
                a->cmd->sub);
    }
    return rc == 0 ? 0 : -1;
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
    char lock[48] = "-";
    if (u->locked_until > sr_now()) {
        time_t t = (time_t)u->locked_until;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(lock, sizeof lock, "until %Y-%m-%dT%H:%MZ", &tm);
    }
    printf("%-24s %-14s %-12s %-8s %-17s %s\n", u->username, u->org_code,
           u->role, u->is_disabled ? "disabled" : "active", when, lock);
    return 0;
}

int
admin_cli_user_list(struct ws *ws, const struct cli_args *a)
{
    (void)a;
    struct sr_err err = { 0 };
    printf("%-24s %-14s %-12s %-8s %-17s %s\n", "USERNAME", "ORG", "ROLE",
           "STATUS", "LAST SIGN-IN", "LOCKED");
    int rc = user_list(ws->db, 0, print_user, NULL, &err);
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

/* user add NAME and user passwd NAME */
int
admin_cli_user_password(struct ws *ws, const struct cli_args *a)
{
    const char *name = a->args[1];
    struct sr_err err = { 0 };
    char pw[CLI_MAX_SECRET];
    pw[0] = '\0';
    if (get_user_password(a, pw, sizeof pw) != 0) {
        sodium_memzero(pw, sizeof pw);
        return CLI_FAIL;
    }
    int rc;
    if (strcmp(a->cmd->sub, "add") == 0) {
        int64_t id;
        rc = user_add(ws->db, ws->vault, 0, name, cli_opt(a, "--org"),
                      cli_opt(a, "--role"), pw, &id, &err);
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
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
admin_cli_user_role(struct ws *ws, const struct cli_args *a)
{
    struct sr_err err = { 0 };
    int rc = user_set_role(ws->db, ws->vault, 0, a->args[1], a->args[2], &err);
    if (rc == SR_OK) {
        printf("%s is now %s\n", a->args[1], a->args[2]);
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

/* user disable NAME, user enable NAME, user unlock NAME and user
 * totp-reset NAME */
int
admin_cli_user_disable(struct ws *ws, const struct cli_args *a)
{
    struct sr_err err = { 0 };
    int is_unlock = strcmp(a->cmd->sub, "unlock") == 0;
    if (is_unlock || strcmp(a->cmd->sub, "totp-reset") == 0) {
        int rc = is_unlock ? user_unlock(ws->db, ws->vault, 0, a->args[1], &err)
                           : signin_reset_user(ws->db, ws->vault, 0, a->args[1],
                                               &err);
        if (rc == SR_OK) {
            printf("%s %s\n", a->args[1],
                   is_unlock ? "unlocked"
                             : "has no second factor now; sessions ended");
        }
        return rc == SR_OK ? CLI_OK : cli_fail(&err);
    }
    int dis = strcmp(a->cmd->sub, "disable") == 0;
    int rc = user_set_disabled(ws->db, ws->vault, 0, a->args[1], dis, &err);
    if (rc == SR_OK) {
        printf("%s %s\n", a->args[1], dis ? "disabled" : "enabled");
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

/* ---- sessions ----------------------------------------------------------- */

static int
print_session(const struct session_row *r, void *ctx)
{
    (void)ctx;
    char started[32], seen[32];
    struct tm tm;
    time_t t = (time_t)r->created_at;
    gmtime_r(&t, &tm);
    strftime(started, sizeof started, "%Y-%m-%dT%H:%MZ", &tm);
    t = (time_t)r->seen_at;
    gmtime_r(&t, &tm);
    strftime(seen, sizeof seen, "%Y-%m-%dT%H:%MZ", &tm);
    printf("%-16s %-24s %-14s %-12s %-17s %s\n", r->id, r->username,
           r->org_code, r->role, started, seen);
    return 0;
}

/* session list and session end ID */
int
admin_cli_session(struct ws *ws, const struct cli_args *a)
{
    struct sr_err err = { 0 };
    int rc;
    if (strcmp(a->cmd->sub, "end") == 0) {
        rc = session_end_id(ws->db, ws->vault, 0, a->args[1], &err);
        if (rc == SR_OK) {
            printf("session %s ended\n", a->args[1]);
        }
    } else {
        printf("%-16s %-24s %-14s %-12s %-17s %s\n", "ID", "USERNAME", "ORG",
               "ROLE", "SIGNED IN", "LAST SEEN");
        rc = session_list(ws->db, ws->vault, print_session, NULL, &err);
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

/* ---- audit -------------------------------------------------------------- */

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

int
admin_cli_audit_list(struct ws *unused, const struct cli_args *a)
{
    (void)unused;
    struct audit_filter f;
    memset(&f, 0, sizeof f);
    long long v;
    const char *user = cli_opt(a, "--user"), *limit = cli_opt(a, "--limit");
    const char *from = cli_opt(a, "--from"), *to = cli_opt(a, "--to");
    if (user != NULL) {
        if (sr_parse_i64(user, 1, INT64_MAX, &v) != SR_OK) {
            fprintf(stderr, "siren: --user must be a user id\n");
            return CLI_USAGE;
        }
        f.user_id = v;
    }
    if (limit != NULL) {
        if (sr_parse_i64(limit, 1, 1000, &v) != SR_OK) {
            fprintf(stderr, "siren: --limit must be 1 to 1000\n");
            return CLI_USAGE;
        }
        f.limit = (int)v;
    }
    if (from != NULL && (f.from_ms = parse_when(from, 0)) < 0) {
        fprintf(stderr, "siren: --from must be YYYY-MM-DD\n");
        return CLI_USAGE;
    }
    if (to != NULL && (f.to_ms = parse_when(to, 1)) < 0) {
        fprintf(stderr, "siren: --to must be YYYY-MM-DD\n");
        return CLI_USAGE;
    }
    f.action = cli_opt(a, "--action");
    f.record_type = cli_opt(a, "--record-type");
    f.record_code = cli_opt(a, "--record");
    struct ws *ws;
    int rc = cli_open_workspace(a, 0, &ws);
    if (rc != CLI_OK) {
        return rc;
    }
    struct sr_err err = { 0 };
    rc = audit_list(ws->db, &f, print_audit, NULL, &err);
    ws_close(ws);
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

/* ---- tables and version ------------------------------------------------- */

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

int
admin_cli_routes(struct ws *ws, const struct cli_args *a)
{
    (void)ws;
    (void)a;
    printf("| method | pattern | action | flags |\n|---|---|---|---|\n");
    for (const struct route *r = http_routes; r->pattern != NULL; r++) {
        printf("| %s | `%s` | %s | %s%s%s |\n", methods_str(r->methods),
               r->pattern, action_name(r->action),
               (r->flags & R_CSRF) ? "csrf " : "",
               (r->flags & R_API) ? "api " : "",
               (r->flags & R_STATIC) ? "static" : "");
    }
    return CLI_OK;
}

static const char *const scope_names[] = { "-", "own", "org", "all" };

int
admin_cli_policy(struct ws *ws, const struct cli_args *a)
{
    (void)ws;
    (void)a;
    printf("%-16s", "action");
    for (int r = 0; r < ROLE__COUNT; r++) {
        printf(" %-12s", role_name((enum role)r));
    }
    printf("\n");
    for (int k = ACT_USER_READ; k < ACT__COUNT; k++) {
        printf("%-16s", action_name((enum action)k));
        for (int r = 0; r < ROLE__COUNT; r++) {
            printf(" %-12s",
                   scope_names[policy_scope((enum role)r, (enum action)k)]);
        }
        printf("\n");
    }
    printf("%-16s", "identity");
    for (int r = 0; r < ROLE__COUNT; r++) {
        printf(" %-12s", policy_can_see_identity((enum role)r) ? "yes" : "-");
    }
    printf("\n");
    return CLI_OK;
}

int
admin_cli_version(struct ws *ws, const struct cli_args *a)
{
    (void)ws;
    (void)a;
    printf("siren %s (schema %d)\n", SIREN_VERSION, db_schema_version());
    return CLI_OK;
}
