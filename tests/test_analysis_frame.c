/*
 * test_analysis_frame.c - analysis_compute_frame(), the one computation
 * of prevalence, risk and RDS that stored analyses and `siren stats`
 * share: both report forms carry the same numbers (a hand-worked survey
 * design, se = sqrt(1762)/144; a 2x2 odds ratio ad/bc = 3.5; an RDS
 * sample proportion counted by hand) and differ only in the keys
 * enum analysis_form lists; analysis_binomial() against EXPECTED.md
 * (92 of 400); analysis_check_options() names the option of each bad
 * value before any data is read; analysis_mse_rank(), the model ranking
 * of stored MSE and `siren stats mse`, against EXPECTED.md (Kosovo 1999).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "stats/analysis.h"
#include "core/buf.h"
#include "stats/frame.h"
#include "harness.h"
#include "stats/capture.h"

#include "core/banned.h"

/* the design of tests/test_stats_survey.c plus a respondent without an
 * outcome (sex x): estimate 7/12, se sqrt(1762)/144 = 0.2915013 */
static const char svy_csv[] = "id,trafficked,w,stratum,psu,sex\n"
                              "1,1,2,1,1,m\n"
                              "2,0,2,1,1,f\n"
                              "3,1,1,1,2,f\n"
                              "4,0,3,2,1,m\n"
                              "5,1,3,2,2,f\n"
                              "6,1,1,2,2,m\n"
                              "7,,1,2,2,x\n";

static void
frame_of(struct frame *f, const char *csv)
{
    struct sr_err err = { 0 };
    CHECK(frame_parse(f, csv, strlen(csv), NULL, &err) == SR_OK);
    sr_err_release(&err);
}

static json_t *
compute(const char *method, const struct frame *f, const char *opts_json,
        unsigned long seed, enum analysis_form form)
{
    struct sr_err err = { 0 };
    json_t *opts = json_loads(opts_json, 0, NULL), *res = NULL;
    CHECK(opts != NULL);
    int rc = analysis_compute_frame(method, f, opts, seed, form, &res, &err);
    CHECK(rc == SR_OK);
    if (rc != SR_OK) {
        fprintf(stderr, "%s %s: %s\n", method, opts_json, sr_err_msg(&err));
    }
    sr_err_release(&err);
    json_decref(opts);
    return res;
}

/* the error message of a failing computation, or "" */
static void
compute_err(const char *method, const struct frame *f, const char *opts_json,
            const char *want)
{
    struct sr_err err = { 0 };
    json_t *opts = json_loads(opts_json, 0, NULL), *res = NULL;
    CHECK(analysis_compute_frame(method, f, opts, 1, ANALYSIS_FORM_CLI, &res,
                                 &err) == SR_EINVAL);
    CHECK(res == NULL);
    CHECK(strstr(sr_err_msg(&err), want) != NULL);
    if (strstr(sr_err_msg(&err), want) == NULL) {
        fprintf(stderr, "want '%s' in '%s'\n", want, sr_err_msg(&err));
    }
    sr_err_release(&err);
    json_decref(opts);
}

static const json_t *
info(const json_t *rep, const char *key)
{
    return json_object_get(json_object_get(rep, "info"), key);
}

static const json_t *
row(const json_t *rep, const char *table, size_t i)
{
    return json_array_get(
        json_object_get(json_object_get(rep, "tables"), table), i);
}

/* the tables of a and b hold the same numbers under the keys both have */
static bool
same_numbers(const json_t *a, const json_t *b, const char *table)
{
    size_t n =
        json_array_size(json_object_get(json_object_get(a, "tables"), table));
    if (n == 0) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const char *key;
        const json_t *va;
        json_object_foreach((json_t *)row(a, table, i), key, va)
        {
            const json_t *vb = json_object_get(row(b, table, i), key);
            if (vb != NULL && !json_equal((json_t *)va, (json_t *)vb)) {
                return false;
            }
        }
    }
    return true;
}

static void
test_binomial(void)
{
    struct sr_err err = { 0 };
    json_t *rep = NULL;
    CHECK(analysis_binomial(92, 400, 0.95, &rep, &err) == SR_OK);
    CHECK_STR(json_string_value(json_object_get(rep, "command")), "prevalence");
    CHECK_NEAR(json_real_value(info(rep, "estimate")), 0.23, 1e-12);
    /* EXPECTED.md: Wilson 0.191444 to 0.273693, Clopper-Pearson 0.189639
     * to 0.274408 (6 decimals) */
    CHECK_STR(
        json_string_value(json_object_get(row(rep, "intervals", 0), "method")),
        "wilson");
    CHECK(fabs(json_real_value(
                   json_object_get(row(rep, "intervals", 0), "lower")) -
               0.191444) < 6e-7);
    CHECK(fabs(json_real_value(
                   json_object_get(row(rep, "intervals", 0), "upper")) -
               0.273693) < 6e-7);
    json_decref(rep);
}

static void
test_prevalence_forms(void)
{
    struct frame f = { 0 };
    frame_of(&f, svy_csv);
    const char *design = "{\"outcome\":\"trafficked\",\"weight\":\"w\","
                         "\"strata\":\"stratum\",\"cluster\":\"psu\","
                         "\"by\":\"sex\"}";
    json_t *st = compute("prevalence", &f, design, 0, ANALYSIS_FORM_STORED);
    json_t *cli = compute("prevalence", &f, design, 0, ANALYSIS_FORM_CLI);
    CHECK_STR(json_string_value(json_object_get(st, "method")), "prevalence");
    CHECK_STR(json_string_value(json_object_get(cli, "command")), "prevalence");
    CHECK(json_object_get(cli, "method") == NULL);
    CHECK_NEAR(
        json_real_value(json_object_get(row(cli, "estimates", 0), "estimate")),
        7.0 / 12, 1e-12);
    CHECK_NEAR(json_real_value(json_object_get(row(cli, "estimates", 0), "se")),
               sqrt(1762.0) / 144, 1e-9);
    CHECK(same_numbers(st, cli, "estimates"));
    /* x (1 in the subgroup x has no outcome): n 0, numbers null */
    CHECK_STR(
        json_string_value(json_object_get(row(cli, "estimates", 3), "level")),
        "x");
    CHECK(json_integer_value(json_object_get(row(cli, "estimates", 3), "n")) ==
          0);
    CHECK(json_is_null(json_object_get(row(cli, "estimates", 3), "se")));
    CHECK(json_object_size(row(cli, "estimates", 3)) ==
          json_object_size(row(cli, "estimates", 0)));
    /* the stored form's x and n (4 of 6 answered), not the CLI's */
    CHECK(json_integer_value(info(st, "x")) == 4);
    CHECK(json_integer_value(info(st, "n")) == 6);
    CHECK(info(cli, "x") == NULL && info(cli, "n") == NULL);
    json_decref(st);
    json_decref(cli);

    /* no design: the stored form adds the binomial intervals of 4 of 6 */
    st = compute("prevalence", &f, "{\"outcome\":\"trafficked\"}", 0,
                 ANALYSIS_FORM_STORED);
    cli = compute("prevalence", &f, "{\"outcome\":\"trafficked\"}", 0,
                  ANALYSIS_FORM_CLI);
    CHECK_NEAR(
        json_real_value(json_object_get(row(st, "intervals", 4), "estimate")),
        4.0 / 6, 1e-12);
    CHECK(row(cli, "intervals", 0) == NULL);
    CHECK(same_numbers(st, cli, "estimates"));
    json_decref(st);
    json_decref(cli);
    frame_release(&f);
}

static void
test_risk_forms(void)
{
    struct frame f = { 0 };
    struct sr_buf b;
    /* a=30 b=20 c=15 d=35: OR = ad/bc = 3.5 */
    sr_buf_init(&b, 0);
    (void)sr_buf_adds(&b, "trafficked,exposed,w\n");
    for (int i = 0; i < 100; i++) {
        int y = i < 30 || (i >= 50 && i < 65);
        (void)sr_buf_printf(&b, "%d,%s,%d\n", y, i < 50 ? "yes" : "no",
                            1 + i % 3);
    }
    frame_of(&f, b.data);
    sr_buf_release(&b);
    const char *plain = "{\"outcome\":\"trafficked\",\"predictors\":"
                        "\"exposed\",\"ref\":\"exposed=no\"}";
    json_t *st = compute("risk", &f, plain, 0, ANALYSIS_FORM_STORED);
    json_t *cli = compute("risk", &f, plain, 0, ANALYSIS_FORM_CLI);
    CHECK_STR(
        json_string_value(json_object_get(row(cli, "coefficients", 1), "term")),
        "exposed=yes");
    CHECK_NEAR(json_real_value(
                   json_object_get(row(cli, "coefficients", 1), "odds_ratio")),
               3.5, 1e-6);
    CHECK(same_numbers(cli, st, "coefficients"));
    CHECK(same_numbers(cli, st, "tests"));
    /* profile columns: always in the stored form, asked for in the CLI's */
    CHECK(json_is_null(
        json_object_get(row(st, "coefficients", 1), "profile_lower")));
    CHECK(json_object_get(row(cli, "coefficients", 1), "profile_lower") ==
          NULL);
    json_decref(st);
    json_decref(cli);

    const char *weighted = "{\"outcome\":\"trafficked\",\"predictors\":"
                           "\"exposed\",\"weight\":\"w\"}";
    st = compute("risk", &f, weighted, 0, ANALYSIS_FORM_STORED);
    cli = compute("risk", &f, weighted, 0, ANALYSIS_FORM_CLI);
    /* 100 rows, no strata or clusters: design df n - 1 = 99 */
    CHECK_NEAR(json_real_value(info(cli, "design_df")), 99, 1e-12);
    CHECK(info(st, "design_df") == NULL);
    CHECK(same_numbers(cli, st, "coefficients"));
    json_decref(st);
    json_decref(cli);
    frame_release(&f);

    /* predictors go through stats_risk_column() in both forms: below
     * double's range is an error naming the line, above it categorical */
    frame_of(&f, "y,age\n1,20\n0,30\n1,1e-400\n0,25\n");
    compute_err("risk", &f, "{\"outcome\":\"y\",\"predictors\":\"age\"}",
                "column 'age', line 4: not a number");
    frame_release(&f);
    frame_of(&f, "y,age\n1,20\n0,1e400\n1,20\n0,1e400\n1,1e400\n0,20\n");
    st = compute("risk", &f, "{\"outcome\":\"y\",\"predictors\":\"age\"}", 0,
                 ANALYSIS_FORM_STORED);
    CHECK_STR(
        json_string_value(json_object_get(row(st, "coefficients", 1), "term")),
        "age=20");
    json_decref(st);
    frame_release(&f);
}

static void
test_rds_forms(void)
{
    struct frame f = { 0 };
    /* one seed, 6 respondents, 3 with the trait: sample proportion 1/2 */
    frame_of(&f, "id,recruiter.id,network.size,t\n"
                 "a,seed,3,1\nb,a,2,0\nc,a,4,1\nd,b,2,1\ne,b,5,0\n"
                 "f,d,3,0\n");
    const char *o = "{\"trait\":\"t\",\"boot\":\"0\"}";
    json_t *st = compute("rds", &f, o, 9, ANALYSIS_FORM_STORED);
    json_t *cli = compute("rds", &f, o, 9, ANALYSIS_FORM_CLI);
    CHECK_STR(json_string_value(
                  json_object_get(row(cli, "estimates", 2), "estimator")),
              "sample");
    CHECK_NEAR(
        json_real_value(json_object_get(row(cli, "estimates", 2), "estimate")),
        0.5, 1e-12);
    CHECK(same_numbers(cli, st, "estimates"));
    CHECK(json_integer_value(info(cli, "bootstrap_seed")) == 9);
    CHECK(json_is_null(info(st, "trait_value")));
    CHECK(info(cli, "trait_value") == NULL);
    CHECK_STR(json_string_value(info(cli, "missing_degree")), "dropped");
    CHECK(info(st, "missing_degree") == NULL);
    json_decref(st);
    json_decref(cli);
    /* a trait that is not 0/1 without value: the column and line */
    compute_err("rds", &f, "{\"trait\":\"network.size\",\"boot\":\"0\"}",
                "column 'network.size', line 2: value out of range [0, 1]");
    frame_release(&f);
}

static void
check_opts(const char *method, const char *opts_json, const char *want)
{
    struct sr_err err = { 0 };
    json_t *opts = json_loads(opts_json, 0, NULL);
    int rc = analysis_check_options(method, opts, &err);
    if (want == NULL) {
        CHECK(rc == SR_OK);
    } else {
        CHECK(rc == SR_EINVAL);
        /* the message starts with the option's name */
        CHECK(strncmp(sr_err_msg(&err), want, strlen(want)) == 0);
        if (strncmp(sr_err_msg(&err), want, strlen(want)) != 0) {
            fprintf(stderr, "want '%s...', got '%s'\n", want, sr_err_msg(&err));
        }
    }
    sr_err_release(&err);
    json_decref(opts);
}

static void
test_check_options(void)
{
    struct frame f = { 0 };
    struct sr_buf b;
    check_opts("prevalence", "{\"outcome\":\"y\"}", NULL);
    check_opts("prevalence", "{}", "outcome: required");
    check_opts("prevalence", "{\"outcome\":\"y\",\"lonely\":\"nope\"}",
               "lonely: ");
    check_opts("prevalence", "{\"outcome\":\"y\",\"level\":\"1.5\"}",
               "level: ");
    check_opts("prevalence", "{\"outcome\":\"y\",\"colour\":\"red\"}",
               "options: 'colour'");
    check_opts("risk", "{\"outcome\":\"y\"}", "predictors: required");
    check_opts("risk", "{\"outcome\":\"y\",\"predictors\":\",,\"}",
               "predictors: ");
    check_opts("risk", "{\"outcome\":\"y\",\"predictors\":\"a\",\"ref\":\"a\"}",
               "ref: need COL=LEVEL");
    check_opts("risk",
               "{\"outcome\":\"y\",\"predictors\":\"a\",\"ref\":\"b=1\"}",
               "ref: 'b' is not in predictors");
    check_opts("risk",
               "{\"outcome\":\"y\",\"predictors\":\"a\",\"profile\":\"1\","
               "\"weight\":\"w\"}",
               "profile: ");
    check_opts("risk",
               "{\"outcome\":\"y\",\"predictors\":\"a\",\"profile\":\"0\","
               "\"weight\":\"w\"}",
               NULL);
    check_opts("rds", "{}", "trait: required");
    check_opts("rds", "{\"trait\":\"t\",\"boot\":\"100001\"}", "boot: ");
    check_opts("rds", "{\"trait\":\"t\",\"missing-degree\":\"x\"}",
               "missing-degree: ");
    check_opts("mse", "{\"model\":\"stepwise\"}", NULL);
    check_opts("nosuch", "{}", "method: ");

    /* option errors come before the data is read: the column is absent */
    frame_of(&f, svy_csv);
    compute_err("prevalence", &f, "{\"outcome\":\"nosuch\",\"lonely\":\"x\"}",
                "lonely: ");
    compute_err("prevalence", &f, "{\"outcome\":\"nosuch\"}",
                "no column 'nosuch'");
    compute_err("mse", &f, "{}", "method: mse");
    frame_release(&f);

    /* the 1000-byte cap is for stored options only: 250 predictors of 5
     * bytes are too many (200 at most), and too long to store */
    sr_buf_init(&b, 0);
    (void)sr_buf_adds(&b, "{\"outcome\":\"y\",\"predictors\":\"");
    for (int i = 0; i < 250; i++) {
        (void)sr_buf_printf(&b, "%sp%03d", i ? "," : "", i);
    }
    (void)sr_buf_adds(&b, "\"}");
    check_opts("risk", b.data, "predictors: 1 to 200");
    struct sr_err err = { 0 };
    json_t *opts = json_loads(b.data, 0, NULL), *res = NULL;
    CHECK(analysis_compute("risk", "y\n1\n", 4, opts, 0, &res, &err) ==
          SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "at most 1000 bytes") != NULL);
    sr_err_release(&err);
    json_decref(opts);
    sr_buf_release(&b);
}

static void
test_mse_rank(void)
{
    const char *base = getenv("SIREN_SHARED");
    char path[1024], name[256];
    struct mse_table t;
    struct analysis_mse_ranking r, r1;
    struct sr_err err = { 0 };
    snprintf(path, sizeof path, "%s/data/mse/kosovo1999_4lists.csv",
             base != NULL ? base : "../shared");
    CHECK(mse_csv_read_file(path, &t, &err) == SR_OK);
    if (err.code != SR_OK) {
        fprintf(stderr, "%s\n", sr_err_msg(&err));
        sr_err_release(&err);
        return;
    }
    /* EXPECTED.md: 113 models to order 3; BIC-best [123,14,34], N =
     * 10356.5 (se 785.9), profile 95% interval 8994.3 - 12110.4 */
    CHECK(analysis_mse_rank(&t, 3, 0, false, 0.05, &r, &err) == SR_OK);
    CHECK(r.m.n_models == 113);
    mse_model_format(&r.best, t.n_lists, name, sizeof name);
    CHECK_STR(name, "[123,14,34]");
    CHECK(fabs(r.m.res[r.rank[0]].N - 10356.5) < 0.05);
    CHECK(fabs(r.m.res[r.rank[0]].se_N - 785.9) < 0.05);
    CHECK(r.has_profile);
    CHECK(fabs(r.pr.lower - 8994.3) < 0.05);
    CHECK(fabs(r.pr.upper - 12110.4) < 0.05);
    /* one thread ranks the same models to the same numbers */
    CHECK(analysis_mse_rank(&t, 3, 1, false, 0.05, &r1, &err) == SR_OK);
    CHECK(r1.rank[0] == r.rank[0]);
    CHECK(r1.m.res[r1.rank[0]].N == r.m.res[r.rank[0]].N);
    CHECK(r1.n_boundary == r.n_boundary);
    analysis_mse_ranking_release(&r1);
    analysis_mse_ranking_release(&r);
    analysis_mse_ranking_release(&r); /* safe twice */
    /* order 4 of 4 lists is refused, out untouched */
    memset(&r, 0, sizeof r);
    CHECK(analysis_mse_rank(&t, 4, 0, false, 0.05, &r, &err) != SR_OK);
    CHECK(r.rank == NULL);
    sr_err_release(&err);
    mse_table_release(&t);
}

int
main(void)
{
    gsl_set_error_handler_off();
    test_binomial();
    test_prevalence_forms();
    test_risk_forms();
    test_rds_forms();
    test_check_options();
    test_mse_rank();
    return TEST_DONE("test_analysis_frame");
}
