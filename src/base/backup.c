/*
 * backup.c - write a workspace's encrypted archive and restore one.
 *
 * Owns the archive format (backup.h says it byte by byte) and nothing of
 * the workspace's own files but reading them and, on restore, writing a
 * new directory. Must never write into an existing workspace, leave a
 * half-restored directory behind, or put a passphrase, a key or a
 * plaintext byte of the database in a message.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/backup.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/audit.h"
#include "base/store.h"
#include "base/vault.h"
#include "base/workspace.h"
#include "core/buf.h"
#include "core/banned.h"

#define ARCHIVE_VERSION  1
#define ARCHIVE_MAGIC    "siren-backup: "
#define ARCHIVE_CIPHER   "xchacha20poly1305-secretstream"
#define KEY_CONTEXT      "siren-backup-archive-key/1"
#define CHUNK_BYTES      65536
#define HEADER_MAX       (64 * 1024 + 4096) /* header lines and key file */
#define KEYFILE_MAX      65536
#define BLOCK_MAX        (CHUNK_BYTES + crypto_secretstream_xchacha20poly1305_ABYTES)
#define SALT_BYTES       16
#define STREAM_HDR_BYTES crypto_secretstream_xchacha20poly1305_HEADERBYTES

/* The files an archive carries after the key file, in this order. */
static const char *const entry_names[] = { "siren.db", "siren.conf" };

/* The archive's stream key: the vault's keyed hash of the context and the
 * archive's salt (backup.h). */
static int
archive_key(const struct vault *v, const unsigned char salt[SALT_BYTES],
            unsigned char key[32])
{
    unsigned char msg[sizeof KEY_CONTEXT - 1 + SALT_BYTES];
    memcpy(msg, KEY_CONTEXT, sizeof KEY_CONTEXT - 1);
    memcpy(msg + sizeof KEY_CONTEXT - 1, salt, SALT_BYTES);
    return vault_audit_mac(v, msg, sizeof msg, key);
}

static int
write_all(int fd, const void *p, size_t len)
{
    const unsigned char *c = p;
    while (len > 0) {
        ssize_t n = write(fd, c, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        c += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Read exactly len bytes: 1 done, 0 at end of file before any byte, -1
 * end of file part way or an error (*is_error tells which). */
static int
read_all(FILE *f, void *p, size_t len, int *is_error)
{
    size_t got = fread(p, 1, len, f);
    *is_error = ferror(f) != 0;
    if (got == len) {
        return 1;
    }
    return got == 0 && !*is_error ? 0 : -1;
}

/* ---- writing ------------------------------------------------------------ */

struct writer {
    int fd;
    crypto_secretstream_xchacha20poly1305_state st;
    const unsigned char *ad; /* associated data of the first block */
    size_t ad_len;
    unsigned char *cipher; /* BLOCK_MAX bytes */
};

static int
push(struct writer *w, const void *p, size_t len, unsigned char tag,
     struct sr_err *err)
{
    unsigned long long clen = 0;
    assert(len <= CHUNK_BYTES);
    crypto_secretstream_xchacha20poly1305_push(&w->st, w->cipher, &clen, p, len,
                                               w->ad, w->ad_len, tag);
    w->ad = NULL;
    w->ad_len = 0;
    unsigned char n[4] = { (unsigned char)(clen >> 24),
                           (unsigned char)(clen >> 16),
                           (unsigned char)(clen >> 8), (unsigned char)clen };
    if (write_all(w->fd, n, 4) != 0 ||
        write_all(w->fd, w->cipher, (size_t)clen) != 0) {
        return sr_err_set(err, SR_EIO, "cannot write the archive: %s",
                          strerror(errno));
    }
    return SR_OK;
}

/* Push the file at path as entry name ("file NAME SIZE", then its bytes). */
static int
push_file(struct writer *w, const char *name, const char *path,
          int64_t *out_size, struct sr_err *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return sr_err_set(err, SR_EIO, "cannot read '%s': %s", path,
                          strerror(errno));
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        fclose(f);
        return sr_err_set(err, SR_EIO, "cannot read '%s'", path);
    }
    char head[128];
    int n = snprintf(head, sizeof head, "file %s %lld", name,
                     (long long)st.st_size);
    int rc = push(w, head, (size_t)n, 0, err);
    unsigned char *buf = sr_xmalloc(CHUNK_BYTES);
    long long left = (long long)st.st_size;
    while (rc == SR_OK && left > 0) {
        size_t want = left > CHUNK_BYTES ? CHUNK_BYTES : (size_t)left;
        int is_error;
        if (read_all(f, buf, want, &is_error) != 1) {
            rc = sr_err_set(err, SR_EIO,
                            "cannot read '%s' (changed while "
                            "copied?)",
                            path);
            break;
        }
        rc = push(w, buf, want, 0, err);
        left -= (long long)want;
    }
    sodium_memzero(buf, CHUNK_BYTES);
    free(buf);
    fclose(f);
    if (rc == SR_OK && out_size != NULL) {
        *out_size = (int64_t)st.st_size;
    }
    return rc;
}

static void
now_iso(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
backup_write(struct ws *ws, const char *dest, struct backup_info *out,
             struct sr_err *err)
{
    assert(ws != NULL && dest != NULL);
    struct backup_info info;
    memset(&info, 0, sizeof info);
    struct stat st;
    if (stat(dest, &st) == 0) {
        return sr_err_set(err, SR_ECONFLICT, "'%s' already exists", dest);
    }
    if (db_is_postgresql(ws->db)) {
        /* refused before anything is written, the audit row included
         * (db_backup_to() gives the one message) */
        return db_backup_to(ws->db, dest, err);
    }
    int rc = ws_id(ws, info.workspace_id, err);
    if (rc != SR_OK) {
        return rc;
    }
    now_iso(info.created);
    char *key_path = ws_path(ws->dir, "key");
    char *conf_path = ws_path(ws->dir, "siren.conf");
    char *partial = NULL;
    char *snap = NULL;
    struct sr_buf keyfile, hdr; /* sr_read_file() initialises keyfile */
    sr_buf_init(&hdr, HEADER_MAX);
    rc = sr_read_file(key_path, KEYFILE_MAX, &keyfile, err);
    int fd = -1;
    struct writer w;
    memset(&w, 0, sizeof w);
    w.fd = -1;
    unsigned char key[32], salt[SALT_BYTES], stream_hdr[STREAM_HDR_BYTES];
    if (rc == SR_OK) {
        /* the backup is in the log, and in the copy it makes */
        rc = db_begin_write(ws->db, err);
        if (rc == SR_OK) {
            struct audit_entry e = { 0, "workspace.backup", "workspace",
                                     info.workspace_id, "" };
            rc = db_finish(ws->db, audit_append(ws->db, ws->vault, &e, err),
                           err);
        }
    }
    if (rc == SR_OK) {
        /* the consistent copy, in the workspace directory (0700) */
        unsigned char r[8];
        char rhex[17];
        vault_random_token(r, sizeof r);
        vault_hex(r, sizeof r, rhex);
        struct sr_buf p;
        sr_buf_init(&p, 8192);
        sr_buf_printf(&p, "%s/.backup-%s.db", ws->dir, rhex);
        snap = sr_buf_detach(&p, NULL);
        rc = db_backup_to(ws->db, snap, err);
        if (rc != SR_OK) {
            free(snap);
            snap = NULL;
        }
    }
    if (rc == SR_OK) {
        struct sr_buf p;
        sr_buf_init(&p, 8192);
        sr_buf_printf(&p, "%s.partial", dest);
        partial = sr_buf_detach(&p, NULL);
        fd = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            rc = sr_err_set(err, SR_EIO, "cannot write '%s': %s", partial,
                            strerror(errno));
        }
    }
    if (rc == SR_OK) {
        char salt_hex[2 * SALT_BYTES + 1], sh_hex[2 * STREAM_HDR_BYTES + 1];
        vault_random_token(salt, sizeof salt);
        if (archive_key(ws->vault, salt, key) != SR_OK) {
            rc = sr_err_set(err, SR_ECRYPTO, "cannot derive the archive key");
        } else {
            crypto_secretstream_xchacha20poly1305_init_push(&w.st, stream_hdr,
                                                            key);
            vault_hex(salt, sizeof salt, salt_hex);
            vault_hex(stream_hdr, sizeof stream_hdr, sh_hex);
            sr_buf_printf(&hdr,
                          "%s%d\nworkspace: %s\ncreated: %s\ncipher: %s\n"
                          "salt: %s\nstream: %s\nkey-file: %zu\n\n",
                          ARCHIVE_MAGIC, ARCHIVE_VERSION, info.workspace_id,
                          info.created, ARCHIVE_CIPHER, salt_hex, sh_hex,
                          keyfile.len);
            if (sr_buf_add(&hdr, keyfile.data, keyfile.len) != SR_OK ||
                write_all(fd, hdr.data, hdr.len) != 0) {
                rc = sr_err_set(err, SR_EIO, "cannot write the archive");
            }
        }
        sodium_memzero(key, sizeof key);
    }
    if (rc == SR_OK) {
        w.fd = fd;
        w.ad = (const unsigned char *)hdr.data;
        w.ad_len = hdr.len;
        w.cipher = sr_xmalloc(BLOCK_MAX);
        rc = push_file(&w, entry_names[0], snap, &info.db_bytes, err);
        if (rc == SR_OK && stat(conf_path, &st) == 0) {
            rc = push_file(&w, entry_names[1], conf_path, NULL, err);
        }
        if (rc == SR_OK) {
            rc = push(&w, "end", 3,
                      crypto_secretstream_xchacha20poly1305_TAG_FINAL, err);
        }
        free(w.cipher);
        sodium_memzero(&w.st, sizeof w.st);
    }
    if (fd >= 0) {
        if (rc == SR_OK && fsync(fd) != 0) {
            rc = sr_err_set(err, SR_EIO, "cannot write '%s': %s", partial,
                            strerror(errno));
        }
        if (close(fd) != 0 && rc == SR_OK) {
            rc = sr_err_set(err, SR_EIO, "cannot write '%s'", partial);
        }
        if (rc == SR_OK && rename(partial, dest) != 0) {
            rc = sr_err_set(err, SR_EIO, "cannot write '%s': %s", dest,
                            strerror(errno));
        }
        if (rc != SR_OK) {
            unlink(partial);
        }
    }
    if (snap != NULL) {
        unlink(snap);
        free(snap);
    }
    free(partial);
    free(key_path);
    free(conf_path);
    sr_buf_release(&keyfile);
    sr_buf_release(&hdr);
    if (rc == SR_OK && out != NULL) {
        *out = info;
    }
    return rc;
}

/* ---- restoring ---------------------------------------------------------- */

/* The value of "name: value" line in the header text, copied into out. */
static int
header_field(const char *hdr, const char *name, char *out, size_t size)
{
    size_t nl = strlen(name);
    for (const char *p = hdr; *p != '\0';) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > nl + 2 && memcmp(p, name, nl) == 0 && p[nl] == ':' &&
            p[nl + 1] == ' ' && len - nl - 2 < size) {
            memcpy(out, p + nl + 2, len - nl - 2);
            out[len - nl - 2] = '\0';
            return 0;
        }
        if (eol == NULL) {
            break;
        }
        p = eol + 1;
    }
    return -1;
}

/* 1 if dir is missing, 0 if it is an empty directory, -1 otherwise. */
static int
dir_state(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        return errno == ENOENT ? 1 : -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        return -1;
    }
    DIR *d = opendir(dir);
    if (d == NULL) {
        return -1;
    }
    struct dirent *e;
    int is_empty = 1;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            is_empty = 0;
            break;
        }
    }
    closedir(d);
    return is_empty ? 0 : -1;
}

/* Remove the staging directory and what a restore may have put in it. */
static void
remove_staging(const char *dir)
{
    static const char *const names[] = {
        "key",        "siren.db",       "siren.db-wal",   "siren.db-shm",
        "siren.conf", "audit.head",     "audit.head.tmp", "audit.head.lock",
        "key.tmp",    "siren.conf.tmp",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *p = ws_path(dir, names[i]);
        unlink(p);
        free(p);
    }
    rmdir(dir);
}

struct reader {
    FILE *f;
    crypto_secretstream_xchacha20poly1305_state st;
    const unsigned char *ad;
    size_t ad_len;
    unsigned char *cipher; /* BLOCK_MAX */
    long long n_block;     /* blocks read, for messages */
};

/* Pull the next block into plain (CHUNK_BYTES): its length and tag. */
static int
pull(struct reader *r, unsigned char *plain, size_t *out_len,
     unsigned char *out_tag, struct sr_err *err)
{
    unsigned char n[4];
    int is_error;
    int got = read_all(r->f, n, 4, &is_error);
    r->n_block++;
    if (got != 1) {
        if (is_error) {
            return sr_err_set(err, SR_EIO, "cannot read the archive: %s",
                              strerror(errno));
        }
        return sr_err_set(err, SR_EINVAL,
                          "archive is truncated: it ends before block %lld "
                          "and its closing block",
                          r->n_block);
    }
    size_t clen = ((size_t)n[0] << 24) | ((size_t)n[1] << 16) |
                  ((size_t)n[2] << 8) | (size_t)n[3];
    if (clen < crypto_secretstream_xchacha20poly1305_ABYTES ||
        clen > BLOCK_MAX) {
        return sr_err_set(err, SR_ECRYPTO,
                          "archive is damaged or altered: block %lld has an "
                          "impossible length",
                          r->n_block);
    }
    got = read_all(r->f, r->cipher, clen, &is_error);
    if (got != 1) {
        if (is_error) {
            return sr_err_set(err, SR_EIO, "cannot read the archive: %s",
                              strerror(errno));
        }
        return sr_err_set(err, SR_EINVAL,
                          "archive is truncated: block %lld is cut short",
                          r->n_block);
    }
    unsigned long long plen = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&r->st, plain, &plen,
                                                   out_tag, r->cipher, clen,
                                                   r->ad, r->ad_len) != 0) {
        return sr_err_set(err, SR_ECRYPTO,
                          "archive is damaged or altered: block %lld does "
                          "not authenticate",
                          r->n_block);
    }
    r->ad = NULL;
    r->ad_len = 0;
    *out_len = (size_t)plen;
    return SR_OK;
}

/* Read the entries into staging until the FINAL block. */
static int
read_entries(struct reader *r, const char *staging, struct backup_info *info,
             struct sr_err *err)
{
    unsigned char *plain = sodium_malloc(CHUNK_BYTES + 1);
    if (plain == NULL) {
        return sr_err_set(err, SR_ENOMEM, "restore: no memory");
    }
    int seen[sizeof entry_names / sizeof entry_names[0]] = { 0 };
    int rc = SR_OK;
    for (;;) {
        size_t len;
        unsigned char tag;
        rc = pull(r, plain, &len, &tag, err);
        if (rc != SR_OK) {
            break;
        }
        plain[len] = '\0';
        if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
            if (len != 3 || memcmp(plain, "end", 3) != 0) {
                rc = sr_err_set(err, SR_EINVAL,
                                "archive's last block is not its end");
            } else if (fgetc(r->f) != EOF) {
                rc = sr_err_set(err, SR_EINVAL,
                                "archive has bytes after its end (altered)");
            } else if (!seen[0]) {
                rc = sr_err_set(err, SR_EINVAL, "archive holds no database");
            }
            break;
        }
        char name[32];
        long long size = -1;
        size_t k = 0;
        if (len > 5 && memcmp(plain, "file ", 5) == 0) {
            const char *p = (const char *)plain + 5;
            const char *sp = strchr(p, ' ');
            if (sp != NULL && (size_t)(sp - p) < sizeof name) {
                memcpy(name, p, (size_t)(sp - p));
                name[sp - p] = '\0';
                if (sr_parse_i64(sp + 1, 0, INT64_MAX, &size) != SR_OK) {
                    size = -1;
                }
            }
        }
        for (k = 0; size >= 0 && k < sizeof entry_names / sizeof entry_names[0];
             k++) {
            if (strcmp(name, entry_names[k]) == 0) {
                break;
            }
        }
        if (size < 0 || k == sizeof entry_names / sizeof entry_names[0] ||
            seen[k]) {
            rc = sr_err_set(err, SR_EINVAL,
                            "archive block %lld is not a file entry of a "
                            "SIREN archive",
                            r->n_block);
            break;
        }
        seen[k] = 1;
        char *path = ws_path(staging, name);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        free(path);
        if (fd < 0) {
            rc = sr_err_set(err, SR_EIO, "cannot write '%s/%s': %s", staging,
                            name, strerror(errno));
            break;
        }
        long long left = size;
        while (rc == SR_OK && left > 0) {
            rc = pull(r, plain, &len, &tag, err);
            if (rc == SR_OK &&
                (tag != 0 || len == 0 || (long long)len > left)) {
                rc = sr_err_set(err, SR_EINVAL,
                                "archive block %lld does not match its "
                                "entry's size",
                                r->n_block);
            }
            if (rc == SR_OK && write_all(fd, plain, len) != 0) {
                rc = sr_err_set(err, SR_EIO, "cannot write the restored '%s'",
                                name);
            }
            left -= (long long)len;
        }
        if (rc == SR_OK && fsync(fd) != 0) {
            rc =
                sr_err_set(err, SR_EIO, "cannot write the restored '%s'", name);
        }
        close(fd);
        if (rc != SR_OK) {
            break;
        }
        if (k == 0) {
            info->db_bytes = size;
        }
    }
    sodium_free(plain);
    return rc;
}

/* Put prefix before the message already in err; returns rc. */
static int
wrap_err(struct sr_err *err, int rc, const char *prefix)
{
    if (err == NULL) {
        return rc;
    }
    struct sr_err inner = *err;
    err->msg = NULL;
    rc = sr_err_set(err, rc, "%s: %s", prefix, sr_err_msg(&inner));
    sr_err_release(&inner);
    return rc;
}

/* Open the staged workspace as ws_open() would, verify its audit chain and
 * that it is the workspace the header names. */
static int
check_staged(const char *staging, const char *passphrase, size_t pass_len,
             struct backup_info *info, struct sr_err *err)
{
    struct ws *ws = NULL;
    int rc = ws_open(staging, passphrase, pass_len, 0, &ws, err);
    if (rc != SR_OK) {
        return wrap_err(err, rc, "the restored workspace does not open");
    }
    char id[33];
    rc = ws_id(ws, id, err);
    if (rc == SR_OK && strcmp(id, info->workspace_id) != 0) {
        rc = sr_err_set(err, SR_ECONFLICT,
                        "archive's database is of workspace %s, its header "
                        "says %s (altered)",
                        id, info->workspace_id);
    }
    int64_t bad = 0;
    if (rc == SR_OK) {
        rc = audit_verify(ws->db, ws->vault, &bad, &info->n_audit_rows, err);
        if (rc != SR_OK) {
            rc = wrap_err(err, rc, "the restored audit log does not verify");
        }
    }
    ws_close(ws);
    return rc;
}

/* The restored workspace's audit anchor, from its database as restored
 * (so its first open finds one, as a workspace that never moved would). */
static int
anchor_staged(const char *staging, const struct vault *v, struct sr_err *err)
{
    char *db_path = ws_path(staging, "siren.db");
    char *path = ws_path(staging, "audit.head");
    struct db *db = NULL;
    int64_t rows = 0;
    unsigned char hash[32];
    struct sr_buf text;
    sr_buf_init(&text, 4096);
    /* an archive of an older SIREN is brought to this schema here */
    int rc = db_open(db_path, DB_MIGRATE, &db, err);
    if (rc == SR_OK) {
        rc = audit_head(db, &rows, hash, err);
    }
    db_close(db);
    if (rc == SR_OK) {
        audit_anchor_format(v, rows, hash, &text);
        rc = sr_write_file_atomic(path, text.data, text.len, 0600, err);
    }
    sr_buf_release(&text);
    free(db_path);
    free(path);
    return rc;
}

/* Parse the header and key file at the start of r->f into hdr. */
static int
read_header(FILE *f, struct sr_buf *hdr, size_t *out_key_at,
            size_t *out_key_len, struct sr_err *err)
{
    /* header lines up to the empty line */
    int c, prev = 0;
    while ((c = fgetc(f)) != EOF) {
        if (sr_buf_addc(hdr, (char)c) != SR_OK) {
            return sr_err_set(err, SR_EINVAL,
                              "not a SIREN backup archive (no header end)");
        }
        if (c == '\n' && prev == '\n') {
            break;
        }
        prev = c;
    }
    if (hdr->len < sizeof ARCHIVE_MAGIC ||
        memcmp(hdr->data, ARCHIVE_MAGIC, sizeof ARCHIVE_MAGIC - 1) != 0) {
        return sr_err_set(err, SR_EINVAL, "not a SIREN backup archive");
    }
    if (c == EOF) {
        return sr_err_set(err, SR_EINVAL,
                          "archive is truncated: it ends in its header");
    }
    char v[32];
    long long version = 0, key_len = 0;
    if (header_field(hdr->data, "siren-backup", v, sizeof v) != 0 ||
        sr_parse_i64(v, 1, 1000000, &version) != SR_OK) {
        return sr_err_set(err, SR_EINVAL, "not a SIREN backup archive");
    }
    if (version != ARCHIVE_VERSION) {
        return sr_err_set(err, SR_EINVAL,
                          "archive version %lld is not supported by this "
                          "siren (it reads version %d)",
                          version, ARCHIVE_VERSION);
    }
    if (header_field(hdr->data, "key-file", v, sizeof v) != 0 ||
        sr_parse_i64(v, 1, KEYFILE_MAX, &key_len) != SR_OK) {
        return sr_err_set(err, SR_EINVAL,
                          "archive header: bad or missing 'key-file'");
    }
    size_t at = hdr->len;
    for (long long i = 0; i < key_len; i++) {
        if ((c = fgetc(f)) == EOF) {
            return sr_err_set(err, SR_EINVAL,
                              "archive is truncated: it ends in its key file");
        }
        if (sr_buf_addc(hdr, (char)c) != SR_OK) {
            return sr_err_set(err, SR_EINVAL, "archive header too long");
        }
    }
    *out_key_at = at;
    *out_key_len = (size_t)key_len;
    return SR_OK;
}

int
backup_restore(const char *archive, const char *dir, const char *passphrase,
               size_t pass_len, const char *want_workspace_id,
               struct backup_info *out, struct sr_err *err)
{
    assert(archive != NULL && dir != NULL && passphrase != NULL);
    struct backup_info info;
    memset(&info, 0, sizeof info);
    int state = dir_state(dir);
    if (state < 0) {
        return sr_err_set(err, SR_ECONFLICT,
                          "'%s' exists and is not an empty directory: a "
                          "restore goes only into a new directory",
                          dir);
    }
    FILE *f = fopen(archive, "rb");
    if (f == NULL) {
        return sr_err_set(err, errno == ENOENT ? SR_ENOTFOUND : SR_EIO,
                          "cannot read '%s': %s", archive, strerror(errno));
    }
    struct sr_buf hdr;
    sr_buf_init(&hdr, HEADER_MAX);
    size_t key_at = 0, key_len = 0;
    int rc = read_header(f, &hdr, &key_at, &key_len, err);
    char cipher[64], salt_hex[64], sh_hex[128];
    unsigned char salt[SALT_BYTES], stream_hdr[STREAM_HDR_BYTES];
    if (rc == SR_OK &&
        (header_field(hdr.data, "workspace", info.workspace_id,
                      sizeof info.workspace_id) != 0 ||
         strlen(info.workspace_id) != 32 ||
         header_field(hdr.data, "created", info.created, sizeof info.created) !=
             0 ||
         header_field(hdr.data, "cipher", cipher, sizeof cipher) != 0 ||
         strcmp(cipher, ARCHIVE_CIPHER) != 0 ||
         header_field(hdr.data, "salt", salt_hex, sizeof salt_hex) != 0 ||
         vault_unhex(salt_hex, salt, sizeof salt) != 0 ||
         header_field(hdr.data, "stream", sh_hex, sizeof sh_hex) != 0 ||
         vault_unhex(sh_hex, stream_hdr, sizeof stream_hdr) != 0)) {
        rc = sr_err_set(err, SR_EINVAL,
                        "archive header: a field is missing or malformed");
    }
    if (rc == SR_OK && want_workspace_id != NULL &&
        strcmp(want_workspace_id, info.workspace_id) != 0) {
        rc = sr_err_set(err, SR_ECONFLICT,
                        "archive is of workspace %s, not of workspace %s",
                        info.workspace_id, want_workspace_id);
    }
    struct vault *v = NULL;
    if (rc == SR_OK) {
        rc = vault_open(hdr.data + key_at, key_len, passphrase, pass_len, &v,
                        err);
        if (rc == SR_ECRYPTO) {
            sr_err_release(err);
            rc = sr_err_set(err, SR_ECRYPTO,
                            "wrong passphrase for this archive (it opens "
                            "with the workspace's passphrase of the day it "
                            "was taken) or its key file was altered");
        }
    }
    struct reader r;
    memset(&r, 0, sizeof r);
    r.f = f;
    if (rc == SR_OK) {
        unsigned char key[32];
        if (archive_key(v, salt, key) != SR_OK ||
            crypto_secretstream_xchacha20poly1305_init_pull(&r.st, stream_hdr,
                                                            key) != 0) {
            rc = sr_err_set(err, SR_ECRYPTO,
                            "archive header: the stream cannot be opened");
        }
        sodium_memzero(key, sizeof key);
    }
    /* the new directory beside dir, renamed to dir once all is checked */
    char *staging = NULL;
    if (rc == SR_OK) {
        struct sr_buf p;
        sr_buf_init(&p, 8192);
        const char *slash = strrchr(dir, '/');
        if (slash != NULL && slash[1] == '\0') {
            rc = sr_err_set(err, SR_EINVAL,
                            "name the directory without a trailing '/'");
        } else if (slash != NULL) {
            sr_buf_printf(&p, "%.*s/.%s.restore-XXXXXX", (int)(slash - dir),
                          dir, slash + 1);
        } else {
            sr_buf_printf(&p, ".%s.restore-XXXXXX", dir);
        }
        staging = sr_buf_detach(&p, NULL);
        if (rc == SR_OK && mkdtemp(staging) == NULL) {
            rc = sr_err_set(err, SR_EIO,
                            "cannot make a directory beside "
                            "'%s': %s",
                            dir, strerror(errno));
            free(staging);
            staging = NULL;
        }
    }
    if (rc == SR_OK) {
        char *kp = ws_path(staging, "key");
        rc = sr_write_file_atomic(kp, hdr.data + key_at, key_len, 0600, err);
        free(kp);
    }
    if (rc == SR_OK) {
        r.ad = (const unsigned char *)hdr.data;
        r.ad_len = hdr.len;
        r.cipher = sr_xmalloc(BLOCK_MAX);
        rc = read_entries(&r, staging, &info, err);
        free(r.cipher);
    }
    sodium_memzero(&r.st, sizeof r.st);
    fclose(f);
    if (rc == SR_OK) {
        rc = anchor_staged(staging, v, err);
    }
    vault_free(v);
    if (rc == SR_OK) {
        rc = check_staged(staging, passphrase, pass_len, &info, err);
    }
    if (rc == SR_OK) {
        if (state == 0 && rmdir(dir) != 0) {
            rc = sr_err_set(err, SR_EIO, "cannot replace the empty '%s': %s",
                            dir, strerror(errno));
        } else if (rename(staging, dir) != 0) {
            rc = sr_err_set(err, SR_EIO, "cannot move the restore to '%s': %s",
                            dir, strerror(errno));
            if (state == 0) {
                mkdir(dir, 0700);
            }
        }
    }
    if (rc != SR_OK && staging != NULL) {
        remove_staging(staging);
    }
    free(staging);
    sr_buf_release(&hdr);
    if (rc == SR_OK && out != NULL) {
        *out = info;
    }
    return rc;
}
