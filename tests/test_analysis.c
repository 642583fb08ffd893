/*
 * test_analysis.c - analyses on stored data sets: prevalence of 92 in 400
 * (EXPECTED.md's binomial intervals), a 2x2 odds ratio (ad/bc by hand),
 * Kosovo 1999's BIC-best model (EXPECTED.md), RDS with a seeded
 * bootstrap; each is recorded with its inputs and a rerun gives the
 * identical numbers; altered data are detected; bad options name the
 * option and record nothing.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "stats/analysis.h"
#include "render/forest.h"
#include "fixture.h"
#include "harness.h"
#include "stats/survey_store.h"
#include "base/principal.h"

#include "core/banned.h"

static struct db *db;
static struct vault *vault;
static struct principal cli; /* principal_local(), set in main() */

static int64_t
import_text(const char *name, const char *csv)
{
    struct survey_import in;
    struct survey_imported out;
    struct sr_err err = { 0 };
    memset(&in, 0, sizeof in);
    in.name = name;
    in.csv = csv;
    in.csv_len = strlen(csv);
    in.drop_identifying = true;
    int rc = survey_dataset_import(db, vault, &cli, &in, &out, &err);
    CHECK(rc == SR_OK);
    if (rc != SR_OK) {
        fprintf(stderr, "import %s: %s\n", name, sr_err_msg(&err));
    }
    sr_err_release(&err);
    return rc == SR_OK ? out.id : 0;
}

static char *
read_shared(const char *rel)
{
    const char *base = getenv("SIREN_SHARED");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", base ? base : "../shared", rel);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return NULL;
    }
    struct sr_buf b;
    char chunk[4096];
    size_t n;
    sr_buf_init(&b, 0);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        sr_buf_add(&b, chunk, n);
    }
    fclose(f);
    return sr_buf_detach(&b, NULL);
}

/* the value of key in the row of table whose first field equals first */
static double
cell(const json_t *res, const char *table, const char *key_col, const char *key,
     const char *col)
{
    const json_t *rows = json_object_get(json_object_get(res, "tables"), table);
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *k = json_string_value(json_object_get(row, key_col));
        if (k != NULL && strcmp(k, key) == 0) {
            return json_number_value(json_object_get(row, col));
        }
    }
    return -1;
}

static json_t *
run(const char *method, int64_t ds, const char *opts_json, int64_t *id)
{
    struct sr_err err = { 0 };
    json_t *opts = json_loads(opts_json, 0, NULL);
    json_t *res = NULL;
    int rc = analysis_run(db, vault, &cli, method, ds, opts, 0, id, &res, &err);
    CHECK(rc == SR_OK);
    if (rc != SR_OK) {
        fprintf(stderr, "%s: %s\n", method, sr_err_msg(&err));
    }
    sr_err_release(&err);
    json_decref(opts);
    return res;
}

static void
check_rerun(int64_t id)
{
    struct sr_err err = { 0 };
    bool is_same = false;
    CHECK(analysis_rerun(db, vault, &cli, id, &is_same, &err) == SR_OK);
    CHECK(is_same);
    sr_err_release(&err);
}

struct rec {
    char method[16], options[256], version[32];
    int64_t seed;
};

static int
keep(const struct survey_analysis_row *r, void *ctx)
{
    struct rec *k = ctx;
    snprintf(k->method, sizeof k->method, "%s", r->method);
    snprintf(k->options, sizeof k->options, "%s", r->options);
    snprintf(k->version, sizeof k->version, "%s", r->version);
    k->seed = r->seed;
    return 1;
}

static void
test_prevalence(void)
{
    struct sr_buf csv;
    int64_t id = 0;
    sr_buf_init(&csv, 0);
    sr_buf_adds(&csv, "trafficked,sex\n");
    for (int i = 0; i < 400; i++) {
        sr_buf_printf(&csv, "%d,%s\n", i < 92 ? 1 : 0, i % 3 ? "m" : "f");
    }
    int64_t ds = import_text("deportees", csv.data);
    json_t *res = run("prevalence", ds, "{\"outcome\":\"trafficked\"}", &id);
    /* EXPECTED.md: 92 of 400, Wilson 0.191444 - 0.273693, Clopper-Pearson
     * 0.189639 - 0.274408 */
    CHECK_NEAR(cell(res, "intervals", "method", "wilson", "lower"), 0.191444,
               3e-6);
    CHECK_NEAR(cell(res, "intervals", "method", "wilson", "upper"), 0.273693,
               3e-6);
    CHECK_NEAR(cell(res, "intervals", "method", "clopper-pearson", "lower"),
               0.189639, 3e-6);
    CHECK_NEAR(cell(res, "intervals", "method", "clopper-pearson", "upper"),
               0.274408, 3e-6);
    CHECK_NEAR(cell(res, "estimates", "group", "all", "estimate"), 0.23, 1e-12);
    json_decref(res);
    check_rerun(id);
    struct rec k;
    struct sr_err err = { 0 };
    CHECK(survey_analysis_get(db, &cli, id, keep, &k, &err) == SR_OK);
    CHECK_STR(k.method, "prevalence");
    CHECK_STR(k.options, "{\"outcome\":\"trafficked\"}");
    CHECK(k.seed == 0);
    CHECK(k.version[0] != '\0');
    /* by subgroup */
    res = run("prevalence", ds, "{\"outcome\":\"trafficked\",\"by\":\"sex\"}",
              &id);
    /* rows i % 3 == 0 are f: 134 rows, of which i < 92 and i % 3 == 0:
     * 31 (0, 3, ..., 90) */
    const json_t *rows =
        json_object_get(json_object_get(res, "tables"), "estimates");
    CHECK(json_array_size(rows) == 3);
    CHECK_NEAR(
        json_number_value(json_object_get(json_array_get(rows, 1), "estimate")),
        31.0 / 134.0, 1e-12);
    json_decref(res);
    /* bad options: named, nothing recorded */
    json_t *o =
        json_loads("{\"outcome\":\"trafficked\",\"colour\":\"x\"}", 0, NULL);
    int64_t id2 = 0;
    CHECK(analysis_run(db, vault, &cli, "prevalence", ds, o, 0, &id2, NULL,
                       &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "colour") != NULL);
    sr_err_release(&err);
    json_decref(o);
    o = json_loads("{\"outcome\":\"nope\"}", 0, NULL);
    CHECK(analysis_run(db, vault, &cli, "prevalence", ds, o, 0, &id2, NULL,
                       &err) != SR_OK);
    CHECK(strstr(sr_err_msg(&err), "nope") != NULL);
    sr_err_release(&err);
    json_decref(o);
    CHECK(analysis_run(db, vault, &cli, "regression", ds, NULL, 0, &id2, NULL,
                       &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "method") != NULL);
    sr_err_release(&err);
    CHECK(id2 == 0);
    vault_buf_wipe(&csv);
}

static void
test_risk(void)
{
    struct sr_buf csv;
    int64_t id = 0;
    sr_buf_init(&csv, 0);
    /* exposed: 30 cases, 70 controls; unexposed: 20 cases, 180 controls.
     * Odds ratio ad/bc = 30 * 180 / (70 * 20) = 3.857142857 */
    sr_buf_adds(&csv, "case,broker\n");
    for (int i = 0; i < 30; i++) {
        sr_buf_adds(&csv, "1,yes\n");
    }
    for (int i = 0; i < 70; i++) {
        sr_buf_adds(&csv, "0,yes\n");
    }
    for (int i = 0; i < 20; i++) {
        sr_buf_adds(&csv, "1,no\n");
    }
    for (int i = 0; i < 180; i++) {
        sr_buf_adds(&csv, "0,no\n");
    }
    int64_t ds = import_text("brokers", csv.data);
    json_t *res = run("risk", ds,
                      "{\"outcome\":\"case\",\"predictors\":\"broker\","
                      "\"ref\":\"broker=no\"}",
                      &id);
    CHECK_NEAR(cell(res, "coefficients", "term", "broker=yes", "odds_ratio"),
               30.0 * 180.0 / (70.0 * 20.0), 1e-8);
    json_decref(res);
    check_rerun(id);
    vault_buf_wipe(&csv);
}

static void
test_mse_rds(void)
{
    int64_t id = 0;
    char *kosovo = read_shared("data/mse/kosovo1999_4lists.csv");
    char *rds = read_shared("data/rds/rds_fauxmadrona.csv");
    CHECK(kosovo != NULL && rds != NULL);
    if (kosovo == NULL || rds == NULL) {
        free(kosovo);
        free(rds);
        return;
    }
    int64_t ds = import_text("kosovo", kosovo);
    json_t *res = run("mse", ds, "{\"max-order\":\"3\"}", &id);
    const json_t *info = json_object_get(res, "info");
    /* EXPECTED.md: BIC-best [123,14,34], N = 10356.5, profile 8994.3 -
     * 12110.4 */
    CHECK_STR(json_string_value(json_object_get(info, "chosen_model")),
              "[123,14,34]");
    CHECK_NEAR(json_number_value(json_object_get(info, "estimate")), 10356.5,
               1e-4);
    CHECK_NEAR(json_number_value(json_object_get(info, "profile_lower")),
               8994.3, 1e-4);
    CHECK(json_array_size(
              json_object_get(json_object_get(res, "tables"), "models")) == 20);
    json_decref(res);
    check_rerun(id);
    ds = import_text("madrona", rds);
    res = run("rds", ds, "{\"trait\":\"disease\",\"boot\":\"200\"}", &id);
    struct rec k;
    struct sr_err err = { 0 };
    CHECK(survey_analysis_get(db, &cli, id, keep, &k, &err) == SR_OK);
    CHECK(k.seed > 0); /* a bootstrap: a seed was drawn and recorded */
    CHECK(json_is_real(json_object_get(
        json_array_get(
            json_object_get(json_object_get(res, "tables"), "estimates"), 1),
        "se")));
    json_decref(res);
    check_rerun(id);
    free(kosovo);
    free(rds);
}

/* the x of the n-th point (class forest-pt) in svg, plus its half width */
static double
point_x(const char *svg, int n)
{
    const char *p = svg;
    double x = -1;
    for (int i = 0; i <= n && p != NULL; i++) {
        p = strstr(p, "class=\"forest-pt\" x=\"");
        if (p != NULL) {
            p += strlen("class=\"forest-pt\" x=\"");
            x = strtod(p, NULL) + 5;
        }
    }
    return p != NULL ? x : -1;
}

static void
test_forest(void)
{
    struct html h;
    struct forest_row rows[] = {
        { "<script>alert(1)</script>", 1, 0.5, 2 },
        { "a\"b'c&d", 10, 5, 20 },
        { "age", 100, 50, NAN },
    };
    html_init(&h, 0);
    CHECK(forest_svg(&h, "Odds <ratios>", rows, 3) == SR_OK);
    /* escaping: no label reaches the markup raw */
    CHECK(strstr(h.buf.data, "<script>") == NULL);
    CHECK(strstr(h.buf.data, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
    CHECK(strstr(h.buf.data, "a&quot;b&#39;c&amp;d") != NULL ||
          strstr(h.buf.data, "a&#34;b&#39;c&amp;d") != NULL);
    CHECK(strstr(h.buf.data, "<title>Odds &lt;ratios&gt;</title>") != NULL);
    /* log scale: 1, 10, 100 equally spaced (to the 0.1 px of the output) */
    double x1 = point_x(h.buf.data, 0), x10 = point_x(h.buf.data, 1);
    double x100 = point_x(h.buf.data, 2);
    CHECK(x1 > 0 && x10 > x1 && x100 > x10);
    CHECK(fabs((x10 - x1) - (x100 - x10)) < 0.2);
    /* the scale spans whole decades and includes 1 */
    struct forest_scale s;
    forest_scale_init(&s, rows, 3, 0, 300);
    CHECK_NEAR(s.lo, 0.1, 1e-12);
    CHECK_NEAR(s.hi, 100, 1e-12);
    /* 0.1 -> 0, 1 -> 100, 10 -> 200, 100 -> 300: 100 px per decade */
    CHECK_NEAR(forest_x(&s, 1), 100, 1e-9);
    CHECK_NEAR(forest_x(&s, sqrt(10)), 150, 1e-9);
    CHECK(forest_x(&s, 1e6) == 300 && forest_x(&s, -1) == 0);
    /* the open upper limit of the third row gets an arrow: its group has
     * three lines (interval and two strokes), the first row's one */
    const char *g = h.buf.data;
    int lines[3] = { 0, 0, 0 };
    for (int i = 0; i < 3; i++) {
        g = g != NULL ? strstr(g, "<g class=\"forest-row\">") : NULL;
        /* the first </g> closes the row's group of lines */
        const char *end = g != NULL ? strstr(g, "</g>") : NULL;
        for (const char *q = g; q != NULL && q < end;
             q = strstr(q + 1, "<line")) {
            lines[i] += q != g;
        }
        g = end;
    }
    CHECK(lines[0] == 1 && lines[1] == 1 && lines[2] == 3);
    html_release(&h);
}

int
main(void)
{
    cli = principal_local();
    gsl_set_error_handler_off();
    vault = fixture_vault();
    db = fixture_db();
    test_prevalence();
    test_risk();
    test_mse_rds();
    test_forest();
    db_close(db);
    vault_free(vault);
    return TEST_DONE("test_analysis");
}
