/*
 * person.c - people in cases: validation, encrypted identity fields with
 * blind indexes, audited identity reads and emergency ("break the glass")
 * views, consent per purpose, duplicate suggestions and merges.
 *
 * Owns tables person, case_person, consent, glass_break and
 * person_duplicate and all their SQL. Every write and every identity read
 * is audited in the same transaction. Must not log or return identity
 * values in errors, and must not render HTML or JSON.
 *
 * Duplicate check (see docs/cases.md): exact matches go through the
 * indexed blind indexes. Name similarity is Jaro-Winkler over code points
 * of NFC, case-folded names without honorifics; it is computed in memory
 * over the decrypted names of the candidates in one block: people whose
 * name starts with the same letter (blind index 'nameblk' of that letter,
 * migration 0009) and whose birth year, when both are known, is within
 * one year. A different date of birth or citizenship, when both are
 * known, rules a pair out. A block of more than 1,024 candidates is
 * scored on a second, short-lived thread while this one reads it; the
 * result is that of one pass in the block's order (name_dups()).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cases/person.h"

#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <utf8proc.h>

#include "base/audit.h"
#include "cases/case.h"
#include "cases/name_match.h"
#include "core/clock.h"
#include "base/vault.h"

#include "core/field.h"
#include "core/i18n.h"
#include "core/phone.h"
#include "core/banned.h"

/* ---- SQL ---------------------------------------------------------------- */

enum person_stmt {
    PS_INSERT,
    PS_SET_IDENTITY,
    PS_LINK,
    PS_GET,
    PS_FOR_CASE,
    PS_CASES,
    PS_ENC,
    PS_ENC_ANY,
    PS_BY_PHONE,
    PS_BY_IDNUM,
    PS_BY_PASSPORT,
    PS_BLOCK,
    PS_DUP_INSERT,
    PS_DUP_LIST,
    PS_DUP_GET,
    PS_DUP_SET,
    PS_MERGE_LINKS,
    PS_MERGE_UNLINK,
    PS_MERGE_CONSENT,
    PS_MERGE_SUPPORT,
    PS_MERGE_MARK,
    PS_CONSENT_INSERT,
    PS_CONSENT_NEWEST,
    PS_CONSENT_LIST,
    PS_RESEARCH_CASE,
    PS_OWNS_PERSON,
    PS_GLASS_INSERT,
    PS_GLASS_LIST,
    PS_GLASS_REVIEW,
    PS__COUNT
};

/* Visible to a reader whose organisation filter is ?S (0 = all). */
#define PERSON_SCOPE(S)                                   \
    " (" S " = 0 OR p.org_id = " S " OR EXISTS (SELECT 1" \
    "     FROM case_person AS sc"                         \
    "     JOIN case_file AS sf ON sf.id = sc.case_id"     \
    "    WHERE sc.person_id = p.id AND sf.org_id = " S    \
    "      AND sf.deleted_at IS NULL))"

#define PERSON_COLS                                                      \
    "p.id, p.org_id, p.created_at, p.code, p.gender, p.citizenship,"     \
    " p.languages, p.education, coalesce(m.code, ''),"                   \
    " coalesce(p.birth_year, 0), coalesce(p.age_trafficked, -1),"        \
    " (SELECT count(DISTINCT nc.case_id) FROM case_person AS nc"         \
    "    JOIN case_file AS nf ON nf.id = nc.case_id"                     \
    "   WHERE nc.person_id = p.id AND nf.deleted_at IS NULL),"           \
    " p.name IS NOT NULL, p.phone IS NOT NULL, p.id_number IS NOT NULL," \
    " p.passport IS NOT NULL"

static const char *const person_sql[PS__COUNT] = {
    [PS_INSERT] =
        "INSERT INTO person(code, org_id, gender, birth_year, age_trafficked,"
        "  citizenship, languages, education, created_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [PS_SET_IDENTITY] =
        "UPDATE person"
        "   SET name = ?2, aliases = ?3, birth_date = ?4, phone = ?5,"
        "       id_number = ?6, passport = ?7, address = ?8, name_idx = ?9,"
        "       phone_idx = ?10, id_number_idx = ?11, passport_idx = ?12,"
        "       name_block = ?13"
        " WHERE id = ?1",
    [PS_LINK] = "INSERT INTO case_person(case_id, person_id, role, added_at)"
                " VALUES (?1, ?2, ?3, ?4)",
    [PS_GET] =
        "SELECT " PERSON_COLS ", ''"
        "  FROM person AS p"
        "  LEFT JOIN person AS m ON m.id = p.merged_into"
        " WHERE p.code = ?1 AND p.deleted_at IS NULL AND" PERSON_SCOPE("?2"),
    [PS_FOR_CASE] = "SELECT " PERSON_COLS ", cp.role"
                    "  FROM case_person AS cp"
                    "  JOIN person AS p ON p.id = cp.person_id"
                    "  LEFT JOIN person AS m ON m.id = p.merged_into"
                    " WHERE cp.case_id = ?1 AND p.deleted_at IS NULL"
                    " ORDER BY cp.added_at, p.id",
    [PS_CASES] = "SELECT c.code, cp.role"
                 "  FROM case_person AS cp"
                 "  JOIN case_file AS c ON c.id = cp.case_id"
                 " WHERE cp.person_id = ?1 AND c.deleted_at IS NULL"
                 " ORDER BY c.identified_at, c.id",
    [PS_ENC] =
        "SELECT p.id, p.name, p.aliases, p.birth_date, p.phone,"
        "       p.id_number, p.passport, p.address"
        "  FROM person AS p"
        " WHERE p.code = ?1 AND p.deleted_at IS NULL AND" PERSON_SCOPE("?2"),
    [PS_ENC_ANY] = "SELECT p.id, p.name, p.aliases, p.birth_date, p.phone,"
                   "       p.id_number, p.passport, p.address"
                   "  FROM person AS p"
                   " WHERE p.code = ?1 AND p.deleted_at IS NULL",
    [PS_BY_PHONE] = "SELECT p.id"
                    "  FROM person AS p"
                    " WHERE p.phone_idx = ?1 AND p.id <> ?2"
                    "   AND p.merged_into IS NULL AND p.deleted_at IS NULL"
                    "   AND" PERSON_SCOPE("?3") " LIMIT 50",
    [PS_BY_IDNUM] = "SELECT p.id"
                    "  FROM person AS p"
                    " WHERE p.id_number_idx = ?1 AND p.id <> ?2"
                    "   AND p.merged_into IS NULL AND p.deleted_at IS NULL"
                    "   AND" PERSON_SCOPE("?3") " LIMIT 50",
    [PS_BY_PASSPORT] = "SELECT p.id"
                       "  FROM person AS p"
                       " WHERE p.passport_idx = ?1 AND p.id <> ?2"
                       "   AND p.merged_into IS NULL AND p.deleted_at IS NULL"
                       "   AND" PERSON_SCOPE("?3") " LIMIT 50",
    /* in one order on both stores, SQLite's index's: which suggestions
     * the cap keeps does not hang on a plan */
    [PS_BLOCK] =
        "SELECT p.id, p.name, p.birth_date, p.citizenship"
        "  FROM person AS p"
        " WHERE p.name_block = ?1 AND p.id <> ?2"
        "   AND p.merged_into IS NULL AND p.deleted_at IS NULL"
        "   AND (?4 = 0 OR p.birth_year IS NULL"
        "        OR p.birth_year BETWEEN ?4 - 1 AND ?4 + 1)"
        "   AND" PERSON_SCOPE("?3") " ORDER BY p.birth_year NULLS FIRST,"
                                    " p.id LIMIT 100000",
    [PS_DUP_INSERT] = "INSERT INTO person_duplicate(person_a,"
                      "  person_b, basis, score) VALUES (?1, ?2, ?3, ?4)"
                      " ON CONFLICT DO NOTHING",
    [PS_DUP_LIST] = "SELECT d.id, coalesce(d.decided_at, 0), a.code, p.code,"
                    "       d.basis, d.state, d.score"
                    "  FROM person_duplicate AS d"
                    "  JOIN person AS a ON a.id = d.person_a"
                    "  JOIN person AS p ON p.id = d.person_b"
                    " WHERE (?1 = '' OR d.state = ?1) AND" PERSON_SCOPE(
                        "?2") " ORDER BY d.id DESC"
                              " LIMIT 500",
    [PS_DUP_GET] = "SELECT d.person_a, d.person_b, d.state, a.code, p.code,"
                   "       d.basis, a.merged_into IS NOT NULL"
                   "         OR p.merged_into IS NOT NULL"
                   "  FROM person_duplicate AS d"
                   "  JOIN person AS a ON a.id = d.person_a"
                   "  JOIN person AS p ON p.id = d.person_b"
                   " WHERE d.id = ?1 AND" PERSON_SCOPE("?2"),
    [PS_DUP_SET] = "UPDATE person_duplicate"
                   "   SET state = ?2, decided_by = ?3, decided_at = ?4"
                   " WHERE id = ?1 AND state = 'suggested'",
    [PS_MERGE_LINKS] = "INSERT INTO case_person(case_id, person_id,"
                       "  role, added_at)"
                       " SELECT case_id, ?1, role, added_at"
                       "   FROM case_person WHERE person_id = ?2"
                       " ON CONFLICT DO NOTHING",
    [PS_MERGE_UNLINK] = "DELETE FROM case_person WHERE person_id = ?1",
    [PS_MERGE_CONSENT] = "UPDATE consent SET person_id = ?1"
                         " WHERE person_id = ?2",
    [PS_MERGE_SUPPORT] = "UPDATE support_item SET person_id = ?1"
                         " WHERE person_id = ?2",
    [PS_MERGE_MARK] = "UPDATE person SET merged_into = ?1 WHERE id = ?2",
    [PS_CONSENT_INSERT] = "INSERT INTO consent(person_id, purpose, state,"
                          "  recorded_at, recorded_by)"
                          " VALUES (?1, ?2, ?3, ?4, ?5)",
    [PS_CONSENT_NEWEST] = "SELECT state"
                          "  FROM consent"
                          " WHERE person_id = ?1 AND purpose = ?2"
                          " ORDER BY id DESC"
                          " LIMIT 1",
    [PS_CONSENT_LIST] = "SELECT k.purpose, k.state, k.recorded_at,"
                        "       coalesce(u.username, '')"
                        "  FROM consent AS k"
                        "  LEFT JOIN \"user\" AS u ON u.id = k.recorded_by"
                        " WHERE k.person_id = ?1"
                        "   AND k.id = (SELECT max(id) FROM consent"
                        "                WHERE person_id = ?1"
                        "                  AND purpose = k.purpose)"
                        " ORDER BY k.purpose",
    [PS_RESEARCH_CASE] = "SELECT count(*) FROM case_file AS c"
                         " WHERE c.id = ?1 AND " PERSON_RESEARCH_OK_SQL,
    [PS_OWNS_PERSON] = "SELECT count(*)"
                       "  FROM case_person AS cp"
                       "  JOIN case_file AS c ON c.id = cp.case_id"
                       " WHERE cp.person_id = ?1 AND c.deleted_at IS NULL"
                       "   AND (c.created_by = ?2 OR c.assigned_to = ?2)",
    [PS_GLASS_INSERT] = "INSERT INTO glass_break(user_id, person_id, reason,"
                        "  at) VALUES (?1, ?2, ?3, ?4)",
    [PS_GLASS_LIST] = "SELECT g.id, g.at, coalesce(g.reviewed_at, 0),"
                      "       u.username, coalesce(p.code, ''), g.reason,"
                      "       coalesce(r.username, '')"
                      "  FROM glass_break AS g"
                      "  JOIN \"user\" AS u ON u.id = g.user_id"
                      "  LEFT JOIN person AS p ON p.id = g.person_id"
                      "  LEFT JOIN \"user\" AS r ON r.id = g.reviewed_by"
                      /* the breaker's organisation and the person's */
                      " WHERE (?1 = 0 OR u.org_id = ?1 OR p.org_id = ?1)"
                      "   AND (?2 = 0 OR g.reviewed_at IS NULL)"
                      " ORDER BY g.id DESC"
                      " LIMIT 500",
    [PS_GLASS_REVIEW] = "UPDATE glass_break"
                        "   SET reviewed_by = ?2, reviewed_at = ?3"
                        " WHERE id = ?1 AND reviewed_at IS NULL"
                        "   AND (?4 = 0"
                        "        OR user_id IN ("
                        "           SELECT id FROM \"user\" WHERE org_id = ?4)"
                        "        OR person_id IN ("
                        "           SELECT id FROM person WHERE org_id = ?4))",
};

/* The identity columns, in PS_SET_IDENTITY's and PS_ENC's order. */
static const char *const identity_columns[7] = {
    "name",      "aliases",  "birth_date", "phone",
    "id_number", "passport", "address",
};

/* ---- helpers ------------------------------------------------------------ */

static const char *
nz(const char *s)
{
    return s != NULL ? s : "";
}

/* who's organisation filter for reading people: 0 = all, -1 = none. */
static int64_t
read_org(const struct principal *who)
{
    struct scope_filter f;
    (void)principal_scope_either(who, ACT_CASE_READ, ACT_CASE_CREATE, &f);
    return f.org_id;
}

static int
audit(struct db *db, const struct vault *v, const struct principal *who,
      const char *action, const char *code, const char *detail,
      struct sr_err *err)
{
    struct audit_entry e = { who->user_id, action, "person", code, nz(detail) };
    return audit_append(db, v, &e, err);
}

/* ---- names ------------------------------------------------------------ */

_Static_assert(PERSON_MAX_NAME <= NAME_MAX_BYTES,
               "name_match.c compares names up to NAME_MAX_BYTES on the stack");

/* The blocking key of a normalised, stripped name: its first letter. */
static int
block_key(const struct vault *v, const utf8proc_int32_t *cps, size_t n,
          unsigned char out[32], struct sr_err *err)
{
    utf8proc_uint8_t first[8];
    utf8proc_ssize_t len = utf8proc_encode_char(cps[0], first);
    if (n == 0 || len <= 0) {
        return sr_err_set(err, SR_EINVAL, "name: no letters");
    }
    return vault_blind_index(v, "nameblk", (const char *)first, (size_t)len,
                             out, err);
}

int
person_name_block(const struct vault *v, const char *name,
                  unsigned char out[32], struct sr_err *err)
{
    assert(v != NULL && name != NULL && out != NULL);
    int32_t cps[NAME_MAX_CPS];
    size_t n_cps = name_key(name, cps);
    int rc = n_cps > 0 ? block_key(v, cps, n_cps, out, err)
                       : sr_err_set(err, SR_EINVAL, "name: no letters");
    sodium_memzero(cps, sizeof cps);
    return rc;
}

/* ---- validation --------------------------------------------------------- */

static void
check_docnum(struct field_errs *fe, const char *s, const char *field)
{
    if (field_blank(s)) {
        return;
    }
    size_t n = strlen(s);
    if (n > 40) {
        field_fail(fe, field, N_("Too long."), "%s: longer than 40 characters",
                   field);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 0x20 || s[i] > 0x7e) {
            field_fail(fe, field,
                       N_("Only Latin letters, digits and - / . are allowed."),
                       "%s: only letters, digits and - / . allowed", field);
            return;
        }
    }
}

static int
year_of(const char *date)
{
    return (date[0] - '0') * 1000 + (date[1] - '0') * 100 +
           (date[2] - '0') * 10 + (date[3] - '0');
}

int
person_validate(const struct person_input *in, struct sr_err *err)
{
    struct field_errs fe = { .err = err };
    return person_check(in, &fe);
}

int
person_check(const struct person_input *in, struct field_errs *fe)
{
    assert(in != NULL);
    field_check_text(fe, in->name, PERSON_MAX_NAME, "name");
    field_check_text(fe, in->aliases, PERSON_MAX_ALIASES, "aliases");
    field_check_text(fe, in->address, PERSON_MAX_ADDRESS, "address");
    field_check_phone(fe, in->phone, "phone");
    check_docnum(fe, in->id_number, "id_number");
    check_docnum(fe, in->passport, "passport");
    if (!field_blank(in->birth_date)) {
        const char *d = in->birth_date;
        int ok = strlen(d) == 10 && d[4] == '-' && d[7] == '-';
        for (int i = 0; ok && i < 10; i++) {
            ok = i == 4 || i == 7 || (d[i] >= '0' && d[i] <= '9');
        }
        int m = ok ? (d[5] - '0') * 10 + (d[6] - '0') : 0;
        int day = ok ? (d[8] - '0') * 10 + (d[9] - '0') : 0;
        if (!ok || year_of(d) < 1900 || year_of(d) > 2100 || m < 1 || m > 12 ||
            day < 1 || day > 31) {
            field_fail(fe, "birth_date",
                       N_("Must be a date from 1900 to 2100."),
                       "birth_date: must be a date like 1990-04-30");
        } else if (in->birth_year != 0 && in->birth_year != year_of(d)) {
            field_fail(fe, "birth_year",
                       N_("Differs from the year of the date of birth."),
                       "birth_year: differs from birth_date");
        }
    }
    if (in->birth_year != 0 &&
        (in->birth_year < 1900 || in->birth_year > 2100)) {
        field_fail(fe, "birth_year", N_("Must be 1900 to 2100."),
                   "birth_year: must be 1900 to 2100");
    }
    if (in->age_trafficked < -1 || in->age_trafficked > 120) {
        field_fail(fe, "age_trafficked", N_("Must be 0 to 120."),
                   "age_trafficked: must be 0 to 120");
    }
    if (!field_blank(in->gender) &&
        vocab_find(person_genders, in->gender) < 0) {
        field_fail(fe, "gender", N_("Not one of the allowed values."),
                   "gender: not one of the allowed values");
    }
    if (!field_blank(in->education) &&
        vocab_find(person_educations, in->education) < 0) {
        field_fail(fe, "education", N_("Not one of the allowed values."),
                   "education: not one of the allowed values");
    }
    const char *c = in->citizenship;
    if (!field_blank(c) && !(strlen(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' &&
                             c[1] >= 'A' && c[1] <= 'Z')) {
        field_fail(fe, "citizenship",
                   N_("Must be a two-letter country code such as MM."),
                   "citizenship: must be an ISO 3166-1 alpha-2 code");
    }
    const char *l = nz(in->languages);
    if (strlen(l) > 100) {
        field_fail(fe, "languages", N_("Too long."), "languages: too many");
    } else {
        for (const char *p = l; *p; p++) {
            if (!((*p >= 'a' && *p <= 'z') || *p == ',')) {
                field_fail(fe, "languages",
                           N_("Language codes such as my,th separated by "
                              "commas."),
                           "languages: ISO 639 codes separated by commas");
                break;
            }
        }
    }
    return field_errs_rc(fe);
}

/* ---- adding people and finding duplicates ------------------------------- */

static void
bind_opt_blob(struct db_stmt *s, int i, const void *p, size_t len)
{
    if (len > 0) {
        db_bind_blob(s, i, p, len);
    } else {
        db_bind_null(s, i);
    }
}

static int
suggest(struct db *db, int64_t a, int64_t b, const char *basis, double score,
        int *n, struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &person_sql[PS_DUP_INSERT]);
    db_bind_i64(s, 1, a < b ? a : b);
    db_bind_i64(s, 2, a < b ? b : a);
    db_bind_text(s, 3, basis);
    db_bind_double(s, 4, score);
    int rc = db_exec_stmt(db, s, err);
    if (rc == SR_OK && db_changes(db) > 0) {
        (*n)++;
    }
    return rc;
}

static int
exact_dups(struct db *db, enum person_stmt st, const unsigned char idx[32],
           int64_t id, int64_t org, const char *basis, int *n,
           struct sr_err *err)
{
    int64_t found[50];
    size_t n_found = 0;
    struct db_stmt *s = db_stmt(db, &person_sql[st]);
    db_bind_blob(s, 1, idx, 32);
    db_bind_i64(s, 2, id);
    db_bind_i64(s, 3, org);
    int step;
    while ((step = db_step(s)) == DB_ROW && n_found < 50) {
        found[n_found++] = db_col_i64(s, 0);
    }
    int rc = step == DB_ROW || step == DB_DONE
                 ? SR_OK
                 : db_error(db, err, "cannot search people");
    db_done(s);
    for (size_t i = 0; rc == SR_OK && i < n_found; i++) {
        rc = suggest(db, found[i], id, basis, 1.0, n, err);
    }
    return rc;
}

struct name_hit {
    int64_t id;
    double score;
};

/* A candidate of the name check; its blobs are in its chunk's bytes. */
struct name_cand {
    int64_t id;
    size_t name_off, name_len; /* encrypted name */
    size_t dob_off, dob_len;   /* encrypted birth date; len 0 = not read */
};

/*
 * The candidates travel in chunks from the thread reading the block to
 * the threads scoring them. NAME_MAX_CANDS is PS_BLOCK's LIMIT.
 */
#define NAME_CHUNK      1024
#define NAME_MAX_CANDS  100000
#define NAME_MAX_CHUNKS ((NAME_MAX_CANDS + NAME_CHUNK - 1) / NAME_CHUNK)

struct name_chunk {
    struct name_cand cands[NAME_CHUNK];
    size_t n_cands;
    struct sr_buf bytes;   /* the candidates' blobs */
    struct name_hit *hits; /* in candidate order; malloc'd */
    size_t n_hits, cap_hits;
    int rc;            /* SR_OK, or the chunk's first failure */
    struct sr_err err; /* its message */
};

/*
 * One name check's scan. The reading thread fills chunks[n_ready] and
 * publishes it by raising n_ready; scoring threads take chunks in turn
 * (n_taken). lock guards n_ready, n_taken and is_done; a chunk is written
 * only by the reader before it is published and only by its one scorer
 * after.
 */
struct name_scan {
    const struct vault *v;
    const int32_t *key;     /* the new name's key */
    size_t n_key;           /* its code points */
    const char *birth_date; /* the new person's, NULL if unknown */
    struct name_chunk *chunks[NAME_MAX_CHUNKS];
    size_t n_chunks; /* allocated */
    size_t n_ready;  /* published */
    size_t n_taken;  /* handed to a scorer */
    int is_done;     /* reading over: every chunk is published */
    pthread_mutex_t lock;
    pthread_cond_t more; /* n_ready or is_done changed */
};

/* Decrypt each name of ch, key it, compare it with the new name and, for
 * a match when the new person's date of birth is known, compare dates. */
static void
score_chunk(const struct name_scan *sc, struct name_chunk *ch)
{
    struct sr_buf name, dob;
    sr_buf_init(&name, 0);
    sr_buf_init(&dob, 0);
    int32_t other[NAME_MAX_CPS];
    const unsigned char *bytes = (const unsigned char *)ch->bytes.data;
    for (size_t i = 0; i < ch->n_cands && ch->rc == SR_OK; i++) {
        const struct name_cand *c = &ch->cands[i];
        ch->rc =
            vault_decrypt(sc->v, "person", "name", c->id, bytes + c->name_off,
                          c->name_len, &name, &ch->err);
        if (ch->rc != SR_OK) {
            break;
        }
        size_t n_other = name_key(name.data, other);
        double score = 0.0;
        if (!name_keys_match(sc->key, sc->n_key, other, n_other, &score)) {
            continue;
        }
        if (sc->birth_date != NULL && c->dob_len > 0) {
            ch->rc =
                vault_decrypt(sc->v, "person", "birth_date", c->id,
                              bytes + c->dob_off, c->dob_len, &dob, &ch->err);
            if (ch->rc != SR_OK || strcmp(dob.data, sc->birth_date) != 0) {
                continue;
            }
        }
        ch->hits =
            sr_xgrow(ch->hits, ch->n_hits, &ch->cap_hits, sizeof *ch->hits);
        ch->hits[ch->n_hits].id = c->id;
        ch->hits[ch->n_hits].score = score;
        ch->n_hits++;
    }
    sodium_memzero(other, sizeof other);
    vault_buf_wipe(&name);
    vault_buf_wipe(&dob);
}

static void
scan_lock(struct name_scan *sc)
{
    if (pthread_mutex_lock(&sc->lock) != 0) {
        SR_BUG("pthread_mutex_lock failed");
    }
}

/* Score published chunks until reading is over and none is left. */
static void *
scan_score(void *arg)
{
    struct name_scan *sc = arg;
    for (;;) {
        scan_lock(sc);
        while (sc->n_taken == sc->n_ready && !sc->is_done) {
            if (pthread_cond_wait(&sc->more, &sc->lock) != 0) {
                SR_BUG("pthread_cond_wait failed");
            }
        }
        struct name_chunk *ch =
            sc->n_taken < sc->n_ready ? sc->chunks[sc->n_taken++] : NULL;
        pthread_mutex_unlock(&sc->lock);
        if (ch == NULL) {
            return NULL;
        }
        score_chunk(sc, ch);
    }
}

/* Publish the chunks up to n (all of them when is_done). */
static void
scan_publish(struct name_scan *sc, size_t n, int is_done)
{
    scan_lock(sc);
    sc->n_ready = n;
    sc->is_done = is_done;
    pthread_cond_broadcast(&sc->more);
    pthread_mutex_unlock(&sc->lock);
}

/*
 * Name-similarity candidates of the new person id in block. This thread
 * reads the block; from the first full chunk on, a second thread scores
 * chunks while it reads, and this one joins in when the reading is over.
 * Hits are taken in chunk order and the failure reported is the one of
 * the earliest chunk (then a database error), so the suggestions and the
 * error are those of one pass over the block in its order.
 */
static int
name_dups(struct db *db, const struct vault *v, const struct person_input *in,
          int64_t id, int64_t org, const int32_t *key, size_t n_key,
          const unsigned char block[32], int *n, int64_t *n_compared,
          struct sr_err *err)
{
    int birth_year = in->birth_year;
    if (birth_year == 0 && !field_blank(in->birth_date)) {
        birth_year = year_of(in->birth_date);
    }
    int has_dob = !field_blank(in->birth_date);
    struct name_scan *sc = sr_xcalloc(1, sizeof *sc);
    sc->v = v;
    sc->key = key;
    sc->n_key = n_key;
    sc->birth_date = has_dob ? in->birth_date : NULL;
    if (pthread_mutex_init(&sc->lock, NULL) != 0 ||
        pthread_cond_init(&sc->more, NULL) != 0) {
        SR_BUG("cannot initialise a lock");
    }
    pthread_t th;
    int is_threaded = 0;
    vault_pin(v);
    struct db_stmt *s = db_stmt(db, &person_sql[PS_BLOCK]);
    db_bind_blob(s, 1, block, 32);
    db_bind_i64(s, 2, id);
    db_bind_i64(s, 3, org);
    db_bind_int(s, 4, birth_year);
    int rc = SR_OK, step;
    struct name_chunk *ch = NULL;
    while (rc == SR_OK && (step = db_step(s)) == DB_ROW) {
        (*n_compared)++;
        const char *cit = db_col_text(s, 3);
        if (!field_blank(in->citizenship) && cit[0] != '\0' &&
            strcmp(cit, in->citizenship) != 0) {
            continue;
        }
        if (ch != NULL && ch->n_cands == NAME_CHUNK) {
            scan_publish(sc, sc->n_chunks, 0);
            if (sc->n_chunks == 1) {
                is_threaded = pthread_create(&th, NULL, scan_score, sc) == 0;
            }
            ch = NULL;
        }
        if (ch == NULL) {
            if (sc->n_chunks == NAME_MAX_CHUNKS) {
                rc = sr_err_set(err, SR_ETOOBIG,
                                "name check: too many candidates");
                break;
            }
            ch = sr_xcalloc(1, sizeof *ch);
            sr_buf_init(&ch->bytes, 0);
            sc->chunks[sc->n_chunks++] = ch;
        }
        struct name_cand *c = &ch->cands[ch->n_cands++];
        c->id = db_col_i64(s, 0);
        const void *blob = db_col_blob(s, 1);
        c->name_off = ch->bytes.len;
        c->name_len = (size_t)db_col_bytes(s, 1);
        if (c->name_len > 0) {
            rc = sr_buf_add(&ch->bytes, blob, c->name_len);
        }
        blob = has_dob ? db_col_blob(s, 2) : NULL;
        c->dob_off = ch->bytes.len;
        c->dob_len = has_dob ? (size_t)db_col_bytes(s, 2) : 0;
        if (rc == SR_OK && c->dob_len > 0) {
            rc = sr_buf_add(&ch->bytes, blob, c->dob_len);
        }
        if (rc != SR_OK) {
            ch->n_cands--; /* never scored: its blobs are not all there */
            rc = sr_err_set(err, rc, "name check: too many candidates");
        }
    }
    if (rc == SR_OK && step != DB_ROW && step != DB_DONE) {
        rc = db_error(db, err, "cannot search people");
    }
    db_done(s);
    /* score the rest here, with the other thread if it runs */
    scan_publish(sc, sc->n_chunks, 1);
    (void)scan_score(sc);
    if (is_threaded && pthread_join(th, NULL) != 0) {
        SR_BUG("pthread_join failed");
    }
    vault_unpin(v);
    struct name_hit *hits = NULL;
    size_t n_hits = 0, cap_hits = 0;
    int rc_chunks = SR_OK;
    for (size_t k = 0; k < sc->n_chunks; k++) {
        ch = sc->chunks[k];
        if (rc_chunks == SR_OK && ch->rc != SR_OK) {
            rc_chunks = sr_err_set(err, ch->rc, "%s", sr_err_msg(&ch->err));
        }
        for (size_t i = 0; rc_chunks == SR_OK && i < ch->n_hits; i++) {
            hits = sr_xgrow(hits, n_hits, &cap_hits, sizeof *hits);
            hits[n_hits++] = ch->hits[i];
        }
        sr_buf_release(&ch->bytes);
        free(ch->hits);
        sr_err_release(&ch->err);
        free(ch);
    }
    pthread_cond_destroy(&sc->more);
    pthread_mutex_destroy(&sc->lock);
    free(sc);
    if (rc_chunks != SR_OK) {
        rc = rc_chunks;
    }
    for (size_t i = 0; rc == SR_OK && i < n_hits && i < 200; i++) {
        rc = suggest(db, hits[i].id, id, "name", hits[i].score, n, err);
    }
    free(hits);
    return rc;
}

int
person_add(struct db *db, const struct vault *v, const struct principal *who,
           const char *case_code, const char *role,
           const struct person_input *in, char code_out[32], int64_t *id_out,
           int *n_dups_out, struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL && in != NULL);
    if (field_blank(role) || vocab_find(person_roles, role) < 0) {
        return sr_err_set(err, SR_EINVAL,
                          "role: not one of the allowed "
                          "values");
    }
    int rc = person_validate(in, err);
    if (rc != SR_OK) {
        return rc;
    }
    int64_t case_id = 0, case_org = 0;
    rc = case_find(db, who, case_code, ACT_CASE_CREATE, &case_id, &case_org,
                   err);
    if (rc != SR_OK) {
        return rc;
    }
    char phone[PHONE_MAX] = "";
    if (!field_blank(in->phone) &&
        phone_e164(in->phone, in->phone_region, phone, sizeof phone) < 0) {
        return sr_err_set(err, SR_EINVAL, "phone: longer than 32 characters");
    }
    const char *values[7] = { in->name,   in->aliases,   in->birth_date,
                              phone,      in->id_number, in->passport,
                              in->address };
    int32_t cps[NAME_MAX_CPS];
    size_t n_cps = 0;
    if (!field_blank(in->name)) {
        n_cps = name_key(in->name, cps);
        if (n_cps == 0) {
            return sr_err_set(err, SR_EINVAL, "name: no letters");
        }
    }
    int birth_year = in->birth_year;
    if (birth_year == 0 && !field_blank(in->birth_date)) {
        birth_year = year_of(in->birth_date);
    }
    char code[32];
    vault_code("P", code, sizeof code);
    int64_t now = sr_now();
    if ((rc = db_begin_write(db, err)) != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &person_sql[PS_INSERT]);
    db_bind_text(s, 1, code);
    db_bind_i64(s, 2, case_org);
    db_bind_text(s, 3, nz(in->gender));
    if (birth_year != 0) {
        db_bind_int(s, 4, birth_year);
    } else {
        db_bind_null(s, 4);
    }
    if (in->age_trafficked >= 0) {
        db_bind_int(s, 5, in->age_trafficked);
    } else {
        db_bind_null(s, 5);
    }
    db_bind_text(s, 6, nz(in->citizenship));
    db_bind_text(s, 7, nz(in->languages));
    db_bind_text(s, 8, nz(in->education));
    db_bind_i64(s, 9, now);
    rc = db_exec_stmt(db, s, err);
    int64_t id = db_last_id(db);
    struct sr_buf enc[7];
    unsigned char idx[4][32], block[32];
    int has_idx[4] = { 0, 0, 0, 0 };
    const char *idx_domain[4] = { "name", "phone", "idnum", "passport" };
    const char *idx_value[4] = { in->name, phone, in->id_number, in->passport };
    for (int i = 0; i < 7; i++) {
        sr_buf_init(&enc[i], 0);
        if (rc == SR_OK && !field_blank(values[i])) {
            rc = vault_encrypt(v, "person", identity_columns[i], id, values[i],
                               strlen(values[i]), &enc[i], err);
        }
    }
    for (int i = 0; i < 4 && rc == SR_OK; i++) {
        if (!field_blank(idx_value[i])) {
            rc = vault_blind_index(v, idx_domain[i], idx_value[i],
                                   strlen(idx_value[i]), idx[i], err);
            has_idx[i] = rc == SR_OK;
        }
    }
    if (rc == SR_OK && n_cps > 0) {
        rc = block_key(v, cps, n_cps, block, err);
    }
    if (rc == SR_OK) {
        s = db_stmt(db, &person_sql[PS_SET_IDENTITY]);
        db_bind_i64(s, 1, id);
        for (int i = 0; i < 7; i++) {
            bind_opt_blob(s, 2 + i, enc[i].data, enc[i].len);
        }
        for (int i = 0; i < 4; i++) {
            bind_opt_blob(s, 9 + i, idx[i], has_idx[i] ? 32 : 0);
        }
        bind_opt_blob(s, 13, block, n_cps > 0 ? 32 : 0);
        rc = db_exec_stmt(db, s, err);
    }
    for (int i = 0; i < 7; i++) {
        sr_buf_release(&enc[i]);
    }
    sodium_memzero(phone, sizeof phone);
    if (rc == SR_OK) {
        s = db_stmt(db, &person_sql[PS_LINK]);
        db_bind_i64(s, 1, case_id);
        db_bind_i64(s, 2, id);
        db_bind_text(s, 3, role);
        db_bind_i64(s, 4, now);
        rc = db_exec_stmt(db, s, err);
    }
    if (rc == SR_OK) {
        char detail[80];
        snprintf(detail, sizeof detail, "case %s role %s", case_code, role);
        rc = audit(db, v, who, "person.add", code, detail, err);
    }
    /* duplicates: exact matches for everyone, names only for roles that
     * may see identities, all within who's scope */
    int n_dups = 0;
    int64_t n_compared = 0;
    int64_t org = read_org(who);
    if (org < 0) {
        org = case_org;
    }
    if (rc == SR_OK && has_idx[1]) {
        rc =
            exact_dups(db, PS_BY_PHONE, idx[1], id, org, "phone", &n_dups, err);
    }
    if (rc == SR_OK && has_idx[2]) {
        rc = exact_dups(db, PS_BY_IDNUM, idx[2], id, org, "id_number", &n_dups,
                        err);
    }
    if (rc == SR_OK && has_idx[3]) {
        rc = exact_dups(db, PS_BY_PASSPORT, idx[3], id, org, "passport",
                        &n_dups, err);
    }
    if (rc == SR_OK && n_cps > 0 && principal_can_see_identity(who)) {
        rc = name_dups(db, v, in, id, org, cps, n_cps, block, &n_dups,
                       &n_compared, err);
    }
    if (rc == SR_OK) {
        char detail[80];
        snprintf(detail, sizeof detail, "suggested %d compared %lld", n_dups,
                 (long long)n_compared);
        rc = audit(db, v, who, "person.dedup_check", code, detail, err);
    }
    rc = db_finish(db, rc, err);
    if (rc != SR_OK) {
        return rc;
    }
    memcpy(code_out, code, sizeof code);
    if (id_out != NULL) {
        *id_out = id;
    }
    if (n_dups_out != NULL) {
        *n_dups_out = n_dups;
    }
    return SR_OK;
}

/* ---- reading ------------------------------------------------------------ */

static void
row_from(struct db_stmt *s, struct person_row *r)
{
    r->id = db_col_i64(s, 0);
    r->org_id = db_col_i64(s, 1);
    r->created_at = db_col_i64(s, 2);
    r->code = db_col_text(s, 3);
    r->gender = db_col_text(s, 4);
    r->citizenship = db_col_text(s, 5);
    r->languages = db_col_text(s, 6);
    r->education = db_col_text(s, 7);
    r->merged_into = db_col_text(s, 8);
    r->birth_year = db_col_int(s, 9);
    r->age_trafficked = db_col_int(s, 10);
    r->n_cases = db_col_int(s, 11);
    r->has_name = db_col_int(s, 12);
    r->has_phone = db_col_int(s, 13);
    r->has_id_number = db_col_int(s, 14);
    r->has_passport = db_col_int(s, 15);
    r->role = db_col_text(s, 16);
}

static int
keep_id(const struct person_row *r, void *ctx)
{
    *(int64_t *)ctx = r->id;
    return 0;
}

int
person_id(struct db *db, const struct principal *who, const char *code,
          int64_t *id_out, struct sr_err *err)
{
    int64_t id = 0;
    int rc = person_get(db, who, code, keep_id, &id, err);
    if (rc == SR_OK) {
        *id_out = id;
    }
    return rc;
}

/* A listing's caller, as db_each() hands it to one of the visit_*()
 * functions: the function of the listing's row type, and its context. */
struct person_visit {
    int (*person_fn)(const struct person_row *r, void *ctx);
    int (*case_fn)(const char *case_code, const char *role, void *ctx);
    int (*glass_fn)(const struct glass_row *r, void *ctx);
    int (*consent_fn)(const struct consent_row *r, void *ctx);
    int (*dup_fn)(const struct dup_row *r, void *ctx);
    void *ctx;
};

static int
visit_person(struct db_stmt *s, void *p)
{
    const struct person_visit *v = p;
    struct person_row r;
    row_from(s, &r);
    return v->person_fn(&r, v->ctx);
}

int
person_get(struct db *db, const struct principal *who, const char *code,
           int (*fn)(const struct person_row *r, void *ctx), void *ctx,
           struct sr_err *err)
{
    int64_t org = read_org(who);
    if (org < 0 || field_blank(code)) {
        return sr_err_set(err, SR_ENOTFOUND, "person: not found");
    }
    struct db_stmt *s = db_stmt(db, &person_sql[PS_GET]);
    db_bind_text(s, 1, code);
    db_bind_i64(s, 2, org);
    struct person_visit v = { .person_fn = fn, .ctx = ctx };
    return db_one(db, s, visit_person, &v, "person: not found",
                  "cannot read person", err);
}

int
person_list_for_case(struct db *db, int64_t case_id,
                     int (*fn)(const struct person_row *r, void *ctx),
                     void *ctx, struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &person_sql[PS_FOR_CASE]);
    db_bind_i64(s, 1, case_id);
    struct person_visit v = { .person_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_person, &v, "cannot list people", err);
}

static int
visit_case(struct db_stmt *s, void *p)
{
    const struct person_visit *v = p;
    return v->case_fn(db_col_text(s, 0), db_col_text(s, 1), v->ctx);
}

int
person_cases(struct db *db, int64_t person_id,
             int (*fn)(const char *case_code, const char *role, void *ctx),
             void *ctx, struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &person_sql[PS_CASES]);
    db_bind_i64(s, 1, person_id);
    struct person_visit v = { .case_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_case, &v, "cannot list cases of person", err);
}

int
person_link(struct db *db, const struct vault *v, const struct principal *who,
            const char *case_code, const char *person_code, const char *role,
            struct sr_err *err)
{
    if (field_blank(role) || vocab_find(person_roles, role) < 0) {
        return sr_err_set(err, SR_EINVAL,
                          "role: not one of the allowed "
                          "values");
    }
    int64_t case_id = 0;
    int rc =
        case_find(db, who, case_code, ACT_CASE_CREATE, &case_id, NULL, err);
    int64_t pid = 0;
    if (rc == SR_OK) {
        struct db_stmt *s = db_stmt(db, &person_sql[PS_GET]);
        db_bind_text(s, 1, nz(person_code));
        db_bind_i64(s, 2, read_org(who) < 0 ? who->org_id : read_org(who));
        if (db_step(s) == DB_ROW) {
            pid = db_col_i64(s, 0);
        }
        db_done(s);
        if (pid == 0) {
            rc = sr_err_set(err, SR_EINVAL, "person: not found");
        }
    }
    if (rc != SR_OK || (rc = db_begin_write(db, err)) != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &person_sql[PS_LINK]);
    db_bind_i64(s, 1, case_id);
    db_bind_i64(s, 2, pid);
    db_bind_text(s, 3, role);
    db_bind_i64(s, 4, sr_now());
    rc = db_exec_stmt(db, s, err);
    if (rc == SR_ECONFLICT) {
        sr_err_set(err, SR_ECONFLICT, "person: already in the case as %s",
                   role);
    }
    if (rc == SR_OK) {
        char detail[80];
        snprintf(detail, sizeof detail, "case %s role %s", case_code, role);
        rc = audit(db, v, who, "person.link", person_code, detail, err);
    }
    return db_finish(db, rc, err);
}

/* ---- identities --------------------------------------------------------- */

static struct sr_buf *
identity_buf(struct person_identity *id, int i)
{
    struct sr_buf *all[7] = { &id->name,   &id->aliases,   &id->birth_date,
                              &id->phone,  &id->id_number, &id->passport,
                              &id->address };
    return all[i];
}

void
person_identity_release(struct person_identity *id)
{
    for (int i = 0; i < 7; i++) {
        struct sr_buf *b = identity_buf(id, i);
        if (b->data != NULL) {
            vault_buf_wipe(b);
        }
    }
}

/* Decrypt the row of s (PS_ENC or PS_ENC_ANY, stepped) into out. */
static int
decrypt_row(struct db_stmt *s, const struct vault *v,
            struct person_identity *out, struct sr_err *err)
{
    int64_t id = db_col_i64(s, 0);
    int rc = SR_OK;
    for (int i = 0; i < 7 && rc == SR_OK; i++) {
        int n = db_col_bytes(s, 1 + i);
        if (n > 0) {
            rc = vault_decrypt(v, "person", identity_columns[i], id,
                               db_col_blob(s, 1 + i), (size_t)n,
                               identity_buf(out, i), err);
        }
    }
    return rc;
}

static int
identity_read(struct db *db, const struct vault *v, const struct principal *who,
              const char *code, int is_glass, const char *reason,
              struct person_identity *out, struct sr_err *err)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 7; i++) {
        sr_buf_init(identity_buf(out, i), 0);
    }
    int64_t org = read_org(who);
    if (!is_glass && org < 0) {
        return sr_err_set(err, SR_ENOTFOUND, "person: not found");
    }
    int rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s =
        db_stmt(db, &person_sql[is_glass ? PS_ENC_ANY : PS_ENC]);
    db_bind_text(s, 1, nz(code));
    if (!is_glass) {
        db_bind_i64(s, 2, org);
    }
    int step = db_step(s);
    int64_t pid = 0;
    if (step == DB_ROW) {
        pid = db_col_i64(s, 0);
        rc = decrypt_row(s, v, out, err);
    } else if (step == DB_DONE) {
        rc = sr_err_set(err, SR_ENOTFOUND, "person: not found");
    } else {
        rc = db_error(db, err, "cannot read person");
    }
    db_done(s);
    char detail[64] = "";
    if (rc == SR_OK && is_glass) {
        s = db_stmt(db, &person_sql[PS_GLASS_INSERT]);
        db_bind_i64(s, 1, who->user_id);
        db_bind_i64(s, 2, pid);
        db_bind_text(s, 3, reason);
        db_bind_i64(s, 4, sr_now());
        rc = db_exec_stmt(db, s, err);
        snprintf(detail, sizeof detail, "glass_break %lld",
                 (long long)db_last_id(db));
    }
    if (rc == SR_OK) {
        rc = audit(db, v, who,
                   is_glass ? "case.break_glass" : "person.view_identity", code,
                   detail, err);
    }
    rc = db_finish(db, rc, err);
    if (rc != SR_OK) {
        person_identity_release(out);
    }
    return rc;
}

int
person_identity_read(struct db *db, const struct vault *v,
                     const struct principal *who, const char *code,
                     struct person_identity *out, struct sr_err *err)
{
    if (!principal_can_see_identity(who)) {
        return sr_err_set(err, SR_EPERM,
                          "identity fields are hidden for this role");
    }
    return identity_read(db, v, who, code, 0, NULL, out, err);
}

int
person_break_glass(struct db *db, const struct vault *v,
                   const struct principal *who, const char *code,
                   const char *reason, struct person_identity *out,
                   struct sr_err *err)
{
    if (who->user_id <= 0 || !policy_can_see_identity(who->role) ||
        !policy_allows(who, ACT_GLASS_BREAK, 0, 0)) {
        return sr_err_set(err, SR_EPERM,
                          "emergency access is not allowed for this role");
    }
    size_t n = strlen(nz(reason));
    if (n < 10 || n > PERSON_MAX_REASON || !sr_utf8_valid(reason, n)) {
        return sr_err_set(err, SR_EINVAL,
                          "reason: 10 to %d bytes of text needed",
                          PERSON_MAX_REASON);
    }
    return identity_read(db, v, who, code, 1, reason, out, err);
}

static int
visit_glass(struct db_stmt *s, void *p)
{
    const struct person_visit *v = p;
    struct glass_row r = {
        db_col_i64(s, 0),  db_col_i64(s, 1),  db_col_i64(s, 2),
        db_col_text(s, 3), db_col_text(s, 4), db_col_text(s, 5),
        db_col_text(s, 6),
    };
    return v->glass_fn(&r, v->ctx);
}

int
glass_list(struct db *db, const struct principal *who, int pending_only,
           int (*fn)(const struct glass_row *r, void *ctx), void *ctx,
           struct sr_err *err)
{
    assert(db != NULL && who != NULL && fn != NULL);
    struct scope_filter sf;
    if (principal_scope(who, ACT_GLASS_REVIEW, &sf) != SR_OK) {
        return SR_OK;
    }
    struct db_stmt *s = db_stmt(db, &person_sql[PS_GLASS_LIST]);
    db_bind_i64(s, 1, sf.org_id);
    db_bind_int(s, 2, pending_only ? 1 : 0);
    struct person_visit v = { .glass_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_glass, &v, "cannot list emergency views", err);
}

int
glass_review(struct db *db, const struct vault *v, const struct principal *who,
             int64_t id, struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL);
    struct scope_filter sf;
    if (principal_scope(who, ACT_GLASS_REVIEW, &sf) != SR_OK) {
        return sr_err_set(err, SR_ENOTFOUND, "emergency view: not found");
    }
    int rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &person_sql[PS_GLASS_REVIEW]);
    db_bind_i64(s, 1, id);
    db_bind_id(s, 2, who->user_id);
    db_bind_i64(s, 3, sr_now());
    db_bind_i64(s, 4, sf.org_id);
    rc = db_exec_stmt(db, s, err);
    if (rc == SR_OK && db_changes(db) == 0) {
        rc = sr_err_set(err, SR_ENOTFOUND,
                        "emergency view: not found or "
                        "already reviewed");
    }
    if (rc == SR_OK) {
        char code[32];
        snprintf(code, sizeof code, "%lld", (long long)id);
        struct audit_entry e = { who->user_id, "case.review_glass",
                                 "glass_break", code, "" };
        rc = audit_append(db, v, &e, err);
    }
    return db_finish(db, rc, err);
}

/* ---- consent ------------------------------------------------------------ */

int
person_consent_set(struct db *db, const struct vault *v,
                   const struct principal *who, const char *code,
                   const char *purpose, const char *state, struct sr_err *err)
{
    if (field_blank(purpose) || vocab_find(consent_purposes, purpose) < 0) {
        return sr_err_set(err, SR_EINVAL,
                          "purpose: not one of the allowed "
                          "values");
    }
    if (field_blank(state) || vocab_find(consent_states, state) < 0) {
        return sr_err_set(err, SR_EINVAL,
                          "state: not one of the allowed "
                          "values");
    }
    if (!policy_allows(who, ACT_CASE_UPDATE, 0, 0)) {
        return sr_err_set(err, SR_EPERM, "consent: not allowed");
    }
    int64_t id = 0;
    int rc = person_id(db, who, code, &id, err);
    if (rc != SR_OK) {
        return rc;
    }
    if ((rc = db_begin_write(db, err)) != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &person_sql[PS_CONSENT_INSERT]);
    db_bind_i64(s, 1, id);
    db_bind_text(s, 2, purpose);
    db_bind_text(s, 3, state);
    db_bind_i64(s, 4, sr_now());
    db_bind_id(s, 5, who->user_id);
    rc = db_exec_stmt(db, s, err);
    if (rc == SR_OK) {
        char detail[64];
        snprintf(detail, sizeof detail, "%s %s", purpose, state);
        rc = audit(db, v, who, "person.consent", code, detail, err);
    }
    return db_finish(db, rc, err);
}

/* The newest consent state of person_id for purpose into out ("" if
 * none); 0, or -1 on a database error. */
static int
newest_state(struct db *db, int64_t person_id, const char *purpose,
             char out[16])
{
    out[0] = '\0';
    struct db_stmt *s = db_stmt(db, &person_sql[PS_CONSENT_NEWEST]);
    db_bind_i64(s, 1, person_id);
    db_bind_text(s, 2, purpose);
    int step = db_step(s);
    if (step == DB_ROW) {
        snprintf(out, 16, "%s", db_col_text(s, 0));
    }
    db_done(s);
    return step == DB_ROW || step == DB_DONE ? 0 : -1;
}

int
person_consent(struct db *db, int64_t person_id, const char *purpose)
{
    char state[16];
    if (purpose == NULL || newest_state(db, person_id, purpose, state) != 0) {
        return 0;
    }
    return strcmp(state, "given") == 0;
}

int
person_research_ok(struct db *db, int64_t person_id)
{
    char state[16];
    if (newest_state(db, person_id, "research", state) != 0) {
        return 0;
    }
    return state[0] == '\0' || strcmp(state, "given") == 0;
}

int
case_research_ok(struct db *db, int64_t case_id)
{
    struct db_stmt *s = db_stmt(db, &person_sql[PS_RESEARCH_CASE]);
    db_bind_i64(s, 1, case_id);
    int ok = db_step(s) == DB_ROW && db_col_int(s, 0) == 1;
    db_done(s);
    return ok;
}

static int
visit_consent(struct db_stmt *s, void *p)
{
    const struct person_visit *v = p;
    struct consent_row r = { db_col_text(s, 0), db_col_text(s, 1),
                             db_col_text(s, 3), db_col_i64(s, 2) };
    return v->consent_fn(&r, v->ctx);
}

int
person_consent_list(struct db *db, int64_t person_id,
                    int (*fn)(const struct consent_row *r, void *ctx),
                    void *ctx, struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &person_sql[PS_CONSENT_LIST]);
    db_bind_i64(s, 1, person_id);
    struct person_visit v = { .consent_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_consent, &v, "cannot list consent", err);
}

/* ---- duplicates and merges ---------------------------------------------- */

static int
visit_dup(struct db_stmt *s, void *p)
{
    const struct person_visit *v = p;
    struct dup_row r = { db_col_i64(s, 0),   db_col_i64(s, 1),
                         db_col_text(s, 2),  db_col_text(s, 3),
                         db_col_text(s, 4),  db_col_text(s, 5),
                         db_col_double(s, 6) };
    return v->dup_fn(&r, v->ctx);
}

int
person_dup_list(struct db *db, const struct principal *who, const char *state,
                int (*fn)(const struct dup_row *r, void *ctx), void *ctx,
                struct sr_err *err)
{
    int64_t org = read_org(who);
    if (org < 0) {
        return SR_OK;
    }
    struct db_stmt *s = db_stmt(db, &person_sql[PS_DUP_LIST]);
    db_bind_text(s, 1, nz(state));
    db_bind_i64(s, 2, org);
    struct person_visit v = { .dup_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_dup, &v, "cannot list duplicates", err);
}

static int
exec2(struct db *db, enum person_stmt st, int64_t a, int64_t b,
      struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &person_sql[st]);
    db_bind_i64(s, 1, a);
    if (b != 0) {
        db_bind_i64(s, 2, b);
    }
    return db_exec_stmt(db, s, err);
}

int
person_dup_decide(struct db *db, const struct vault *v,
                  const struct principal *who, int64_t id, int is_confirmed,
                  struct sr_err *err)
{
    int64_t org = read_org(who);
    if (org < 0 || (!policy_allows(who, ACT_DEDUP_DECIDE, 0, 0))) {
        return sr_err_set(err, SR_ENOTFOUND, "duplicate: not found");
    }
    int rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &person_sql[PS_DUP_GET]);
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, org);
    int step = db_step(s);
    int64_t a = 0, b = 0;
    int is_open = 0, is_merged = 0;
    char code_a[32] = "", code_b[32] = "", basis[16] = "";
    if (step == DB_ROW) {
        a = db_col_i64(s, 0);
        b = db_col_i64(s, 1);
        is_open = strcmp(db_col_text(s, 2), "suggested") == 0;
        snprintf(code_a, sizeof code_a, "%s", db_col_text(s, 3));
        snprintf(code_b, sizeof code_b, "%s", db_col_text(s, 4));
        snprintf(basis, sizeof basis, "%s", db_col_text(s, 5));
        is_merged = db_col_int(s, 6);
    }
    db_done(s);
    if (step != DB_ROW) {
        rc = step == DB_DONE
                 ? sr_err_set(err, SR_ENOTFOUND, "duplicate: not found")
                 : db_error(db, err, "cannot read duplicate");
    } else if (!is_open) {
        rc = sr_err_set(err, SR_ECONFLICT, "duplicate: already decided");
    } else if (is_confirmed && is_merged) {
        rc = sr_err_set(err, SR_ECONFLICT,
                        "duplicate: one of the pair was merged already");
    }
    if (rc == SR_OK) {
        s = db_stmt(db, &person_sql[PS_DUP_SET]);
        db_bind_i64(s, 1, id);
        db_bind_text(s, 2, is_confirmed ? "confirmed" : "rejected");
        db_bind_id(s, 3, who->user_id);
        db_bind_i64(s, 4, sr_now());
        rc = db_exec_stmt(db, s, err);
    }
    if (rc == SR_OK) {
        char detail[80];
        snprintf(detail, sizeof detail, "%s %s with %s",
                 is_confirmed ? "confirmed" : "rejected", basis, code_a);
        rc = audit(db, v, who, "person.dedup", code_b, detail, err);
    }
    if (rc == SR_OK && is_confirmed) {
        /* the earlier record (a) is kept; b's links follow it */
        if ((rc = exec2(db, PS_MERGE_LINKS, a, b, err)) == SR_OK &&
            (rc = exec2(db, PS_MERGE_UNLINK, b, 0, err)) == SR_OK &&
            (rc = exec2(db, PS_MERGE_CONSENT, a, b, err)) == SR_OK &&
            (rc = exec2(db, PS_MERGE_SUPPORT, a, b, err)) == SR_OK) {
            rc = exec2(db, PS_MERGE_MARK, a, b, err);
        }
        if (rc == SR_OK) {
            char detail[64];
            snprintf(detail, sizeof detail, "merged %s into it", code_b);
            rc = audit(db, v, who, "person.merge", code_a, detail, err);
        }
    }
    return db_finish(db, rc, err);
}
