/*
 * test_stats_rds.c - RDS-I and RDS-II against EXPECTED.md (RDS 0.9-10 on
 * rds_fauxmadrona.csv), hand-computed small trees, and bad input.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "harness.h"
#include "stats/num/rds.h"
#include "stats/stats_common.h"

#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "core/banned.h"

static const char *
shared_dir(void)
{
    const char *s = getenv("SIREN_SHARED");
    return s != NULL && s[0] != '\0' ? s : "../shared";
}

static void
test_fauxmadrona(void)
{
    char path[4096];
    struct frame f = { 0 };
    struct stats_rds_data d = { 0 };
    struct sr_err err = { 0 };
    struct rds_options opt;
    struct rds_result r, r2;
    struct rds_input in;

    snprintf(path, sizeof(path), "%s/data/rds/rds_fauxmadrona.csv",
             shared_dir());
    CHECK(frame_load(&f, path, NULL, &err) == SR_OK);
    if (f.n_rows == 0) {
        fprintf(stderr, "cannot load %s: %s\n", path, sr_err_msg(&err));
        return;
    }
    CHECK(f.n_rows == 500);
    CHECK(stats_rds_load(&f, "id", "recruiter.id", "network.size", "disease",
                         NULL, &d, &err) == SR_OK);
    in.n = d.n;
    in.recruiter = d.recruiter;
    in.degree = d.degree;
    in.trait = d.trait;
    rds_options_default(&opt);
    opt.n_boot = 500;
    opt.seed = 20240601;
    CHECK(rds_estimate(&in, &opt, &r, &err) == SR_OK);
    /* EXPECTED.md (RDS 0.9-10): 4 significant figures at least */
    CHECK_NEAR(r.rds1, 0.1591981, 1e-6);
    CHECK_NEAR(r.rds2, 0.1641493, 1e-6);
    CHECK_NEAR(r.s01, 0.1601124, 1e-6);
    CHECK_NEAR(r.s10, 0.4776119, 1e-6);
    CHECK_NEAR(r.h0, 6.067365, 1e-6);
    CHECK_NEAR(r.h1, 10.74251, 1e-6);
    CHECK(r.n == 500);
    CHECK(r.n_trans[0][0] + r.n_trans[0][1] + r.n_trans[1][0] +
              r.n_trans[1][1] ==
          500 - r.n_seeds);
    /* the bootstrap: sane, and the same for the same seed */
    CHECK(r.n_boot_used > 450);
    CHECK(r.se1 > 0.005 && r.se1 < 0.1);
    CHECK(r.se2 > 0.005 && r.se2 < 0.1);
    CHECK(r.lo1 < r.rds1 && r.rds1 < r.hi1);
    CHECK(r.lo2 < r.rds2 && r.rds2 < r.hi2);
    CHECK(r.deff2 > 0.5);
    CHECK(rds_estimate(&in, &opt, &r2, &err) == SR_OK);
    CHECK(r2.se1 == r.se1 && r2.se2 == r.se2);
    stats_rds_data_release(&d);
    frame_release(&f);
    sr_err_release(&err);
}

/*
 * A small tree, by hand. Rows (recruiter, degree, trait):
 *   0 seed d=2 y=0;  1 <-0 d=4 y=1;  2 <-0 d=2 y=0;  3 <-1 d=4 y=1;
 *   4 <-1 d=2 y=0;   5 <-2 d=0 y=1 (zero degree -> 1).
 * RDS-II: sum(y/d) = 1/4 + 1/4 + 1/1 = 1.5; sum(1/d) = 1/2+1/4+1/2+1/4+1/2+1
 *   = 3.0; P = 0.5.
 * Transitions: 0->1 (row1), 0->0 (row2), 1->1 (row3), 1->0 (row4),
 *   0->1 (row5): t00=1 t01=2 t10=1 t11=1; S01 = 2/3, S10 = 1/2.
 * Harmonic means: trait 0 rows 0,2,4 have d=2 -> h0 = 2; trait 1 rows
 *   1,3,5 d=4,4,1 -> h1 = 3 / (1/4+1/4+1) = 2.
 * q1 = S01/(S01+S10) = (2/3)/(7/6) = 4/7; P = (4/7/2)/(4/7/2+3/7/2) = 4/7.
 */
static void
test_small_tree(void)
{
    long rec[6] = { -1, 0, 0, 1, 1, 2 };
    double deg[6] = { 2, 4, 2, 4, 2, 0 };
    double y[6] = { 0, 1, 0, 1, 0, 1 };
    struct rds_input in = { 6, rec, deg, y };
    struct rds_options opt;
    struct rds_result r;
    struct sr_err err = { 0 };

    rds_options_default(&opt);
    opt.n_boot = 0;
    CHECK(rds_estimate(&in, &opt, &r, &err) == SR_OK);
    CHECK_NEAR(r.rds2, 0.5, 1e-12);
    CHECK_NEAR(r.s01, 2.0 / 3, 1e-12);
    CHECK_NEAR(r.s10, 0.5, 1e-12);
    CHECK_NEAR(r.h0, 2, 1e-12);
    CHECK_NEAR(r.h1, 2, 1e-12);
    CHECK_NEAR(r.rds1, 4.0 / 7, 1e-12);
    CHECK(r.n_degree_zero == 1);
    CHECK(isnan(r.se1));

    /*
     * Missing degree on row 3: dropped from RDS-II and h1 by default:
     * sum(y/d) = 1/4 + 1 = 1.25, sum(1/d) = 2.75, P = 5/11. With median
     * imputation (observed 2,4,2,2,1 -> median 2): sum(y/d) = 1/4+1/2+1
     * = 1.75, sum(1/d) = 3.25, P = 7/13.
     */
    deg[3] = NAN;
    CHECK(rds_estimate(&in, &opt, &r, &err) == SR_OK);
    CHECK_NEAR(r.rds2, 5.0 / 11, 1e-12);
    CHECK(r.n_degree_missing == 1 && r.n == 5);
    opt.missing_degree = RDS_DEGREE_MEDIAN;
    CHECK(rds_estimate(&in, &opt, &r, &err) == SR_OK);
    CHECK_NEAR(r.rds2, 7.0 / 13, 1e-12);
    deg[3] = 4;

    /* errors: cycle, self-recruitment, bad trait, no seed */
    rec[0] = 5; /* 0 <- 5 <- 2 <- 0: no seed above */
    CHECK(rds_estimate(&in, &opt, &r, &err) == SR_EINVAL);
    rec[0] = 0;
    CHECK(rds_estimate(&in, &opt, &r, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "row 1") != NULL);
    rec[0] = -1;
    y[2] = 2;
    CHECK(rds_estimate(&in, &opt, &r, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "row 3") != NULL);
    y[2] = 0;
    rec[0] = 7;
    CHECK(rds_estimate(&in, &opt, &r, &err) == SR_EINVAL);
    rec[0] = -1;
    /* all trait 0: RDS-I undefined */
    {
        double z[6] = { 0, 0, 0, 0, 0, 0 };
        in.trait = z;
        CHECK(rds_estimate(&in, &opt, &r, &err) == SR_EINVAL);
        CHECK(strstr(sr_err_msg(&err), "RDS-I") != NULL);
        in.trait = y;
    }
    sr_err_release(&err);
}

static void
test_loader(void)
{
    static const char csv[] = "id,recruiter.id,network.size,t\n"
                              "a,seed,3,1\n"
                              "b,a,NA,0\n"
                              "c,b,2,\n";
    static const char bad[] = "id,recruiter.id,network.size,t\n"
                              "a,seed,3,1\n"
                              "b,zz,2,0\n";
    struct frame f = { 0 };
    struct stats_rds_data d = { 0 };
    struct sr_err err = { 0 };

    CHECK(frame_parse(&f, csv, sizeof(csv) - 1, NULL, &err) == SR_OK);
    CHECK(stats_rds_load(&f, "id", "recruiter.id", "network.size", "t", NULL,
                         &d, &err) == SR_OK);
    CHECK(d.n == 3 && d.recruiter[0] == -1 && d.recruiter[1] == 0 &&
          d.recruiter[2] == 1);
    CHECK(isnan(d.degree[1]) && isnan(d.trait[2]) && d.trait[0] == 1);
    stats_rds_data_release(&d);
    CHECK(stats_rds_load(&f, "id", "recruiter.id", "network.size", "nope", NULL,
                         &d, &err) == SR_ENOTFOUND);
    frame_release(&f);
    CHECK(frame_parse(&f, bad, sizeof(bad) - 1, NULL, &err) == SR_OK);
    CHECK(stats_rds_load(&f, "id", "recruiter.id", "network.size", "t", NULL,
                         &d, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "line 3") != NULL);
    frame_release(&f);
    sr_err_release(&err);
}

int
main(void)
{
    gsl_set_error_handler_off();
    test_fauxmadrona();
    test_small_tree();
    test_loader();
    return TEST_DONE("test_stats_rds");
}
