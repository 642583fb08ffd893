/*
 * test_rekey.c - rotating the data key (base/rekey.c) on a workspace with
 * one record of every kind that holds ciphertext or a blind index.
 *
 * Whether a column is encrypted is found, not listed: before the
 * rotation every BLOB value of every table is tried as a vault blob of
 * its table, column and row with the old key. After it, each such value
 * must decrypt to the same plaintext with the new key and not with the
 * old one (not even with its key version byte put back), and every other
 * BLOB value (blind indexes, hashes, seals) must have changed, so a new
 * encrypted column or index that the rotation misses fails here. Then the
 * blind indexes must still find their records (phone search, duplicate
 * check, shared identifiers), the audit chain must verify under the new
 * key only, an old key file must not open the workspace, a rotation
 * killed half way (a child process) must leave the workspace refused and
 * finish when run again, and a workspace in use must refuse to rotate.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/audit.h"
#include "base/auth.h"
#include "base/org.h"
#include "base/principal.h"
#include "base/rekey.h"
#include "base/totp.h"
#include "base/workspace.h"
#include "core/clock.h"
#include "cases/case.h"
#include "cases/person.h"
#include "harness.h"
#include "hotline/contact.h"
#include "justice/entity.h"
#include "referral/referral.h"
#include "stats/survey_store.h"
#include "tally.h"
#include "totpfix.h"

#include "core/banned.h"

#define PASS    "rekey unit test passphrase"
#define PHONE   "+66 81 555 0101"
#define NAME    "Mya Synthetic Rekey"
#define E_PHONE "+66 82 777 0202"

static char dir[256];

/* ---- building the workspace ---------------------------------------------- */

/* An entity of kind with name, a phone identifier and, when alias is
 * not NULL, an alias and a licence number; n_suggested gets the links
 * suggested for the shared phone. */
static int
add_entity(struct ws *ws, const struct principal *who, const char *kind,
           const char *name, const char *alias, int *n_suggested)
{
    struct entity_input ei = { .kind = kind, .name = name };
    ei.id_kinds[ei.n_identifiers] = "phone";
    ei.id_values[ei.n_identifiers++] = E_PHONE;
    if (alias != NULL) {
        ei.aliases[ei.n_aliases++] = alias;
        ei.id_kinds[ei.n_identifiers] = "licence";
        ei.id_values[ei.n_identifiers++] = "LIC-SYN-1";
    }
    char code[32];
    int64_t id = 0;
    struct sr_err err = { 0 };
    int rc =
        entity_add(ws->db, ws->vault, who, &ei, code, &id, n_suggested, &err);
    sr_err_release(&err);
    return rc;
}

/* The coordinator (user 1) of organisation 1, or its investigator. */
static struct principal
actor(enum role role)
{
    struct principal p = { .user_id = 1, .org_id = 1, .role = role };
    snprintf(p.username, sizeof p.username, "coord.a");
    return p;
}

/* The coordinator's authenticator key, as its enrolment page showed it. */
static char totp_secret[TOTP_SECRET_B32 + 1];

static void
build(struct ws *ws)
{
    struct db *db = ws->db;
    const struct vault *v = ws->vault;
    struct sr_err err = { 0 };
    char org_codes[2][32], contact[32], case_code[32], person[32], ref[32];
    int64_t org_ids[2] = { 0, 0 }, id = 0, uid = 0;
    REQUIRE(org_add(db, v, 0, "Org A", "hotline", "TH", org_codes[0],
                    &org_ids[0], &err) == SR_OK);
    REQUIRE(org_add(db, v, 0, "Shelter C", "shelter", "TH", org_codes[1],
                    &org_ids[1], &err) == SR_OK);
    static const char *const services[] = { "shelter" };
    const struct org_profile prof = {
        .services = services,
        .n_services = 1,
        .contact_details = "synthetic desk +66 2 000 0000",
    };
    REQUIRE(org_set_profile(db, v, 0, org_ids[1], &prof, &err) == SR_OK);
    REQUIRE(user_add(db, v, 0, "coord.a", org_codes[0], "coordinator",
                     "a long enough test password 1", &uid, &err) == SR_OK);
    REQUIRE(uid == 1 && org_ids[0] == 1);
    /* the coordinator's authenticator: its key encrypted, recovery codes
     * hashed (codes from liboath, as a phone would show them) */
    char b32[TOTP_SECRET_B32 + 1], code[7];
    char recovery[TOTP_RECOVERY_CODES][TOTP_RECOVERY_CHARS + 1];
    REQUIRE(totp_enrol_begin(db, v, uid, b32, &err) == SR_OK);
    REQUIRE(totpfix_code(b32, sr_now(), code) == 0);
    REQUIRE(totp_enrol_confirm(db, v, uid, b32, code, recovery, &err) == SR_OK);
    memcpy(totp_secret, b32, sizeof b32);
    const struct principal coord = actor(ROLE_COORDINATOR);
    const struct contact_input ci = {
        .channel = "phone",
        .language = "my",
        .caller_type = "self",
        .category = "trafficking",
        .caller_phone = PHONE,
        .caller_place = "synthetic village",
        .summary = "synthetic summary",
        .consent = CONTACT_CONSENT_NGO,
    };
    unsigned char import_key[32];
    memset(import_key, 7, sizeof import_key);
    REQUIRE(contact_create(db, v, &coord, &ci, import_key, contact, &id,
                           &err) == SR_OK);
    const char *contacts[1] = { contact };
    const struct case_input in = { .traf_status = "actual" };
    REQUIRE(case_open(db, v, &coord, &in, contacts, 1, case_code, NULL, &err) ==
            SR_OK);
    const struct person_input pi = {
        .name = NAME,
        .aliases = "Synthetic Alias",
        .birth_date = "1990-02-03",
        .phone = PHONE,
        .id_number = "SYN123456",
        .passport = "PSYN7788",
        .address = "synthetic street 1",
        .age_trafficked = -1,
    };
    int n_dups = 0;
    REQUIRE(person_add(db, v, &coord, case_code, "victim", &pi, person, NULL,
                       &n_dups, &err) == SR_OK);
    REQUIRE(case_note_add(db, v, &coord, case_code, "synthetic note", &err) ==
            SR_OK);
    const struct referral_input ri = {
        .subject_type = "contact",
        .subject_code = contact,
        .to_org = org_codes[1],
        .service = "shelter",
        .urgency = "normal",
        .note = "synthetic referral note",
    };
    REQUIRE(referral_send(db, v, &coord, &ri, ref, &err) == SR_OK);
    static const char csv[] = "sex,trafficked,phone\n"
                              "f,1,0812223344\n"
                              "m,0,0812223345\n";
    const struct survey_import si = {
        .name = "survey A",
        .csv = csv,
        .csv_len = sizeof csv - 1,
        .keep_identifying = true,
    };
    struct survey_imported so;
    REQUIRE(survey_dataset_import(db, v, &coord, &si, &so, &err) == SR_OK);
    const struct principal inv = actor(ROLE_INVESTIGATOR);
    REQUIRE(add_entity(ws, &inv, "person", "Zaw Synthetic Broker",
                       "Zaw the Broker", NULL) == SR_OK);
    sr_err_release(&err);
}

/* ---- every BLOB value of the database ------------------------------------ */

struct cell {
    char table[64], column[64];
    int64_t row;
    unsigned char *bytes; /* NULL for SQL NULL */
    size_t len;
    int is_cipher; /* decrypted with the old key */
    struct sr_buf plain;
};

struct cells {
    struct cell *c;
    size_t n, cap;
};

static void
cells_add(struct cells *cs, const char *t, const char *col, int64_t row,
          const void *p, size_t len)
{
    if (cs->n == cs->cap) {
        cs->cap = cs->cap ? 2 * cs->cap : 256;
        cs->c = realloc(cs->c, cs->cap * sizeof *cs->c);
        REQUIRE(cs->c != NULL);
    }
    struct cell *c = &cs->c[cs->n++];
    memset(c, 0, sizeof *c);
    snprintf(c->table, sizeof c->table, "%s", t);
    snprintf(c->column, sizeof c->column, "%s", col);
    c->row = row;
    if (p != NULL) {
        c->bytes = malloc(len + 1);
        memcpy(c->bytes, p, len);
        c->len = len;
    }
    sr_buf_init(&c->plain, 0);
}

/* The ordinary tables' BLOB columns (rowid tables; WITHOUT ROWID ones
 * hold no BLOB), read with the library's own API. */
static void
dump(const char *path, struct cells *cs)
{
    sqlite3 *h = NULL;
    REQUIRE(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    sqlite3_stmt *t = NULL, *c = NULL, *r = NULL;
    REQUIRE(sqlite3_prepare_v2(h,
                               "SELECT name FROM sqlite_master WHERE type = "
                               "'table' AND name NOT LIKE 'sqlite_%' ORDER BY "
                               "name",
                               -1, &t, NULL) == SQLITE_OK);
    while (sqlite3_step(t) == SQLITE_ROW) {
        char table[64], q[256];
        snprintf(table, sizeof table, "%s", sqlite3_column_text(t, 0));
        snprintf(q, sizeof q,
                 "SELECT name FROM pragma_table_info('%s') WHERE type = "
                 "'BLOB'",
                 table);
        REQUIRE(sqlite3_prepare_v2(h, q, -1, &c, NULL) == SQLITE_OK);
        while (sqlite3_step(c) == SQLITE_ROW) {
            char col[64];
            snprintf(col, sizeof col, "%s", sqlite3_column_text(c, 0));
            snprintf(q, sizeof q, "SELECT rowid, \"%s\" FROM \"%s\"", col,
                     table);
            if (sqlite3_prepare_v2(h, q, -1, &r, NULL) != SQLITE_OK) {
                continue; /* WITHOUT ROWID */
            }
            while (sqlite3_step(r) == SQLITE_ROW) {
                cells_add(cs, table, col, sqlite3_column_int64(r, 0),
                          sqlite3_column_blob(r, 1),
                          (size_t)sqlite3_column_bytes(r, 1));
            }
            sqlite3_finalize(r);
        }
        sqlite3_finalize(c);
    }
    sqlite3_finalize(t);
    sqlite3_close(h);
}

/* Rows of table in ws's database file (-1 when it cannot be read). */
static int64_t
count_rows(const struct ws *ws, const char *table)
{
    char path[4096], q[128];
    snprintf(path, sizeof path, "%s/siren.db", ws->dir);
    snprintf(q, sizeof q, "SELECT count(*) FROM \"%s\"", table);
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, q, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

/* A clock standing at later_s, for a code of a step not yet used. */
static int64_t later_s;

static int64_t
later_clock(void)
{
    return later_s * 1000;
}

/* The vault row id a blob of this cell is bound to (meta: row 1). */
static int64_t
bound_row(const struct cell *c)
{
    return strcmp(c->table, "meta") == 0 ? 1 : c->row;
}

static const struct cell *
find(const struct cells *cs, const struct cell *want)
{
    for (size_t i = 0; i < cs->n; i++) {
        const struct cell *c = &cs->c[i];
        if (c->row == want->row && strcmp(c->table, want->table) == 0 &&
            strcmp(c->column, want->column) == 0) {
            return c;
        }
    }
    return NULL;
}

static void
cells_free(struct cells *cs)
{
    for (size_t i = 0; i < cs->n; i++) {
        free(cs->c[i].bytes);
        vault_buf_wipe(&cs->c[i].plain);
    }
    free(cs->c);
    memset(cs, 0, sizeof *cs);
}

/* A BLOB that may stay as it was: the first row's zero prev_hash, the
 * workspace id, unkeyed session token hashes. */
/* Whether all len bytes of p are lower-case hex digits (p need not end in
 * a NUL). */
static int
is_hex(const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (strchr("0123456789abcdef", p[i]) == NULL || p[i] == '\0') {
            return 0;
        }
    }
    return 1;
}

static int
may_stay(const struct cell *c)
{
    static const unsigned char zero[32];
    return (strcmp(c->table, "audit") == 0 &&
            strcmp(c->column, "prev_hash") == 0 && c->len == 32 &&
            memcmp(c->bytes, zero, 32) == 0) ||
           (strcmp(c->table, "meta") == 0 && c->len == 32 &&
            is_hex(c->bytes, c->len)) ||
           strcmp(c->table, "session") == 0;
}

/* ---- helpers --------------------------------------------------------------- */

static int
count_row(const struct contact_row *r, void *ctx)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

/* Stop dead, as a kill would (no cleanup), after *ctx batches, or after
 * the last batch when *ctx is 0. */
static void
on_batch_exit(const struct rekey_batch *b, void *ctx)
{
    int n = *(int *)ctx;
    if ((n > 0 && b->n_batches >= n) || (n == 0 && b->is_last)) {
        _exit(0);
    }
}

/* Run a rotation in a child process stopped by on_batch_exit(); 1 when it
 * stopped there. */
static int
rekey_stopped(struct rekey_opts o, int stop_after)
{
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        struct rekey_report rep;
        struct sr_err err = { 0 };
        o.on_batch = on_batch_exit;
        o.ctx = &stop_after;
        (void)rekey_run(dir, PASS, strlen(PASS), &o, &rep, &err);
        _exit(3); /* it must not get to the end */
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static char *
path_of(const char *name)
{
    static char p[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

int
main(void)
{
    struct sr_err err = { 0 };
    snprintf(dir, sizeof dir, "/tmp/test_rekey.XXXXXX");
    REQUIRE(mkdtemp(dir) != NULL);
    REQUIRE(rmdir(dir) == 0);
    struct ws *ws = NULL;
    REQUIRE(ws_create(dir, NULL, PASS, strlen(PASS), VAULT_KDF_INTERACTIVE, &ws,
                      &err) == SR_OK);
    build(ws);
    ws_close(ws);
    struct sr_buf old_keyfile;
    REQUIRE(sr_read_file(path_of("key"), 65536, &old_keyfile, &err) == SR_OK);
    struct vault *old_v = NULL;
    REQUIRE(vault_open(old_keyfile.data, old_keyfile.len, PASS, strlen(PASS),
                       &old_v, &err) == SR_OK);

    /* before: every BLOB, each tried as a blob of its place */
    struct cells before = { 0 };
    dump(path_of("siren.db"), &before);
    int n_cipher = 0;
    for (size_t i = 0; i < before.n; i++) {
        struct cell *c = &before.c[i];
        c->is_cipher =
            c->bytes != NULL &&
            vault_decrypt(old_v, c->table, c->column, bound_row(c), c->bytes,
                          c->len, &c->plain, NULL) == SR_OK;
        n_cipher += c->is_cipher;
    }
    /* org, meta, 3 contact, 7 person, note, referral, survey, 4 entity */
    CHECK(n_cipher >= 19);

    /* a workspace in use is not rotated */
    REQUIRE(ws_open(dir, PASS, strlen(PASS), 0, &ws, &err) == SR_OK);
    struct rekey_opts o = { .kdf = VAULT_KDF_INTERACTIVE,
                            .batch_rows = 1,
                            .name_block = person_name_block };
    struct rekey_report rep;
    CHECK(rekey_run(dir, PASS, strlen(PASS), &o, &rep, &err) == SR_ECONFLICT);
    CHECK(strstr(sr_err_msg(&err), "in use") != NULL);
    sr_err_release(&err);
    ws_close(ws);
    CHECK(access(path_of(WS_NEXT_KEY_FILE), F_OK) != 0);

    /* killed after 6 batches of one row: refused until finished */
    CHECK(rekey_stopped(o, 6));
    CHECK(access(path_of(WS_NEXT_KEY_FILE), F_OK) == 0);
    CHECK(ws_open(dir, PASS, strlen(PASS), 0, &ws, &err) == SR_ECONFLICT);
    CHECK(strstr(sr_err_msg(&err), "run 'siren rekey' to finish it") != NULL);
    sr_err_release(&err);
    /* half way: some ciphertext is the new key's, some still the old's */
    struct cells mid = { 0 };
    dump(path_of("siren.db"), &mid);
    int n_new = 0, n_old = 0;
    for (size_t i = 0; i < before.n; i++) {
        const struct cell *b = &before.c[i], *m = find(&mid, b);
        if (b->is_cipher && m != NULL && m->bytes != NULL) {
            n_new += m->bytes[4] == 2;
            n_old += m->bytes[4] == 1;
        }
    }
    CHECK(n_new > 0 && n_old > 0);
    cells_free(&mid);

    /* go on, killed again after the last batch, before the key swap */
    CHECK(rekey_stopped(o, 0));
    CHECK(access(path_of(WS_NEXT_KEY_FILE), F_OK) == 0);
    CHECK(ws_open(dir, PASS, strlen(PASS), 0, &ws, &err) == SR_ECONFLICT);
    sr_err_release(&err);
    /* finish it */
    int rc = rekey_run(dir, PASS, strlen(PASS), &o, &rep, &err);
    CHECK(rc == SR_OK);
    if (rc != SR_OK) {
        fprintf(stderr, "rekey: %s\n", sr_err_msg(&err));
        sr_err_release(&err);
    }
    CHECK(rep.is_resumed == 1 && rep.new_version == 2);
    CHECK(access(path_of(WS_NEXT_KEY_FILE), F_OK) != 0);

    /* after: the same plaintexts under the new key only; the rest new */
    REQUIRE(ws_open(dir, PASS, strlen(PASS), 0, &ws, &err) == SR_OK);
    CHECK(vault_key_version(ws->vault) == 2);
    struct cells after = { 0 };
    dump(path_of("siren.db"), &after);
    int bad_plain = 0, bad_old = 0, bad_changed = 0, n_changed = 0;
    for (size_t i = 0; i < before.n; i++) {
        const struct cell *b = &before.c[i], *a = find(&after, b);
        if (b->bytes == NULL || a == NULL) {
            continue;
        }
        struct sr_buf p;
        sr_buf_init(&p, 0);
        if (b->is_cipher) {
            int ok = a->bytes != NULL &&
                     vault_decrypt(ws->vault, a->table, a->column, bound_row(a),
                                   a->bytes, a->len, &p, NULL) == SR_OK &&
                     p.len == b->plain.len &&
                     memcmp(p.data, b->plain.data, p.len) == 0;
            if (!ok) {
                fprintf(stderr, "differs: %s.%s row %lld\n", a->table,
                        a->column, (long long)a->row);
            }
            TALLY(bad_plain, ok);
            int old_fails = 1;
            if (a->bytes != NULL && a->len > 5) {
                unsigned char *copy = malloc(a->len);
                memcpy(copy, a->bytes, a->len);
                old_fails =
                    vault_decrypt(old_v, a->table, a->column, bound_row(a),
                                  copy, a->len, &p, NULL) != SR_OK;
                copy[4] = 1; /* the old key version: still no */
                old_fails &=
                    vault_decrypt(old_v, a->table, a->column, bound_row(a),
                                  copy, a->len, &p, NULL) != SR_OK;
                free(copy);
            }
            if (!old_fails) {
                fprintf(stderr, "opens with the old key: %s.%s row %lld\n",
                        a->table, a->column, (long long)a->row);
            }
            TALLY(bad_old, old_fails);
        } else if (!may_stay(b)) {
            int changed = a->bytes == NULL || a->len != b->len ||
                          memcmp(a->bytes, b->bytes, b->len) != 0;
            if (!changed) {
                fprintf(stderr, "kept its old value: %s.%s row %lld\n",
                        b->table, b->column, (long long)b->row);
            }
            TALLY(bad_changed, changed);
            n_changed += changed;
        }
        vault_buf_wipe(&p);
    }
    CHECK(bad_plain == 0);
    CHECK(bad_old == 0);
    CHECK(bad_changed == 0);
    CHECK(n_changed >= 10); /* indexes, name block, hashes, seal */

    /* the authenticator still works: its key decrypts under the new data
     * key (a code of a later step, from liboath); the recovery codes,
     * hashed under the old one, are deleted */
    later_s = sr_now() + 120;
    sr_clock_set(later_clock);
    char code[7];
    CHECK(totpfix_code(totp_secret, sr_now(), code) == 0);
    CHECK(totp_verify(ws->db, ws->vault, 1, code, 0, NULL, &err) == SR_OK);
    sr_clock_set(NULL);
    sr_err_release(&err);
    CHECK(count_rows(ws, "user_recovery") == 0);
    CHECK(count_rows(ws, "user_totp") == 1);

    /* the blind indexes still find their records */
    const struct principal coord = actor(ROLE_COORDINATOR);
    int n_found = 0;
    const struct contact_input q = { .caller_phone = "+66815550101" };
    CHECK(contact_find_by_phone(ws->db, ws->vault, &coord, &q, 10, count_row,
                                &n_found, &err) == SR_OK);
    CHECK(n_found == 1);
    const struct case_input in = { .traf_status = "possible" };
    char case_b[32], person_b[32];
    CHECK(case_open(ws->db, ws->vault, &coord, &in, NULL, 0, case_b, NULL,
                    &err) == SR_OK);
    const struct person_input pi = { .name = NAME,
                                     .phone = PHONE,
                                     .age_trafficked = -1 };
    int n_dups = 0;
    CHECK(person_add(ws->db, ws->vault, &coord, case_b, "victim", &pi, person_b,
                     NULL, &n_dups, &err) == SR_OK);
    CHECK(n_dups == 1);
    const struct principal inv = actor(ROLE_INVESTIGATOR);
    int n_suggested = 0;
    CHECK(add_entity(ws, &inv, "employer", "Another Synthetic Employer", NULL,
                     &n_suggested) == SR_OK);
    CHECK(n_suggested == 1);
    sr_err_release(&err);

    /* the chain verifies under the new key, not the old */
    int64_t bad = 0, n_rows = 0;
    CHECK(ws_audit_verify(ws, ws->db, &bad, &n_rows, &err) == SR_OK);
    CHECK(audit_verify(ws->db, old_v, &bad, &n_rows, &err) == SR_ECONFLICT);
    sr_err_release(&err);
    ws_close(ws);

    /* the old key file with the old passphrase opens nothing */
    struct sr_buf new_keyfile;
    REQUIRE(sr_read_file(path_of("key"), 65536, &new_keyfile, &err) == SR_OK);
    REQUIRE(sr_write_file_atomic(path_of("key"), old_keyfile.data,
                                 old_keyfile.len, 0600, &err) == SR_OK);
    CHECK(ws_open(dir, PASS, strlen(PASS), 0, &ws, &err) == SR_ECRYPTO);
    sr_err_release(&err);

    /* clean up */
    cells_free(&before);
    cells_free(&after);
    vault_free(old_v);
    sr_buf_release(&old_keyfile);
    sr_buf_release(&new_keyfile);
    const char *names[] = { "key",          "siren.db",   "siren.db-wal",
                            "siren.db-shm", "siren.conf", "audit.head" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        unlink(path_of(names[i]));
    }
    rmdir(dir);
    return TEST_DONE("test_rekey");
}
