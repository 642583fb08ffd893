/*
 * workspace.h - a SIREN workspace: a directory holding the database
 * (siren.db), the wrapped data key (key) and the settings (siren.conf).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_WORKSPACE_H
#define SR_WORKSPACE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "base/store.h"
#include "base/vault.h"

struct audit_verify_report;

/* Settings from siren.conf. */
struct ws_config {
    char listen[64];      /* ADDR:PORT the server binds; 127.0.0.1:8080 */
    char timezone[64];    /* IANA zone name for dates shown; Asia/Bangkok */
    char phone_region[3]; /* phones without + are read in it (core/phone.h),
                           * unless the caller's country is known; TH */
    char name[128];       /* workspace title shown in the top bar */
    int is_tls_proxied;   /* 1: served behind TLS (Secure, __Host- cookie) */
    int is_synthetic;     /* 1: demo data; every page says so */
    /* abuse limits (README "Limits on abuse"); 0 turns one off where noted */
    int signin_addr_burst;         /* sign-ins at once per client address */
    int signin_addr_per_minute;    /* ... then per minute (0: no limit) */
    int signin_account_burst;      /* sign-ins at once per account name */
    int signin_account_per_minute; /* ... then per minute (0: no limit) */
    int signin_hash_threads;   /* threads hashing passwords; 0: half the CPUs */
    int signin_hash_queue;     /* sign-ins waiting for them; past it 429 */
    int conn_per_addr;         /* open connections per address (0: no limit) */
    int conn_max;              /* open connections in all */
    int head_timeout_ms;       /* whole request head must arrive within it */
    int64_t ready_min_free_mb; /* /ready: least free disk (MiB); 512 */
    int64_t ready_max_wal_mb;  /* /ready: largest WAL file (MiB); 1024 */
    int ready_check_s;         /* /ready: seconds between quick checks; 300 */
    char log_file[512];        /* log lines to this file ("": stderr) */
    char store[512]; /* a PostgreSQL address ("": siren.db in the directory) */
};

/* What /ready remembers between requests (base/ready.c); lock held while
 * a check runs, so one quick check runs at a time. */
struct ws_ready_cache {
    pthread_mutex_t lock;
    int64_t db_checked_ms;  /* when the last quick check ended; 0 never */
    int is_db_ok;           /* its result */
    int64_t checkpoint_ms;  /* when the WAL was last checkpointed; 0 never */
    int64_t n_quick_checks; /* quick checks run (tests) */
    int64_t n_checkpoints;  /* truncating checkpoints that ran to the end */
};

struct ws {
    char *dir;                   /* workspace directory */
    char *db_path;               /* dir/siren.db, or cfg.store */
    struct vault *vault;         /* the open data key; shared by all threads */
    struct db *db;               /* the main thread's connection */
    struct ws_config cfg;        /* settings */
    struct ws_ready_cache ready; /* base/ready.c's; its lock is named */
    int lock_fd; /* the directory, flock'ed shared (WS_EXCLUSIVE: not); -1 */
    struct db_group *group; /* ws_write_group(): the server's writers */
};

/* The pending new key file of a key rotation (base/rekey.c) beside the
 * key: while it exists ws_open() refuses the workspace. */
#define WS_NEXT_KEY_FILE "key.next"

/* ws_open() flag: lock the directory exclusively (siren rekey), so that
 * no server or other command has the workspace open meanwhile. */
#define WS_EXCLUSIVE 0x100

/*
 * flock() dir (the directory itself) shared, or exclusive when
 * is_exclusive, without waiting: every ws_open() holds the shared lock
 * until ws_close(), a key rotation the exclusive one. On success *out_fd
 * is the locked descriptor (close() drops the lock). SR_ECONFLICT naming
 * the holder when the lock is taken, SR_EIO.
 */
int ws_dir_lock(const char *dir, int is_exclusive, int *out_fd,
                struct sr_err *err);

/*
 * Make a new workspace in dir (created 0700 if missing; refused if it
 * already holds a database or a key file): a random data key wrapped under
 * passphrase, the database with every migration, a default siren.conf.
 * store NULL or "": the database is siren.db in dir (SQLite); else a
 * PostgreSQL address (postgresql://...) of an existing, empty database,
 * kept in siren.conf as `store`; the key and settings stay in dir.
 * On success *out is the open workspace (ws_close()).
 */
int ws_create(const char *dir, const char *store, const char *passphrase,
              size_t pass_len, enum vault_kdf kdf, struct ws **out,
              struct sr_err *err);

/*
 * Open the workspace in dir. Refuses, having changed nothing, a missing
 * key file, a wrong passphrase, a key file of another workspace, a
 * database not in WAL mode or from a newer SIREN, an audit anchor file
 * (audit.head) that was altered or is another workspace's, and a
 * database whose audit log is behind that anchor or differs from it
 * (the message names the rows). A missing anchor is written from the
 * database. db_flags may hold DB_MIGRATE to apply pending migrations and
 * WS_EXCLUSIVE. Refuses (SR_ECONFLICT) a workspace locked by a key
 * rotation, or whose rotation was interrupted (WS_NEXT_KEY_FILE exists),
 * naming `siren rekey`; the open workspace holds ws_dir_lock().
 */
int ws_open(const char *dir, const char *passphrase, size_t pass_len,
            int db_flags, struct ws **out, struct sr_err *err);

/*
 * ws_open() with the key-encryption key kek of the workspace's key file
 * (ws_derive_kek(), kept by siren unlock) instead of the passphrase: no
 * Argon2id. kek is only read; the caller wipes it. Refuses as ws_open(),
 * and a kek that does not open the key file (another workspace's, or
 * derived before the passphrase changed or the key was rotated) with
 * SR_ECRYPTO, having changed nothing.
 */
int ws_open_kek(const char *dir, const unsigned char kek[VAULT_KEY_BYTES],
                int db_flags, struct ws **out, struct sr_err *err);

/*
 * The key-encryption key of the key file in dir for passphrase
 * (vault_derive_kek()), into out_kek, written only on SR_OK; the caller
 * wipes it. Whether passphrase is right shows only at ws_open_kek().
 * SR_OK, SR_ENOTFOUND (no key file), or vault_derive_kek()'s errors.
 */
int ws_derive_kek(const char *dir, const char *passphrase, size_t pass_len,
                  unsigned char out_kek[VAULT_KEY_BYTES], struct sr_err *err);

/*
 * The id of the workspace in dir (as ws_id()) without its key: opens its
 * database alone, reads the id and closes it. Takes no lock and changes
 * nothing. SR_OK, SR_ENOTFOUND (no such directory), SR_EDB (no database,
 * or one without an id), or the settings' error.
 */
int ws_read_id(const char *dir, char out[33], struct sr_err *err);

/* Another connection to the workspace database (one per worker thread),
 * tuned for a server (db_tune_server); after ws_write_group(), it writes
 * through the group. */
int ws_connect(const struct ws *ws, struct db **out, struct sr_err *err);

/* Before a server's threads start: open the one connection through which
 * the connections of ws_connect() will write, with group commit
 * (store.h). ws_close() closes it. SR_OK, SR_EDB or SR_ENOMEM. */
int ws_write_group(struct ws *ws, struct sr_err *err);

/* Re-wrap the data key under a new passphrase; the key file is replaced
 * atomically. Audited. */
int ws_rewrap(struct ws *ws, const char *new_pass, size_t new_len,
              enum vault_kdf kdf, struct sr_err *err);

/*
 * Bring the audit anchor (the file audit.head beside the key) to the end
 * of the chain db sees, if that end is past the file's (it never moves
 * back). Called after each commit that appended audit rows, on every
 * connection of the workspace (ws_open, ws_create, ws_connect register
 * it); thread- and process-safe (a mutex and flock on the file).
 * SR_OK, SR_EIO, SR_EDB.
 */
int ws_anchor_write(const struct ws *ws, struct db *db, struct sr_err *err);

/*
 * audit_verify() of db with ws's key, then the anchor file against db:
 * the whole check `siren audit verify` and the audit page should make on a
 * workspace already open (rows removed while it was open are behind the
 * file). SR_OK with *out_n_rows; SR_ECONFLICT with *out_bad_id (the row
 * after the database's end when the anchor is what fails) and the reason;
 * SR_ECRYPTO for an altered anchor; SR_EDB.
 */
int ws_audit_verify(struct ws *ws, struct db *db, int64_t *out_bad_id,
                    int64_t *out_n_rows, struct sr_err *err);

/*
 * audit_verify_since() of db with ws's key (flags: AUDIT_VERIFY_FULL,
 * AUDIT_VERIFY_NO_SAVE), then the anchor file against db as
 * ws_audit_verify() checks it: what the audit page, GET
 * /api/v1/audit/verify and `siren audit verify` run, so that a view walks
 * only the rows appended since the last one. Outside any transaction.
 * SR_OK with out->n_rows; SR_ECONFLICT with out->bad_id (the row after
 * the database's end when the anchor is what fails) and the reason;
 * SR_ECRYPTO for an altered anchor; SR_EDB. Thread-safe on distinct
 * connections.
 */
int ws_audit_verify_since(struct ws *ws, struct db *db, int flags,
                          struct audit_verify_report *out, struct sr_err *err);

/* dir/name, e.g. the path of a workspace file; the caller frees it. */
char *ws_path(const char *dir, const char *name);

/*
 * The database of the workspace in dir, as db_open() takes it: the store
 * its siren.conf names (a PostgreSQL address), else dir/siren.db; the
 * caller frees it. For a command that opens the database without the
 * whole workspace (siren rekey). SR_OK or the settings' error.
 */
int ws_db_target(const char *dir, char **out, struct sr_err *err);

/* The workspace's id (meta workspace_id, 32 hex digits) into out. SR_OK or
 * SR_EDB. */
int ws_id(struct ws *ws, char out[33], struct sr_err *err);

/* Default settings (listen 127.0.0.1:8080, Asia/Bangkok, not TLS,
 * /ready thresholds 512 MiB free, 1024 MiB of WAL, a quick check every
 * 300 s, logs on stderr). */
void ws_config_defaults(struct ws_config *c);

/*
 * Parse siren.conf text ("key = value" lines, '#' comments) over c.
 * Unknown keys and bad values are SR_EINVAL naming the line.
 */
int ws_parse_config(const char *text, struct ws_config *c, struct sr_err *err);

/* Write cfg to dir/siren.conf (atomically). */
int ws_save_config(const struct ws *ws, struct sr_err *err);

/* Close and free; NULL is a no-op. */
void ws_close(struct ws *ws);

/* Write len bytes to path atomically (temp file, fsync, rename), mode. */
int sr_write_file_atomic(const char *path, const void *p, size_t len, int mode,
                         struct sr_err *err);

/* Read a whole file of at most max bytes into b, which it initialises (the
 * caller releases it after SR_OK; after a failure b is already empty). */
int sr_read_file(const char *path, size_t max, struct sr_buf *b,
                 struct sr_err *err);

#endif
