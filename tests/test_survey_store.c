/*
 * test_survey_store.c - survey data sets: identifying columns refused for
 * a role without identity permission (and the message names them),
 * dropped on request, kept only with permission; dictionary inference
 * and the dictionary file; the hash is stable and changes with the data;
 * KoboToolbox group paths and _index columns; the data are stored
 * encrypted; soft delete; bad input changes nothing.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <sqlite3.h>
#include <string.h>

#include <sodium.h>

#include "fixture.h"
#include "stats/frame.h"
#include "harness.h"
#include "base/principal.h"
#include "tally.h"
#include "stats/survey_store.h"

#include "core/banned.h"

static struct db *db;
static struct vault *vault;

/* The command line (may hold identities) or an analyst (may not). */
static const struct principal *
actor(bool may_hold_identity)
{
    static struct principal local, analyst;
    local = principal_local();
    memset(&analyst, 0, sizeof analyst);
    analyst.role = ROLE_ANALYST;
    return may_hold_identity ? &local : &analyst;
}

static int
import(const char *name, const char *csv, const char *dict, bool may, bool keep,
       bool drop, struct survey_imported *out, struct sr_err *err)
{
    struct survey_import in;
    memset(&in, 0, sizeof in);
    in.name = name;
    in.csv = csv;
    in.csv_len = strlen(csv);
    in.dictionary = dict;
    in.dictionary_len = dict ? strlen(dict) : 0;
    in.keep_identifying = keep;
    in.drop_identifying = drop;
    return survey_dataset_import(db, vault, actor(may), &in, out, err);
}

static int64_t
count_rows(const char *const *sqlp)
{
    struct db_stmt *s = db_stmt(db, sqlp);
    int64_t n = db_step(s) == DB_ROW ? db_col_i64(s, 0) : -1;
    db_done(s);
    return n;
}

static const char *const q_count = "SELECT count(*) FROM survey_dataset";
static const char *const q_raw = "SELECT data FROM survey_dataset";

struct cols {
    char text[1024];
};

static int
collect_col(const struct survey_column *c, void *ctx)
{
    struct cols *k = ctx;
    size_t n = strlen(k->text);
    snprintf(k->text + n, sizeof k->text - n, "%s%s:%s:%d", n ? "," : "",
             c->name, survey_type_name(c->type), c->is_identifying);
    return 0;
}

static void
test_identifying(void)
{
    struct sr_err err = { 0 };
    struct survey_imported out;
    const char *csv = "respondent_name,phone,age,trafficked\n"
                      "Aye Aye,0812345678,23,1\n"
                      "Somchai,0899999999,31,0\n";
    int64_t before = count_rows(&q_count);
    /* an analyst may not hold identities: refused, naming both columns */
    CHECK(import("s1", csv, NULL, false, false, false, &out, &err) == SR_EPERM);
    CHECK(strstr(sr_err_msg(&err), "'respondent_name'") != NULL);
    CHECK(strstr(sr_err_msg(&err), "'phone'") != NULL);
    CHECK(strstr(sr_err_msg(&err), "Aye") == NULL);
    sr_err_release(&err);
    /* asking to keep does not help without the permission */
    CHECK(import("s1", csv, NULL, false, true, false, &out, &err) == SR_EPERM);
    sr_err_release(&err);
    CHECK(count_rows(&q_count) == before);
    /* a coordinator must still choose */
    CHECK(import("s1", csv, NULL, true, false, false, &out, &err) == SR_EINVAL);
    sr_err_release(&err);
    /* dropped on request: two columns kept */
    CHECK(import("s1", csv, NULL, false, false, true, &out, &err) == SR_OK);
    CHECK(out.n_cols == 2 && out.n_dropped == 2 && out.n_rows == 2);
    struct sr_buf b;
    char sha[65];
    sr_buf_init(&b, 0);
    CHECK(survey_dataset_load(db, vault, actor(true), out.id, &b, sha, &err) ==
          SR_OK);
    CHECK_STR(b.data, "age,trafficked\n23,1\n31,0\n");
    CHECK(strstr(b.data, "Aye") == NULL && strstr(b.data, "0812") == NULL);
    vault_buf_wipe(&b);
    /* kept with permission, stored encrypted: not in the raw column */
    CHECK(import("s2", csv, NULL, true, true, false, &out, &err) == SR_OK);
    CHECK(out.n_cols == 4);
    struct db_stmt *s = db_stmt(db, &q_raw);
    int loop_bad1 = 0;
    while (db_step(s) == DB_ROW) {
        const char *blob = db_col_blob(s, 0);
        int len = (int)db_col_bytes(s, 0);
        for (int i = 0; i + 7 <= len; i++) {
            TALLY(loop_bad1, memcmp(blob + i, "Somchai", 7) != 0);
        }
    }
    CHECK(loop_bad1 == 0);
    db_done(s);
    /* HXL tags mark identity too: #contact+phone, #affected+name */
    CHECK(survey_is_identifying("x1", "#contact+phone", SURVEY_NUMERIC));
    CHECK(survey_is_identifying("x2", "#affected+name", SURVEY_CATEGORICAL));
    CHECK(!survey_is_identifying("x3", "#affected+age", SURVEY_NUMERIC));
    CHECK(survey_is_identifying("group/Mobile_Number", "", SURVEY_NUMERIC));
    CHECK(!survey_is_identifying("grp/_index", "", SURVEY_NUMERIC));
    CHECK(survey_is_identifying("story", "", SURVEY_TEXT));
}

static void
test_dictionary(void)
{
    struct sr_err err = { 0 };
    struct survey_imported out;
    struct sr_buf csv;
    sr_buf_init(&csv, 0);
    /* 60 rows: id-like text (60 distinct of 60) is free text; sex has two
     * values; a date column; a numeric column with one missing cell */
    sr_buf_adds(&csv, "code,sex,visit,score\n");
    for (int i = 0; i < 60; i++) {
        sr_buf_printf(&csv, "R%03dX,%s,2024-01-%02d,%s\n", i, i % 2 ? "f" : "m",
                      1 + i % 28, i == 5 ? "NA" : "3.5");
    }
    CHECK(import("dict", csv.data, NULL, false, false, false, &out, &err) ==
          SR_EPERM);
    CHECK(strstr(sr_err_msg(&err), "'code'") != NULL);
    sr_err_release(&err);
    /* the dictionary file clears the flag (an id that identifies no one),
     * sets a label and value labels */
    const char *dict = "column,type,identifying,label,values\n"
                       "code,categorical,0,Study code,\n"
                       "sex,,,Sex,m=male;f=female\n";
    CHECK(import("dict", csv.data, dict, false, false, false, &out, &err) ==
          SR_OK);
    struct cols k = { "" };
    CHECK(survey_dataset_columns(db, actor(true), out.id, collect_col, &k,
                                 &err) == SR_OK);
    CHECK_STR(k.text, "code:categorical:0,sex:categorical:0,visit:date:0,"
                      "score:numeric:0");
    /* a bad dictionary names the line and changes nothing */
    int64_t before = count_rows(&q_count);
    CHECK(import("dict2", csv.data, "column,type\nsex,integer\n", false, false,
                 true, &out, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "line 2") != NULL);
    sr_err_release(&err);
    CHECK(import("dict2", csv.data, "column\nnope\n", false, false, true, &out,
                 &err) == SR_EINVAL);
    sr_err_release(&err);
    CHECK(count_rows(&q_count) == before);
    /* editing: an analyst may mark, not unmark */
    CHECK(survey_dataset_find(db, actor(true), "dict", &out.id, &err) == SR_OK);
    CHECK(survey_column_update(db, vault, actor(false), out.id, 1, NULL,
                               "Sex at birth", 1, &err) == SR_OK);
    CHECK(survey_column_update(db, vault, actor(false), out.id, 1, NULL, NULL,
                               0, &err) == SR_EPERM);
    sr_err_release(&err);
    CHECK(survey_column_update(db, vault, actor(true), out.id, 1, "integer",
                               NULL, -1, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "type") != NULL);
    sr_err_release(&err);
    CHECK(survey_column_update(db, vault, actor(true), out.id, 1, NULL, NULL, 0,
                               &err) == SR_OK);
    k.text[0] = '\0';
    CHECK(survey_dataset_columns(db, actor(true), out.id, collect_col, &k,
                                 &err) == SR_OK);
    CHECK(strstr(k.text, "sex:categorical:0") != NULL);
    vault_buf_wipe(&csv);
}

static void
test_hash_and_kobo(void)
{
    struct sr_err err = { 0 };
    struct survey_imported a, b, c;
    /* Kobo export: group paths, _index; HXL row */
    const char *kobo = "start,grp_work/recruited_by,grp_work/paid,_index\n"
                       "#date,#x_recruiter,#x_paid,\n"
                       "2024-01-01,broker,1,1\n"
                       "2024-01-02,family,0,2\n";
    CHECK(import("kobo", kobo, NULL, false, false, false, &a, &err) == SR_OK);
    CHECK(a.n_cols == 4);
    /* the same data with CRLF and a BOM gives the same canonical CSV and
     * hash; the hash is the SHA-256 of that CSV */
    const char *kobo2 = "\xEF\xBB\xBFstart,grp_work/recruited_by,"
                        "grp_work/paid,_index\r\n"
                        "#date,#x_recruiter,#x_paid,\r\n"
                        "2024-01-01,broker,1,1\r\n"
                        "2024-01-02,family,0,2\r\n";
    CHECK(import("kobo2", kobo2, NULL, false, false, false, &b, &err) == SR_OK);
    CHECK_STR(a.sha256, b.sha256);
    const char *canon = "start,grp_work/recruited_by,grp_work/paid,_index\n"
                        "#date,#x_recruiter,#x_paid,\n"
                        "2024-01-01,broker,1,1\n"
                        "2024-01-02,family,0,2\n";
    unsigned char h[32];
    char hex[65];
    crypto_hash_sha256(h, (const unsigned char *)canon, strlen(canon));
    vault_hex(h, 32, hex);
    CHECK_STR(a.sha256, hex);
    /* one cell changed: another hash */
    const char *kobo3 = "start,grp_work/recruited_by,grp_work/paid,_index\n"
                        "2024-01-01,broker,1,1\n"
                        "2024-01-02,family,1,2\n";
    CHECK(import("kobo3", kobo3, NULL, false, false, false, &c, &err) == SR_OK);
    CHECK(strcmp(a.sha256, c.sha256) != 0);
    /* names: taken, empty, control characters */
    CHECK(import("kobo", kobo, NULL, false, false, false, &c, &err) ==
          SR_ECONFLICT);
    sr_err_release(&err);
    CHECK(import("", kobo, NULL, false, false, false, &c, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "name") != NULL);
    sr_err_release(&err);
    CHECK(import("a\nb", kobo, NULL, false, false, false, &c, &err) ==
          SR_EINVAL);
    sr_err_release(&err);
    /* a ragged CSV names the line */
    CHECK(import("bad", "a,b\n1,2\n3\n", NULL, false, false, false, &c, &err) ==
          SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "line 3") != NULL);
    sr_err_release(&err);
    /* find by name or code; delete needs a reason; deleted is gone */
    int64_t id = 0;
    CHECK(survey_dataset_find(db, actor(true), "kobo", &id, &err) == SR_OK &&
          id == a.id);
    CHECK(survey_dataset_find(db, actor(true), a.code, &id, &err) == SR_OK &&
          id == a.id);
    CHECK(survey_dataset_delete(db, vault, actor(true), a.id, "", &err) ==
          SR_EINVAL);
    sr_err_release(&err);
    CHECK(survey_dataset_delete(db, vault, actor(true), a.id,
                                "duplicate upload", &err) == SR_OK);
    CHECK(survey_dataset_find(db, actor(true), "kobo", &id, &err) ==
          SR_ENOTFOUND);
    sr_err_release(&err);
    CHECK(survey_dataset_delete(db, vault, actor(true), a.id, "again", &err) ==
          SR_ENOTFOUND);
    sr_err_release(&err);
    /* the name is free again */
    CHECK(import("kobo", kobo, NULL, false, false, false, &c, &err) == SR_OK);
}

int
main(void)
{
    vault = fixture_vault();
    db = fixture_db();
    test_identifying();
    test_dictionary();
    test_hash_and_kobo();
    db_close(db);
    vault_free(vault);
    return TEST_DONE("test_survey_store");
}
