/*
 * test_person_dup.c - the name part of the duplicate check through
 * person_add() on a block large enough to be scored on two threads: the
 * suggestions (people, scores, order, the cap of 200) are the ones the
 * plain computation of tests/ref_names.h gives over the same people in
 * the order the block's index returns them; citizenship, date of birth,
 * birth year and merged records are honoured; and a
 * damaged name in either half fails the whole add, naming the lowest
 * damaged row, with nothing written.
 *
 * The block is written straight into the person table (encrypted names,
 * the real blocking key) because adding 2,600 people one by one would run
 * 2,600 duplicate checks.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/audit.h"
#include "base/auth.h"
#include "cases/case.h"
#include "fixture.h"
#include "harness.h"
#include "tally.h"
#include "base/org.h"
#include "cases/name_match.h"
#include "cases/person.h"
#include "ref_names.h"

#include "core/banned.h"

#define N_BLOCK 2600 /* over twice the 2,000 below which one thread scores */

/* One person of the block, as the test wrote it. */
struct body {
    int64_t id;
    char name[96];
    char birth_date[16]; /* "" = unknown */
    int birth_year;      /* 0 = NULL */
    const char *citizenship;
    int is_merged;
};

/* The block, then the people person_add() adds (they join it). */
static struct body people[N_BLOCK + 8];
static int n_people;

/* Record a person just added with in as id. */
static void
added(int64_t id, const struct person_input *in)
{
    struct body *p = &people[n_people++];
    memset(p, 0, sizeof *p);
    p->id = id;
    snprintf(p->name, sizeof p->name, "%s", in->name);
    if (in->birth_date != NULL) {
        snprintf(p->birth_date, sizeof p->birth_date, "%s", in->birth_date);
        p->birth_year = (int)strtol(in->birth_date, NULL, 10);
    }
    p->citizenship = in->citizenship;
}

static uint64_t rng = 0xd0b1e5u;

static unsigned
pick(unsigned n)
{
    rng = rng * 6364136223846793005u + 1442695040888963407u;
    return (unsigned)((rng >> 33) % n);
}

static const char *const given[] = { "Aung", "Aye",  "Ahmad",
                                     "Anan", "Arun", "Amara" };
static const char *const family[] = { "Kyaw", "Min",  "Thura", "Soe",
                                      "Lin",  "Htet", "Naing", "Zaw" };

/* A name starting with A; 3 in 20 are near copies of the one checked
 * below. */
static void
make_name(char *out, size_t size)
{
    switch (pick(20)) {
    case 0:
        snprintf(out, size, "Aung Kyaw Min Thu%c", 'a' + (char)pick(26));
        break;
    case 1:
        snprintf(out, size, "%sAung Kyaw Mn Thu", pick(2) ? "U " : "");
        break;
    case 2:
        snprintf(out, size, "Aung Kyaw %s Thu", family[pick(8)]);
        break;
    default:
        snprintf(out, size, "%s %s %s", given[pick(6)], family[pick(8)],
                 family[pick(8)]);
        break;
    }
}

/*
 * The test's own reads and writes of the tables. A damaged name is the
 * ciphertext overwritten with as many zero bytes: SQLite's zeroblob(),
 * PostgreSQL's decode() of as many "00".
 */
enum test_stmt {
    Q_PUT_PERSON,
    Q_MERGE,
    Q_STORED,
    Q_PEOPLE,
    Q_SUGGESTIONS,
    Q_AUDIT_ROWS,
    Q_DAMAGE,
    Q__COUNT
};
static const char *const test_sql[Q__COUNT] = {
    [Q_PUT_PERSON] = "INSERT INTO person(id, code, org_id, name, birth_date,"
                     " name_block, birth_year, citizenship, gender, created_at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'female', 1)",
    [Q_MERGE] = "UPDATE person SET merged_into = ?1 WHERE id = ?2",
    [Q_STORED] = "SELECT person_a, score FROM person_duplicate"
                 " WHERE person_b = ?1 AND basis = 'name'"
                 " ORDER BY id",
    [Q_PEOPLE] = "SELECT count(*) FROM person",
    [Q_SUGGESTIONS] = "SELECT count(*) FROM person_duplicate",
    [Q_AUDIT_ROWS] = "SELECT count(*) FROM audit",
    [Q_DAMAGE] = "UPDATE person"
                 "   SET name = zeroblob(length(name))"
                 " WHERE id = ?1" DB_PG "UPDATE person"
                 "   SET name = decode(repeat('00', length(name)), 'hex')"
                 " WHERE id = ?1",
};

static void
put_blob(struct db_stmt *s, int i, const struct sr_buf *b)
{
    if (b->len > 0) {
        db_bind_blob(s, i, b->data, b->len);
    } else {
        db_bind_null(s, i);
    }
}

/* Write the block: people[i] gets id first_id + i in organisation org,
 * in one transaction; the id counters then go on after the block. */
static void
write_block(struct db *db, const struct vault *v, int64_t first_id, int64_t org)
{
    struct sr_err err = { 0 };
    unsigned char block[32];
    CHECK(vault_blind_index(v, "nameblk", "a", 1, block, &err) == SR_OK);
    CHECK(db_begin_write(db, &err) == SR_OK);
    struct sr_buf name, dob;
    sr_buf_init(&name, 0);
    sr_buf_init(&dob, 0);
    int n_bad = 0;
    for (int i = 0; i < N_BLOCK; i++) {
        struct body *p = &people[i];
        p->id = first_id + i;
        make_name(p->name, sizeof p->name);
        unsigned k = pick(20);
        p->birth_year = k == 0 ? 0 : 1990 + (int)pick(6);
        if (k >= 16) {
            snprintf(p->birth_date, sizeof p->birth_date, "%d-0%u-1%u",
                     p->birth_year, 1 + pick(2), pick(2));
        }
        p->citizenship = pick(12) == 0 ? "KH" : pick(5) == 0 ? "" : "MM";
        char code[32];
        snprintf(code, sizeof code, "P-T%03d-%04d", i / 10000, i % 10000);
        n_bad += vault_encrypt(v, "person", "name", p->id, p->name,
                               strlen(p->name), &name, &err) != SR_OK;
        sr_buf_reset(&dob);
        if (p->birth_date[0] != '\0') {
            n_bad +=
                vault_encrypt(v, "person", "birth_date", p->id, p->birth_date,
                              strlen(p->birth_date), &dob, &err) != SR_OK;
        }
        struct db_stmt *s = db_stmt(db, &test_sql[Q_PUT_PERSON]);
        db_bind_i64(s, 1, p->id);
        db_bind_text(s, 2, code);
        db_bind_i64(s, 3, org);
        put_blob(s, 4, &name);
        put_blob(s, 5, &dob);
        db_bind_blob(s, 6, block, 32);
        if (p->birth_year != 0) {
            db_bind_int(s, 7, p->birth_year);
        } else {
            db_bind_null(s, 7);
        }
        db_bind_text(s, 8, p->citizenship);
        n_bad += db_step(s) != DB_DONE;
        db_done(s);
    }
    n_people = N_BLOCK;
    CHECK(n_bad == 0);
    vault_buf_wipe(&name);
    vault_buf_wipe(&dob);
    /* every 50th person was merged into another record: never suggested */
    for (int i = 25; i < N_BLOCK; i += 50) {
        people[i].is_merged = 1;
        struct db_stmt *s = db_stmt(db, &test_sql[Q_MERGE]);
        db_bind_i64(s, 1, people[0].id);
        db_bind_i64(s, 2, people[i].id);
        REQUIRE(db_step(s) == DB_DONE);
        db_done(s);
    }
    CHECK(db_commit(db, &err) == SR_OK);
    REQUIRE(db_ids_resume(db, &err) == SR_OK);
}

/* The block in the index's order: birth year (unknown first), then id. */
static int
index_order(const void *x, const void *y)
{
    const struct body *a = *(const struct body *const *)x;
    const struct body *b = *(const struct body *const *)y;
    if (a->birth_year != b->birth_year) {
        return a->birth_year < b->birth_year ? -1 : 1;
    }
    return (a->id > b->id) - (a->id < b->id);
}

struct expected {
    int64_t id[N_BLOCK];
    double score[N_BLOCK];
    int n;
    int n_date_out; /* name matches ruled out by a different birth date */
};

/* What the plain computation suggests for a new person like in. */
static void
expect(const struct person_input *in, struct expected *out)
{
    static const struct body *order[N_BLOCK + 8];
    for (int i = 0; i < n_people; i++) {
        order[i] = &people[i];
    }
    qsort(order, (size_t)n_people, sizeof order[0], index_order);
    int32_t a[REF_MAX], b[REF_MAX];
    size_t na = ref_strip(a, ref_cps(in->name, a));
    int year = in->birth_year;
    if (year == 0 && in->birth_date != NULL) {
        year = (int)strtol(in->birth_date, NULL, 10);
    }
    out->n = 0;
    out->n_date_out = 0;
    for (int i = 0; i < n_people && out->n < 200; i++) {
        const struct body *p = order[i];
        if (p->is_merged ||
            (year != 0 && p->birth_year != 0 &&
             (p->birth_year < year - 1 || p->birth_year > year + 1)) ||
            (p->citizenship[0] != '\0' &&
             strcmp(p->citizenship, in->citizenship) != 0)) {
            continue;
        }
        size_t nb = ref_strip(b, ref_cps(p->name, b));
        double score = ref_jw(a, na, b, nb);
        if (score < NAME_THRESHOLD) {
            continue;
        }
        if (in->birth_date != NULL && p->birth_date[0] != '\0' &&
            strcmp(p->birth_date, in->birth_date) != 0) {
            out->n_date_out++;
            continue;
        }
        out->id[out->n] = p->id;
        out->score[out->n] = score;
        out->n++;
    }
}

/* The stored name suggestions about person_b = new_id, oldest first. */
static void
stored(struct db *db, int64_t new_id, struct expected *out)
{
    struct db_stmt *s = db_stmt(db, &test_sql[Q_STORED]);
    db_bind_i64(s, 1, new_id);
    out->n = 0;
    int step;
    while ((step = db_step(s)) == DB_ROW && out->n < N_BLOCK) {
        out->id[out->n] = db_col_i64(s, 0);
        out->score[out->n] = db_col_double(s, 1);
        out->n++;
    }
    CHECK(step != DB_FAIL);
    db_done(s);
}

static int
same(const struct expected *a, const struct expected *b)
{
    if (a->n != b->n) {
        fprintf(stderr, "%d suggestions, %d expected\n", b->n, a->n);
        return 0;
    }
    for (int i = 0; i < a->n; i++) {
        if (a->id[i] != b->id[i] || a->score[i] != b->score[i]) {
            fprintf(stderr, "suggestion %d differs\n", i);
            return 0;
        }
    }
    return 1;
}

/* The single number a query reads, or -1. */
static int64_t
count_rows(struct db *db, enum test_stmt q)
{
    struct db_stmt *s = db_stmt(db, &test_sql[q]);
    int64_t n = db_step(s) == DB_ROW ? db_col_i64(s, 0) : -1;
    db_done(s);
    return n;
}

/* Overwrite the encrypted name of person id with zero bytes. */
static void
damage(struct db *db, int64_t id)
{
    struct db_stmt *s = db_stmt(db, &test_sql[Q_DAMAGE]);
    db_bind_i64(s, 1, id);
    CHECK(db_step(s) == DB_DONE);
    db_done(s);
    CHECK(db_changes(db) == 1);
}

static struct principal
make_user(struct db *db, struct vault *v, const char *name, const char *org,
          int64_t org_id, enum role role)
{
    struct principal p = { 0 };
    struct sr_err err = { 0 };
    int64_t id = 0;
    CHECK(user_add(db, v, 0, name, org, role_name(role),
                   "a long enough test password 1", &id, &err) == SR_OK);
    p.user_id = id;
    p.org_id = org_id;
    p.role = role;
    snprintf(p.username, sizeof p.username, "%s", name);
    return p;
}

int
main(void)
{
    struct vault *v = fixture_vault();
    struct db *db = fixture_db();
    struct sr_err err = { 0 };
    char org[32];
    int64_t org_id = 0;
    CHECK(org_add(db, v, 0, "Org A", "ngo", "TH", org, &org_id, &err) == SR_OK);
    struct principal cw =
        make_user(db, v, "t.cw", org, org_id, ROLE_CASEWORKER);
    struct case_input ci = { 0 };
    ci.traf_status = "actual";
    char kcode[32];
    CHECK(case_open(db, v, &cw, &ci, NULL, 0, kcode, NULL, &err) == SR_OK);
    write_block(db, v, 1000, org_id);
    static struct expected want, got;

    /* no birth year: the whole block is compared, over 200 match (the
     * cap keeps the first 200 in index order) */
    struct person_input in = { 0 };
    in.name = "Aung Kyaw Min Thu";
    in.citizenship = "MM";
    in.age_trafficked = -1;
    char code[32];
    int64_t id = 0;
    int n_dups = -1;
    CHECK(person_add(db, v, &cw, kcode, "victim", &in, code, &id, &n_dups,
                     &err) == SR_OK);
    expect(&in, &want);
    added(id, &in);
    stored(db, id, &got);
    CHECK(want.n == 200 && n_dups == 200);
    CHECK(same(&want, &got));

    /* a birth year and a date: the block narrows to 1989-1991 and the
     * unknown years, and a different known date rules a pair out */
    in.name = "U Aung Kyaw Min Thu";
    in.birth_date = "1990-01-10";
    CHECK(person_add(db, v, &cw, kcode, "victim", &in, code, &id, &n_dups,
                     &err) == SR_OK);
    expect(&in, &want);
    added(id, &in);
    stored(db, id, &got);
    CHECK(want.n > 20 && n_dups == want.n && want.n_date_out > 0);
    CHECK(same(&want, &got));

    /* a name fewer match: "Amara Lin Zaw" (about 1 in 300 of the block);
     * the no-match direction of the length bound: "A" */
    in.name = "Amara Lin Zaw";
    in.birth_date = NULL;
    CHECK(person_add(db, v, &cw, kcode, "victim", &in, code, &id, &n_dups,
                     &err) == SR_OK);
    expect(&in, &want);
    added(id, &in);
    stored(db, id, &got);
    CHECK(want.n > 0 && n_dups == want.n && same(&want, &got));
    in.name = "A";
    CHECK(person_add(db, v, &cw, kcode, "victim", &in, code, &id, &n_dups,
                     &err) == SR_OK);
    CHECK(n_dups == 0);
    added(id, &in);
    in.name = "Aung Kyaw Min Thu";

    int64_t n_audit = count_rows(db, Q_AUDIT_ROWS);

    /* a damaged name fails the whole add, naming its row, with nothing
     * written (no person, no suggestion, no audit row); with one in each
     * half, the one the block reaches first is named, as in one pass */
    static const struct body *order[N_BLOCK];
    for (int i = 0; i < N_BLOCK; i++) {
        order[i] = &people[i];
    }
    qsort(order, N_BLOCK, sizeof order[0], index_order);
    const struct body *early = NULL, *late = NULL;
    for (int i = 0; i < N_BLOCK; i++) {
        const struct body *p = order[i];
        if (!p->is_merged && strcmp(p->citizenship, "KH") != 0) {
            if (i > 100 && early == NULL) {
                early = p;
            }
            if (i > N_BLOCK - 100 && late == NULL) {
                late = p;
            }
        }
    }
    CHECK(early != NULL && late != NULL);
    int64_t n_rows = count_rows(db, Q_PEOPLE);
    int64_t n_sugg = count_rows(db, Q_SUGGESTIONS);
    char row[32];
    int loop_bad1 = 0;
    for (int round = 0; round < 2 && early != NULL && late != NULL; round++) {
        const struct body *named = round == 0 ? late : early;
        damage(db, named->id);
        TALLY(loop_bad1, person_add(db, v, &cw, kcode, "victim", &in, code, &id,
                                    &n_dups, &err) == SR_ECRYPTO);
        snprintf(row, sizeof row, "row %lld:", (long long)named->id);
        TALLY(loop_bad1, strstr(sr_err_msg(&err), row) != NULL);
        TALLY(loop_bad1, strstr(sr_err_msg(&err), "Aung") == NULL);
        sr_err_release(&err);
        TALLY(loop_bad1, count_rows(db, Q_PEOPLE) == n_rows);
        TALLY(loop_bad1, count_rows(db, Q_SUGGESTIONS) == n_sugg);
        TALLY(loop_bad1, count_rows(db, Q_AUDIT_ROWS) == n_audit);
    }
    CHECK(loop_bad1 == 0);

    db_close(db);
    vault_free(v);
    return TEST_DONE("test_person_dup");
}
