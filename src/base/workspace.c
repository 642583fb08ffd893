/*
 * workspace.c - create and open workspaces: key file, database, settings.
 *
 * Owns the files of a workspace directory and table meta. Opening checks
 * everything before writing anything, so a refused open changes nothing.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/workspace.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/audit.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/banned.h"

#define KEY_CHECK_TEXT "siren-workspace-key-check"

enum ws_stmt { WS_META_PUT, WS_META_GET, WS__COUNT };

static const char *const ws_sql[WS__COUNT] = {
    [WS_META_PUT] = "INSERT INTO meta(key, value)"
                    " VALUES (?1, ?2)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [WS_META_GET] = "SELECT value"
                    "  FROM meta"
                    " WHERE key = ?1",
};

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
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return sr_err_set(err, errno == ENOENT ? SR_ENOTFOUND : SR_EIO,
                          "cannot read '%s': %s", path, strerror(errno));
    }
    sr_buf_init(b, max);
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

static char *
join(const char *dir, const char *name)
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
    snprintf(c->name, sizeof c->name, "SIREN");
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
        while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\r')) {
            v[--vl] = '\0';
        }
        if (strcmp(s, "listen") == 0 && vl < sizeof c->listen) {
            memcpy(c->listen, v, vl + 1);
        } else if (strcmp(s, "timezone") == 0 && vl < sizeof c->timezone) {
            memcpy(c->timezone, v, vl + 1);
        } else if (strcmp(s, "name") == 0 && vl < sizeof c->name &&
                   sr_utf8_valid(v, vl)) {
            memcpy(c->name, v, vl + 1);
        } else if (strcmp(s, "tls_proxy") == 0 &&
                   (strcmp(v, "0") == 0 || strcmp(v, "1") == 0)) {
            c->is_tls_proxied = v[0] == '1';
        } else if (strcmp(s, "synthetic") == 0 &&
                   (strcmp(v, "0") == 0 || strcmp(v, "1") == 0)) {
            c->is_synthetic = v[0] == '1';
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
                  "name = %s\n"
                  "# 1 when served behind a TLS reverse proxy\n"
                  "tls_proxy = %d\n"
                  "# 1 when the workspace holds synthetic demo data\n"
                  "synthetic = %d\n",
                  ws->cfg.listen, ws->cfg.timezone, ws->cfg.name,
                  ws->cfg.is_tls_proxied, ws->cfg.is_synthetic);
    char *path = join(ws->dir, "siren.conf");
    int rc = sr_write_file_atomic(path, b.data, b.len, 0600, err);
    free(path);
    sr_buf_release(&b);
    return rc;
}

static int
meta_put(struct db *db, const char *key, const void *p, size_t len,
         struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &ws_sql[WS_META_PUT]);
    db_bind_text(s, 1, key);
    db_bind_blob(s, 2, p, len);
    return db_exec_stmt(db, s, err);
}

static void
ws_free(struct ws *ws)
{
    if (ws == NULL) {
        return;
    }
    db_close(ws->db);
    vault_free(ws->vault);
    free(ws->dir);
    free(ws->db_path);
    free(ws);
}

void
ws_close(struct ws *ws)
{
    ws_free(ws);
}

int
ws_create(const char *dir, const char *passphrase, size_t pass_len,
          enum vault_kdf kdf, struct ws **out, struct sr_err *err)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (mkdir(dir, 0700) != 0) {
            return sr_err_set(err, SR_EIO, "cannot create directory '%s': %s",
                              dir, strerror(errno));
        }
    } else if (!S_ISDIR(st.st_mode)) {
        return sr_err_set(err, SR_EINVAL, "'%s' is not a directory", dir);
    }
    struct ws *ws = sr_xcalloc(1, sizeof *ws);
    ws->dir = sr_xstrdup(dir);
    ws->db_path = join(dir, "siren.db");
    ws_config_defaults(&ws->cfg);
    char *key_path = join(dir, "key");
    int rc = SR_OK;
    if (stat(key_path, &st) == 0 || stat(ws->db_path, &st) == 0) {
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
            rc = meta_put(ws->db, "key_check", check.data, check.len, err);
            if (rc == SR_OK) {
                rc = meta_put(ws->db, "workspace_id", idhex, 32, err);
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
        char *p;
        unlink(key_path);
        unlink(ws->db_path);
        p = join(dir, "siren.db-wal");
        unlink(p);
        free(p);
        p = join(dir, "siren.db-shm");
        unlink(p);
        free(p);
    }
    free(key_path);
    if (rc != SR_OK) {
        ws_free(ws);
        return rc;
    }
    *out = ws;
    return SR_OK;
}

int
ws_connect(const struct ws *ws, struct db **out, struct sr_err *err)
{
    return db_open(ws->db_path, 0, out, err);
}

static int
check_key(struct ws *ws, struct sr_err *err)
{
    struct db_stmt *s = db_stmt(ws->db, &ws_sql[WS_META_GET]);
    db_bind_text(s, 1, "key_check");
    int rc = db_step(s);
    int out = SR_OK;
    if (rc != DB_ROW) {
        out = sr_err_set(err, SR_EINVAL,
                         "database has no key check; not a SIREN workspace");
    } else {
        struct sr_buf plain;
        sr_buf_init(&plain, 4096);
        if (vault_decrypt(ws->vault, "meta", "value", 1, db_col_blob(s, 0),
                          (size_t)db_col_bytes(s, 0), &plain, NULL) != SR_OK ||
            strcmp(plain.data, KEY_CHECK_TEXT) != 0) {
            out = sr_err_set(err, SR_ECRYPTO,
                             "the key file does not belong to this "
                             "workspace's database");
        }
        vault_buf_wipe(&plain);
    }
    db_done(s);
    return out;
}

int
ws_open(const char *dir, const char *passphrase, size_t pass_len, int db_flags,
        struct ws **out, struct sr_err *err)
{
    struct ws *ws = sr_xcalloc(1, sizeof *ws);
    ws->dir = sr_xstrdup(dir);
    ws->db_path = join(dir, "siren.db");
    ws_config_defaults(&ws->cfg);
    char *key_path = join(dir, "key");
    char *conf_path = join(dir, "siren.conf");
    struct sr_buf keyfile, conf;
    struct stat st;
    int rc = SR_OK;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        rc = sr_err_set(err, SR_ENOTFOUND, "no workspace at '%s'", dir);
    }
    if (rc == SR_OK) {
        rc = sr_read_file(key_path, 65536, &keyfile, err);
        if (rc == SR_ENOTFOUND) {
            rc = sr_err_set(err, SR_ENOTFOUND,
                            "missing key file '%s': cannot open workspace",
                            key_path);
        }
        if (rc == SR_OK) {
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
    free(key_path);
    free(conf_path);
    if (rc != SR_OK) {
        ws_free(ws);
        return rc;
    }
    *out = ws;
    return SR_OK;
}

int
ws_rewrap(struct ws *ws, const char *new_pass, size_t new_len,
          enum vault_kdf kdf, struct sr_err *err)
{
    struct sr_buf keyfile;
    sr_buf_init(&keyfile, 65536);
    int rc = vault_rewrap(ws->vault, new_pass, new_len, kdf, &keyfile, err);
    char *key_path = join(ws->dir, "key");
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
