/*
 * workspace.c - create and open workspaces: key file, database, settings.
 *
 * Owns the files of a workspace directory and table meta. Opening checks
 * everything before writing anything, so a refused open changes nothing.
 *
 * The audit anchor: audit.head beside the key holds the end of the audit
 * chain as audit_anchor_format() writes it (row count, last hash, keyed
 * MAC). Every connection of a workspace rewrites it after each commit that
 * appended audit rows (db_on_commit), under a process lock and flock() on
 * the file itself so threads and processes take turns, and only forward:
 * the file is rewritten only when the database's end is past the file's.
 * It is overwritten in place by one pwrite, without fsync (a temporary
 * file, fsync and rename per commit made write-heavy work 1.5 to 2 times
 * slower): the commit is durable before the file is written, so after a
 * crash the file is behind the log or cut short, never ahead; a file cut
 * short is rewritten at open like a missing one.
 * ws_open() refuses a database that is behind the file or differs from
 * it; a missing file is written anew from the database (so a workspace
 * made before the anchor gets one at its first open).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/workspace.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/audit.h"
#include "base/rephone.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/phone.h"
#include "core/banned.h"

#define KEY_CHECK_TEXT "siren-workspace-key-check"

int
sr_write_file_atomic(const char *path, const void *p, size_t len, int mode,
                     struct sr_err *err)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        return sr_err_set(err, SR_EIO, "cannot write '%s': %s", tmp,
                          strerror(errno));
    }
    const char *c = p;
    size_t left = len;
    while (left > 0) {
        ssize_t n = write(fd, c, left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            close(fd);
            unlink(tmp);
            return sr_err_set(err, SR_EIO, "cannot write '%s'", tmp);
        }
        c += n;
        left -= (size_t)n;
    }
    if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return sr_err_set(err, SR_EIO, "cannot write '%s': %s", path,
                          strerror(errno));
    }
    return SR_OK;
}

int
sr_read_file(const char *path, size_t max, struct sr_buf *b, struct sr_err *err)
{
    sr_buf_init(b, max);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        int e = errno;
        sr_buf_release(b);
        return sr_err_set(err, e == ENOENT ? SR_ENOTFOUND : SR_EIO,
                          "cannot read '%s': %s", path, strerror(e));
    }
    char chunk[8192];
    size_t n;
    int rc = SR_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (sr_buf_add(b, chunk, n) != SR_OK) {
            rc = sr_err_set(err, SR_ETOOBIG, "file '%s' is over %zu bytes",
                            path, max);
            break;
        }
    }
    if (rc == SR_OK && ferror(f)) {
        rc = sr_err_set(err, SR_EIO, "cannot read '%s'", path);
    }
    fclose(f);
    if (rc != SR_OK) {
        sr_buf_release(b);
    }
    return rc;
}

int
ws_dir_lock(const char *dir, int is_exclusive, int *out_fd, struct sr_err *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return sr_err_set(err, SR_EIO, "cannot open directory '%s': %s", dir,
                          strerror(errno));
    }
    if (flock(fd, (is_exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e != EWOULDBLOCK) {
            return sr_err_set(err, SR_EIO, "cannot lock '%s': %s", dir,
                              strerror(e));
        }
        return sr_err_set(err, SR_ECONFLICT,
                          is_exclusive
                              ? "workspace '%s' is in use (a server or "
                                "another command): stop it, then run "
                                "'siren rekey' again"
                              : "workspace '%s' is locked: 'siren rekey' is "
                                "rotating its data key",
                          dir);
    }
    *out_fd = fd;
    return SR_OK;
}

char *
ws_path(const char *dir, const char *name)
{
    struct sr_buf b;
    sr_buf_init(&b, 8192);
    sr_buf_printf(&b, "%s/%s", dir, name);
    return sr_buf_detach(&b, NULL);
}

void
ws_config_defaults(struct ws_config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
    snprintf(c->timezone, sizeof c->timezone, "Asia/Bangkok");
    snprintf(c->phone_region, sizeof c->phone_region, "TH");
    snprintf(c->name, sizeof c->name, "SIREN");
    c->ready_min_free_mb = 512;
    c->ready_max_wal_mb = 1024;
    c->ready_check_s = 300;
    c->signin_addr_burst = 20;
    c->signin_addr_per_minute = 20;
    c->signin_account_burst = 10;
    c->signin_account_per_minute = 10;
    c->signin_hash_queue = 4;
    c->conn_per_addr = 64;
    c->conn_max = 4096;
    c->head_timeout_ms = 10000;
}

/* The whole-number settings: key, place in struct ws_config, range. */
static const struct {
    const char *key;
    size_t offset;
    long long min, max;
} int_settings[] = {
    { "signin_address_burst", offsetof(struct ws_config, signin_addr_burst), 1,
      100000 },
    { "signin_address_per_minute",
      offsetof(struct ws_config, signin_addr_per_minute), 0, 100000 },
    { "signin_account_burst", offsetof(struct ws_config, signin_account_burst),
      1, 100000 },
    { "signin_account_per_minute",
      offsetof(struct ws_config, signin_account_per_minute), 0, 100000 },
    { "signin_hash_threads", offsetof(struct ws_config, signin_hash_threads), 0,
      64 },
    { "signin_hash_queue", offsetof(struct ws_config, signin_hash_queue), 0,
      10000 },
    { "connections_per_address", offsetof(struct ws_config, conn_per_addr), 0,
      100000 },
    { "connections_max", offsetof(struct ws_config, conn_max), 16, 1000000 },
    { "request_head_timeout_ms", offsetof(struct ws_config, head_timeout_ms),
      100, 600000 },
};

/* Set key to v if it is a whole-number setting in range: 1, else 0. */
static int
set_int_setting(struct ws_config *c, const char *key, const char *v)
{
    for (size_t i = 0; i < sizeof int_settings / sizeof int_settings[0]; i++) {
        long long n;
        if (strcmp(key, int_settings[i].key) == 0) {
            if (sr_parse_i64(v, int_settings[i].min, int_settings[i].max, &n) !=
                SR_OK) {
                return 0;
            }
            *(int *)(void *)((char *)c + int_settings[i].offset) = (int)n;
            return 1;
        }
    }
    return 0;
}

int
ws_parse_config(const char *text, struct ws_config *c, struct sr_err *err)
{
    int line_no = 0;
    const char *p = text;
    while (*p != '\0') {
        line_no++;
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char line[512];
        if (len >= sizeof line) {
            return sr_err_set(err, SR_EINVAL, "siren.conf line %d: too long",
                              line_no);
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p += len + (eol ? 1 : 0);
        char *s = line;
        while (*s == ' ' || *s == '\t') {
            s++;
        }
        if (*s == '#' || *s == '\0' || *s == '\r') {
            continue;
        }
        char *eq = strchr(s, '=');
        if (eq == NULL) {
            return sr_err_set(err, SR_EINVAL,
                              "siren.conf line %d: expected key = value",
                              line_no);
        }
        char *k_end = eq;
        while (k_end > s && (k_end[-1] == ' ' || k_end[-1] == '\t')) {
            k_end--;
        }
        *k_end = '\0';
        char *v = eq + 1;
        while (*v == ' ' || *v == '\t') {
            v++;
        }
        size_t vl = strlen(v);
        long long num = 0;
        while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\r')) {
            v[--vl] = '\0';
        }
        if (strcmp(s, "listen") == 0 && vl < sizeof c->listen) {
            memcpy(c->listen, v, vl + 1);
        } else if (strcmp(s, "timezone") == 0 && vl < sizeof c->timezone) {
            memcpy(c->timezone, v, vl + 1);
        } else if (strcmp(s, "phone_region") == 0 &&
                   vl < sizeof c->phone_region && phone_region_known(v)) {
            memcpy(c->phone_region, v, vl + 1);
        } else if (strcmp(s, "name") == 0 && vl < sizeof c->name &&
                   sr_utf8_valid(v, vl)) {
            memcpy(c->name, v, vl + 1);
        } else if (strcmp(s, "tls_proxy") == 0 &&
                   (strcmp(v, "0") == 0 || strcmp(v, "1") == 0)) {
            c->is_tls_proxied = v[0] == '1';
        } else if (strcmp(s, "synthetic") == 0 &&
                   (strcmp(v, "0") == 0 || strcmp(v, "1") == 0)) {
            c->is_synthetic = v[0] == '1';
        } else if (strcmp(s, "ready_min_free_mb") == 0 &&
                   sr_parse_i64(v, 0, 1LL << 40, &num) == SR_OK) {
            c->ready_min_free_mb = num;
        } else if (strcmp(s, "ready_max_wal_mb") == 0 &&
                   sr_parse_i64(v, 0, 1LL << 40, &num) == SR_OK) {
            c->ready_max_wal_mb = num;
        } else if (strcmp(s, "ready_check_s") == 0 &&
                   sr_parse_i64(v, 10, 86400 * 7, &num) == SR_OK) {
            c->ready_check_s = (int)num;
        } else if (strcmp(s, "store") == 0 && vl < sizeof c->store &&
                   db_is_server_address(v)) {
            memcpy(c->store, v, vl + 1);
        } else if (strcmp(s, "log_file") == 0 && vl > 0 &&
                   vl < sizeof c->log_file && v[0] == '/') {
            memcpy(c->log_file, v, vl + 1);
        } else if (set_int_setting(c, s, v)) {
            /* set */
        } else {
            return sr_err_set(err, SR_EINVAL,
                              "siren.conf line %d: bad or unknown setting "
                              "'%s'",
                              line_no, s);
        }
    }
    return SR_OK;
}

int
ws_save_config(const struct ws *ws, struct sr_err *err)
{
    struct sr_buf b;
    sr_buf_init(&b, 8192);
    sr_buf_printf(&b,
                  "# SIREN workspace settings\n"
                  "listen = %s\n"
                  "timezone = %s\n"
                  "# the country (ISO 3166-1 alpha-2) whose numbering a "
                  "phone number\n"
                  "# given without + is read in when the caller's country "
                  "is not known\n"
                  "phone_region = %s\n"
                  "name = %s\n"
                  "# 1 when served behind a TLS reverse proxy\n"
                  "tls_proxy = %d\n"
                  "# 1 when the workspace holds synthetic demo data\n"
                  "synthetic = %d\n"
                  "# /ready fails below this much free disk (MiB), above "
                  "this much WAL (MiB),\n"
                  "# and runs the database's quick check at most this "
                  "often (seconds)\n"
                  "ready_min_free_mb = %lld\n"
                  "ready_max_wal_mb = %lld\n"
                  "ready_check_s = %d\n",
                  ws->cfg.listen, ws->cfg.timezone, ws->cfg.phone_region,
                  ws->cfg.name, ws->cfg.is_tls_proxied, ws->cfg.is_synthetic,
                  (long long)ws->cfg.ready_min_free_mb,
                  (long long)ws->cfg.ready_max_wal_mb, ws->cfg.ready_check_s);
    if (ws->cfg.log_file[0] != '\0') {
        sr_buf_printf(&b,
                      "# log lines go here (reopened on SIGHUP)\n"
                      "log_file = %s\n",
                      ws->cfg.log_file);
    }
    if (ws->cfg.store[0] != '\0') {
        sr_buf_printf(&b,
                      "# the database: a PostgreSQL address (its password "
                      "from PGPASSWORD,\n"
                      "# PGPASSFILE or ~/.pgpass, never here)\n"
                      "store = %s\n",
                      ws->cfg.store);
    }
    char *path = ws_path(ws->dir, "siren.conf");
    int rc = sr_write_file_atomic(path, b.data, b.len, 0600, err);
    free(path);
    sr_buf_release(&b);
    return rc;
}

/* ---- the audit anchor file --------------------------------------------- */

#define ANCHOR_FILE "audit.head"

/* Threads of this process take turns on the anchor file; flock() makes
 * other processes (a command line beside the server) wait too. */
static pthread_mutex_t anchor_lock = PTHREAD_MUTEX_INITIALIZER;

/* Read and check dir/audit.head: SR_OK with its row and hash, SR_ENOTFOUND
 * when it is missing, or the parse error. */
static int
anchor_read(const struct ws *ws, int64_t *rows, unsigned char hash[32],
            struct sr_err *err)
{
    char *path = ws_path(ws->dir, ANCHOR_FILE);
    struct sr_buf b;
    int rc = sr_read_file(path, 4096, &b, err);
    if (rc == SR_OK) {
        rc = audit_anchor_parse(ws->vault, b.data, b.len, rows, hash, err);
        sr_buf_release(&b);
        if (rc != SR_OK) {
            struct sr_err inner = { 0 };
            if (err != NULL) {
                inner = *err;
                err->msg = NULL;
            }
            rc = sr_err_set(err, rc, "'%s': %s", path, sr_err_msg(&inner));
            sr_err_release(&inner);
        }
    }
    free(path);
    return rc;
}

int
ws_anchor_write(const struct ws *ws, struct db *db, struct sr_err *err)
{
    assert(ws != NULL && db != NULL);
    char *path = ws_path(ws->dir, ANCHOR_FILE);
    pthread_mutex_lock(&anchor_lock);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    int rc = SR_OK;
    if (fd < 0 || flock(fd, LOCK_EX) != 0) {
        rc = sr_err_set(err, SR_EIO, "cannot lock '%s': %s", path,
                        strerror(errno));
    }
    int64_t db_rows = 0, file_rows = -1;
    unsigned char db_hash[32], file_hash[32];
    if (rc == SR_OK) {
        rc = audit_head(db, &db_rows, db_hash, err);
    }
    char old[512];
    ssize_t n_old = 0;
    if (rc == SR_OK) {
        n_old = pread(fd, old, sizeof old, 0);
        struct sr_err ignored = { 0 };
        if (n_old <= 0 || n_old == (ssize_t)sizeof old ||
            audit_anchor_parse(ws->vault, old, (size_t)n_old, &file_rows,
                               file_hash, &ignored) != SR_OK) {
            file_rows = -1; /* empty, cut short or altered: write it */
        }
        sr_err_release(&ignored);
    }
    if (rc == SR_OK && db_rows > file_rows) {
        struct sr_buf text;
        sr_buf_init(&text, 4096);
        audit_anchor_format(ws->vault, db_rows, db_hash, &text);
        if (pwrite(fd, text.data, text.len, 0) != (ssize_t)text.len ||
            (n_old > (ssize_t)text.len &&
             ftruncate(fd, (off_t)text.len) != 0)) {
            rc = sr_err_set(err, SR_EIO, "cannot write '%s': %s", path,
                            strerror(errno));
        }
        sr_buf_release(&text);
    }
    if (fd >= 0) {
        close(fd); /* drops the flock */
    }
    pthread_mutex_unlock(&anchor_lock);
    free(path);
    return rc;
}

/* The row after the chain's end, for a verification that fails there. */
static int64_t
rows_after(struct db *db)
{
    int64_t rows = 0;
    unsigned char hash[32];
    struct sr_err ignored = { 0 };
    if (audit_head(db, &rows, hash, &ignored) != SR_OK) {
        sr_err_release(&ignored);
    }
    return rows + 1;
}

/* After a commit that appended audit rows (db_on_commit): move the anchor
 * on. The commit stands whatever happens here; a failure is logged, and
 * the file stays behind the log, which the next write or open mends. */
static void
anchor_after_commit(struct db *db, void *ctx)
{
    struct sr_err err = { 0 };
    if (ws_anchor_write(ctx, db, &err) != SR_OK) {
        LOG(LOG_ERROR, "event=audit_anchor_failed reason=\"%s\"",
            sr_err_msg(&err));
        sr_err_release(&err);
    }
}

/* At open: the database must hold the row the anchor names; a missing
 * anchor is written from the database. */
static int
anchor_check(struct ws *ws, struct sr_err *err)
{
    int64_t rows;
    unsigned char hash[32];
    int rc = anchor_read(ws, &rows, hash, err);
    if (rc == SR_ENOTFOUND || rc == SR_EINVAL) {
        /* missing, or cut short by a crash (it is written without fsync):
         * no better than deleting it, so treated alike */
        sr_err_release(err);
        LOG(LOG_WARN, "event=audit_anchor_created file=%s was=%s", ANCHOR_FILE,
            rc == SR_ENOTFOUND ? "missing" : "unreadable");
        return ws_anchor_write(ws, ws->db, err);
    }
    if (rc == SR_OK) {
        rc = audit_anchor_check(ws->db, rows, hash, err);
    }
    if (rc == SR_OK) {
        rc = ws_anchor_write(ws, ws->db, err); /* the log may be ahead */
    }
    return rc;
}

/* The anchor file against db, after its chain was found whole: SR_OK;
 * SR_ECONFLICT (the file is missing, cut short, or ahead of db, or db
 * differs from it), SR_ECRYPTO (altered), SR_EDB. */
static int
anchor_verify(struct ws *ws, struct db *db, struct sr_err *err)
{
    int64_t rows;
    unsigned char hash[32];
    int rc = anchor_read(ws, &rows, hash, err);
    if (rc == SR_OK) {
        rc = audit_anchor_check(db, rows, hash, err);
    } else if (rc == SR_ENOTFOUND || rc == SR_EINVAL) {
        rc = sr_err_set(err, SR_ECONFLICT,
                        "the audit anchor file '%s' is missing or cut short "
                        "since the workspace was opened",
                        ANCHOR_FILE);
    }
    return rc;
}

int
ws_audit_verify(struct ws *ws, struct db *db, int64_t *out_bad_id,
                int64_t *out_n_rows, struct sr_err *err)
{
    assert(ws != NULL && db != NULL && out_bad_id != NULL);
    int rc = audit_verify(db, ws->vault, out_bad_id, out_n_rows, err);
    if (rc != SR_OK) {
        return rc;
    }
    rc = anchor_verify(ws, db, err);
    if (rc != SR_OK) {
        *out_bad_id = rows_after(db);
    }
    return rc;
}

int
ws_audit_verify_since(struct ws *ws, struct db *db, int flags,
                      struct audit_verify_report *out, struct sr_err *err)
{
    assert(ws != NULL && db != NULL && out != NULL);
    int rc = audit_verify_since(db, ws->vault, flags, out, err);
    if (rc != SR_OK) {
        return rc;
    }
    rc = anchor_verify(ws, db, err);
    if (rc != SR_OK) {
        out->bad_id = rows_after(db);
    }
    return rc;
}

int
ws_id(struct ws *ws, char out[33], struct sr_err *err)
{
    struct sr_buf id;
    sr_buf_init(&id, 64);
    int rc = db_meta_get(ws->db, "workspace_id", &id, err);
    if (rc == SR_OK && id.len == 32) {
        memcpy(out, id.data, 32);
        out[32] = '\0';
    } else {
        sr_err_release(err);
        rc = sr_err_set(err, SR_EDB, "the database has no workspace id");
    }
    sr_buf_release(&id);
    return rc;
}

static struct ws *
ws_new(const char *dir)
{
    struct ws *ws = sr_xcalloc(1, sizeof *ws);
    ws->dir = sr_xstrdup(dir);
    ws->db_path = ws_path(dir, "siren.db");
    ws_config_defaults(&ws->cfg);
    pthread_mutex_init(&ws->ready.lock, NULL);
    ws->lock_fd = -1;
    return ws;
}

static void
ws_free(struct ws *ws)
{
    if (ws == NULL) {
        return;
    }
    pthread_mutex_destroy(&ws->ready.lock);
    db_group_free(ws->group);
    db_close(ws->db);
    vault_free(ws->vault);
    free(ws->dir);
    free(ws->db_path);
    if (ws->lock_fd >= 0) {
        close(ws->lock_fd); /* drops the directory's flock */
    }
    free(ws);
}

void
ws_close(struct ws *ws)
{
    ws_free(ws);
}

/* The end of ws_create() and ws_open(): on success ws is the caller's
 * (*out), otherwise it is freed. Returns rc. */
static int
hand_over(struct ws *ws, int rc, struct ws **out)
{
    if (rc != SR_OK) {
        ws_free(ws);
        return rc;
    }
    *out = ws;
    return SR_OK;
}

int
ws_db_target(const char *dir, char **out, struct sr_err *err)
{
    struct ws_config cfg;
    ws_config_defaults(&cfg);
    char *conf_path = ws_path(dir, "siren.conf");
    struct sr_buf conf;
    int rc = sr_read_file(conf_path, 65536, &conf, err);
    free(conf_path);
    if (rc == SR_ENOTFOUND) {
        sr_err_release(err);
        rc = SR_OK;
    } else if (rc == SR_OK) {
        rc = ws_parse_config(conf.data, &cfg, err);
        sr_buf_release(&conf);
    }
    if (rc == SR_OK) {
        *out = cfg.store[0] != '\0' ? sr_xstrdup(cfg.store)
                                    : ws_path(dir, "siren.db");
    }
    return rc;
}

/* Use the store cfg names, when it names one, instead of siren.db. */
static void
use_store(struct ws *ws)
{
    if (ws->cfg.store[0] != '\0') {
        free(ws->db_path);
        ws->db_path = sr_xstrdup(ws->cfg.store);
    }
}

int
ws_create(const char *dir, const char *store, const char *passphrase,
          size_t pass_len, enum vault_kdf kdf, struct ws **out,
          struct sr_err *err)
{
    if (store != NULL && store[0] != '\0' &&
        (!db_is_server_address(store) || strlen(store) >= 512)) {
        return sr_err_set(err, SR_EINVAL,
                          "store: expected a postgresql:// address");
    }
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (mkdir(dir, 0700) != 0) {
            return sr_err_set(err, SR_EIO, "cannot create directory '%s': %s",
                              dir, strerror(errno));
        }
    } else if (!S_ISDIR(st.st_mode)) {
        return sr_err_set(err, SR_EINVAL, "'%s' is not a directory", dir);
    }
    struct ws *ws = ws_new(dir);
    if (store != NULL) {
        snprintf(ws->cfg.store, sizeof ws->cfg.store, "%s", store);
        use_store(ws);
    }
    char *key_path = ws_path(dir, "key");
    int rc = SR_OK;
    if (stat(key_path, &st) == 0 ||
        (ws->cfg.store[0] == '\0' && stat(ws->db_path, &st) == 0)) {
        rc = sr_err_set(err, SR_ECONFLICT, "'%s' already holds a workspace",
                        dir);
    }
    struct sr_buf keyfile;
    sr_buf_init(&keyfile, 65536);
    if (rc == SR_OK) {
        rc = vault_create(passphrase, pass_len, kdf, &keyfile, &ws->vault, err);
    }
    if (rc == SR_OK) {
        rc = db_open(ws->db_path, DB_CREATE, &ws->db, err);
    }
    if (rc == SR_OK) {
        db_on_commit(ws->db, anchor_after_commit, ws);
    }
    struct sr_buf check;
    sr_buf_init(&check, 4096);
    if (rc == SR_OK) {
        rc = vault_encrypt(ws->vault, "meta", "value", 1, KEY_CHECK_TEXT,
                           strlen(KEY_CHECK_TEXT), &check, err);
    }
    if (rc == SR_OK) {
        rc = db_begin_write(ws->db, err);
        if (rc == SR_OK) {
            unsigned char id[16];
            char idhex[33];
            vault_random_token(id, sizeof id);
            vault_hex(id, sizeof id, idhex);
            rc = db_meta_put(ws->db, "key_check", check.data, check.len, err);
            if (rc == SR_OK) {
                rc = db_meta_put(ws->db, "workspace_id", idhex, 32, err);
            }
            struct audit_entry e = { 0, "workspace.init", "workspace", "", "" };
            if (rc == SR_OK) {
                rc = audit_append(ws->db, ws->vault, &e, err);
            }
            rc = rc == SR_OK ? db_commit(ws->db, err) : rc;
            if (rc != SR_OK) {
                db_rollback(ws->db);
            }
        }
    }
    if (rc == SR_OK) {
        rc = sr_write_file_atomic(key_path, keyfile.data, keyfile.len, 0600,
                                  err);
    }
    if (rc == SR_OK) {
        rc = ws_save_config(ws, err);
    }
    sr_buf_release(&check);
    sr_buf_release(&keyfile);
    if (rc != SR_OK && rc != SR_ECONFLICT) {
        /* leave nothing half-made behind */
        static const char *const made[] = { "key", "siren.db", "siren.db-wal",
                                            "siren.db-shm", ANCHOR_FILE };
        for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
            /* a PostgreSQL workspace made no siren.db: leave any there */
            if (ws->cfg.store[0] != '\0' &&
                strncmp(made[i], "siren.db", 8) == 0) {
                continue;
            }
            char *p = ws_path(dir, made[i]);
            unlink(p);
            free(p);
        }
    }
    free(key_path);
    return hand_over(ws, rc, out);
}

int
ws_connect(const struct ws *ws, struct db **out, struct sr_err *err)
{
    int rc = db_open(ws->db_path, 0, out, err);
    if (rc == SR_OK) {
        rc = db_tune_server(*out, err);
        if (rc != SR_OK) {
            db_close(*out);
            *out = NULL;
            return rc;
        }
        /* the vault and directory are shared read-only by every thread */
        db_on_commit(*out, anchor_after_commit, (void *)ws);
        if (ws->group != NULL) {
            db_group_join(*out, ws->group);
        }
    }
    return rc;
}

int
ws_write_group(struct ws *ws, struct sr_err *err)
{
    assert(ws->group == NULL);
    struct db *w = NULL;
    int rc = ws_connect(ws, &w, err);
    if (rc == SR_OK) {
        rc = db_group_new(w, &ws->group, err);
        if (rc != SR_OK) {
            db_close(w);
        }
    }
    return rc;
}

static int
check_key(struct ws *ws, struct sr_err *err)
{
    struct sr_buf check, plain;
    sr_buf_init(&check, 4096);
    sr_buf_init(&plain, 4096);
    int out = db_meta_get(ws->db, "key_check", &check, err);
    if (out != SR_OK) {
        sr_err_release(err);
        out = sr_err_set(err, SR_EINVAL,
                         "database has no key check; not a SIREN workspace");
    } else if (vault_decrypt(ws->vault, "meta", "value", 1, check.data,
                             check.len, &plain, NULL) != SR_OK ||
               strcmp(plain.data, KEY_CHECK_TEXT) != 0) {
        out = sr_err_set(err, SR_ECRYPTO,
                         "the key file does not belong to this "
                         "workspace's database");
    }
    vault_buf_wipe(&plain);
    sr_buf_release(&check);
    return out;
}

/* ws_open() with the passphrase, or with the key-encryption key kek when
 * it is not NULL (ws_open_kek()). */
static int
open_with(const char *dir, const char *passphrase, size_t pass_len,
          const unsigned char *kek, int db_flags, struct ws **out,
          struct sr_err *err)
{
    struct ws *ws = ws_new(dir);
    char *key_path = ws_path(dir, "key");
    char *conf_path = ws_path(dir, "siren.conf");
    struct sr_buf keyfile, conf;
    struct stat st;
    int rc = SR_OK;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        rc = sr_err_set(err, SR_ENOTFOUND, "no workspace at '%s'", dir);
    }
    if (rc == SR_OK) {
        rc = ws_dir_lock(dir, db_flags & WS_EXCLUSIVE, &ws->lock_fd, err);
    }
    char *next_path = ws_path(dir, WS_NEXT_KEY_FILE);
    if (rc == SR_OK && stat(next_path, &st) == 0) {
        rc = sr_err_set(err, SR_ECONFLICT,
                        "a key rotation of workspace '%s' was interrupted: "
                        "run 'siren rekey' to finish it",
                        dir);
    }
    free(next_path);
    if (rc == SR_OK) {
        rc = sr_read_file(key_path, 65536, &keyfile, err);
        if (rc == SR_ENOTFOUND) {
            rc = sr_err_set(err, SR_ENOTFOUND,
                            "missing key file '%s': cannot open workspace",
                            key_path);
        }
        if (rc == SR_OK && kek != NULL) {
            rc =
                vault_open_kek(keyfile.data, keyfile.len, kek, &ws->vault, err);
            sr_buf_release(&keyfile);
        } else if (rc == SR_OK) {
            rc = vault_open(keyfile.data, keyfile.len, passphrase, pass_len,
                            &ws->vault, err);
            sr_buf_release(&keyfile);
        }
    }
    if (rc == SR_OK) {
        rc = sr_read_file(conf_path, 65536, &conf, err);
        if (rc == SR_ENOTFOUND) {
            sr_err_release(err);
            rc = SR_OK;
        } else if (rc == SR_OK) {
            rc = ws_parse_config(conf.data, &ws->cfg, err);
            sr_buf_release(&conf);
            use_store(ws);
        }
    }
    if (rc == SR_OK) {
        rc = db_open(ws->db_path, db_flags & DB_MIGRATE, &ws->db, err);
    }
    if (rc == SR_OK) {
        rc = check_key(ws, err);
    }
    if (rc == SR_OK) {
        rc = audit_seal_pending(ws->db, ws->vault, err);
    }
    if (rc == SR_OK) {
        rc =
            rephone_pending(ws->db, ws->vault, ws->cfg.phone_region, NULL, err);
    }
    if (rc == SR_OK) {
        rc = anchor_check(ws, err);
    }
    if (rc == SR_OK) {
        db_on_commit(ws->db, anchor_after_commit, ws);
    }
    free(key_path);
    free(conf_path);
    return hand_over(ws, rc, out);
}

int
ws_open(const char *dir, const char *passphrase, size_t pass_len, int db_flags,
        struct ws **out, struct sr_err *err)
{
    assert(dir != NULL && out != NULL);
    assert(passphrase != NULL || pass_len == 0);
    return open_with(dir, passphrase, pass_len, NULL, db_flags, out, err);
}

int
ws_open_kek(const char *dir, const unsigned char kek[VAULT_KEY_BYTES],
            int db_flags, struct ws **out, struct sr_err *err)
{
    assert(dir != NULL && kek != NULL && out != NULL);
    return open_with(dir, NULL, 0, kek, db_flags, out, err);
}

int
ws_derive_kek(const char *dir, const char *passphrase, size_t pass_len,
              unsigned char out_kek[VAULT_KEY_BYTES], struct sr_err *err)
{
    assert(dir != NULL && out_kek != NULL);
    char *key_path = ws_path(dir, "key");
    struct sr_buf keyfile;
    int rc = sr_read_file(key_path, 65536, &keyfile, err);
    if (rc == SR_ENOTFOUND) {
        rc = sr_err_set(err, SR_ENOTFOUND,
                        "missing key file '%s': cannot open workspace",
                        key_path);
    }
    if (rc == SR_OK) {
        rc = vault_derive_kek(keyfile.data, keyfile.len, passphrase, pass_len,
                              out_kek, err);
        sr_buf_release(&keyfile);
    }
    free(key_path);
    return rc;
}

int
ws_read_id(const char *dir, char out[33], struct sr_err *err)
{
    assert(dir != NULL && out != NULL);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        return sr_err_set(err, SR_ENOTFOUND, "no workspace at '%s'", dir);
    }
    struct ws *ws = ws_new(dir);
    char *target = NULL;
    int rc = ws_db_target(dir, &target, err);
    if (rc == SR_OK) {
        free(ws->db_path);
        ws->db_path = target;
        rc = db_open(ws->db_path, 0, &ws->db, err);
    }
    if (rc == SR_OK) {
        rc = ws_id(ws, out, err);
    }
    ws_free(ws);
    return rc;
}

int
ws_rewrap(struct ws *ws, const char *new_pass, size_t new_len,
          enum vault_kdf kdf, struct sr_err *err)
{
    struct sr_buf keyfile;
    sr_buf_init(&keyfile, 65536);
    int rc = vault_rewrap(ws->vault, new_pass, new_len, kdf, &keyfile, err);
    char *key_path = ws_path(ws->dir, "key");
    if (rc == SR_OK) {
        rc = db_begin_write(ws->db, err);
    }
    if (rc == SR_OK) {
        struct audit_entry e = { 0, "workspace.passphrase", "workspace", "",
                                 "" };
        rc = audit_append(ws->db, ws->vault, &e, err);
        /* the new key file is in place before the audit row commits */
        if (rc == SR_OK) {
            rc = sr_write_file_atomic(key_path, keyfile.data, keyfile.len, 0600,
                                      err);
        }
        rc = rc == SR_OK ? db_commit(ws->db, err) : rc;
        if (rc != SR_OK) {
            db_rollback(ws->db);
        }
    }
    free(key_path);
    sr_buf_release(&keyfile);
    return rc;
}
