/*
 * rds.c - respondent-driven sampling: RDS-I, RDS-II and a tree bootstrap.
 *
 * Owns: the estimators on arrays (recruiter index, degree, trait) and the
 * bootstrap over recruitment trees. Pure numerics, no I/O.
 * Must not: follow recruiter links without checking for cycles, or use
 * rand() (the bootstrap uses a seeded gsl_rng).
 *
 * RDS-I: transition proportions S01 = t01 / (t00 + t01) and
 * S10 = t10 / (t10 + t11) over recruiter-recruit pairs with both traits
 * known; the Markov chain's equilibrium q1 = S01 / (S01 + S10); then
 * P1 = (q1 / h1) / (q1 / h1 + q0 / h0), with h_k the harmonic mean of the
 * network sizes of everyone (seeds included) with trait k.
 * RDS-II: P1 = sum(y_i / d_i) / sum(1 / d_i).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "stats/num/rds.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "core/banned.h"

struct est {
    double rds1, rds2, s01, s10, h0, h1;
    size_t t[2][2];
    int is_rds1_ok, is_rds2_ok;
};

void
rds_options_default(struct rds_options *opt)
{
    opt->n_boot = 1000;
    opt->seed = 1;
    opt->level = 0.95;
    opt->missing_degree = RDS_DEGREE_DROP;
}

/*
 * Estimates over a sample given as m node ids (rows of the original data)
 * and, for each, the position of its recruiter in the sample (-1 = seed).
 * deg[] is already cleaned (NaN = unusable).
 */
static void
estimate(size_t m, const size_t *node, const long *parent, const double *deg,
         const double *trait, struct est *e)
{
    double inv[2] = { 0, 0 }, cnt[2] = { 0, 0 };
    size_t i;

    e->t[0][0] = e->t[0][1] = e->t[1][0] = e->t[1][1] = 0;
    for (i = 0; i < m; i++) {
        double y = trait[node[i]], d = deg[node[i]];
        if (isnan(y)) {
            continue;
        }
        if (!isnan(d)) {
            inv[(int)y] += 1 / d;
            cnt[(int)y] += 1;
        }
        if (parent[i] >= 0) {
            double yr = trait[node[parent[i]]];
            if (!isnan(yr)) {
                e->t[(int)yr][(int)y]++;
            }
        }
    }
    e->is_rds2_ok = inv[0] + inv[1] > 0;
    e->rds2 = e->is_rds2_ok ? inv[1] / (inv[0] + inv[1]) : NAN;
    e->h0 = cnt[0] > 0 ? cnt[0] / inv[0] : NAN;
    e->h1 = cnt[1] > 0 ? cnt[1] / inv[1] : NAN;
    e->s01 = e->t[0][0] + e->t[0][1] > 0
                 ? (double)e->t[0][1] / (double)(e->t[0][0] + e->t[0][1])
                 : NAN;
    e->s10 = e->t[1][0] + e->t[1][1] > 0
                 ? (double)e->t[1][0] / (double)(e->t[1][0] + e->t[1][1])
                 : NAN;
    e->is_rds1_ok = !isnan(e->s01) && !isnan(e->s10) && !isnan(e->h0) &&
                    !isnan(e->h1) && e->s01 + e->s10 > 0;
    e->rds1 = NAN;
    if (e->is_rds1_ok) {
        double q1 = e->s01 / (e->s01 + e->s10), q0 = 1 - q1;
        e->rds1 = (q1 / e->h1) / (q1 / e->h1 + q0 / e->h0);
    }
}

static double
quantile_of(double *v, size_t m, double f)
{
    gsl_sort(v, 1, m);
    return gsl_stats_quantile_from_sorted_data(v, 1, m, f);
}

/*
 * Tree bootstrap: fills node/parent with one resampled sample; returns
 * its size. child_start/child are the recruits of each row (CSR form),
 * seeds the seed rows. cap bounds the resample's size.
 */
static size_t
resample_tree(const gsl_rng *rng, size_t n_seeds, const size_t *seeds,
              const size_t *child_start, const size_t *child, size_t *node,
              long *parent, size_t cap)
{
    size_t m = 0, head = 0, k;

    for (k = 0; k < n_seeds && m < cap; k++) {
        node[m] = seeds[gsl_rng_uniform_int(rng, n_seeds)];
        parent[m] = -1;
        m++;
    }
    /* breadth-first: each sampled node's recruits, with replacement */
    while (head < m) {
        size_t v = node[head];
        size_t nc = child_start[v + 1] - child_start[v];
        for (k = 0; k < nc && m < cap; k++) {
            node[m] = child[child_start[v] + gsl_rng_uniform_int(rng, nc)];
            parent[m] = (long)head;
            m++;
        }
        head++;
    }
    return m;
}

int
rds_estimate(const struct rds_input *in, const struct rds_options *opt,
             struct rds_result *out, struct sr_err *err)
{
    size_t n = in->n, i, m, n_seeds = 0, n_missing = 0, n_zero = 0;
    size_t *child_start = NULL, *child = NULL, *fill = NULL, *seeds = NULL;
    size_t *node = NULL, *queue = NULL;
    long *parent = NULL;
    double *deg = NULL, *b1 = NULL, *b2 = NULL;
    struct est e;
    struct rds_result r = { 0 };
    int rc = SR_OK;

    assert(in != NULL && opt != NULL && out != NULL);
    if (n == 0) {
        return sr_err_set(err, SR_EINVAL, "empty sample");
    }
    if (!(opt->level > 0 && opt->level < 1)) {
        return sr_err_set(err, SR_EINVAL, "invalid level: need 0 < level < 1");
    }
    for (i = 0; i < n; i++) {
        long rr = in->recruiter[i];
        double y = in->trait[i], d = in->degree[i];
        if (rr < -1 || rr >= (long)n || rr == (long)i) {
            return sr_err_set(err, SR_EINVAL, "invalid recruiter for row %zu",
                              i + 1);
        }
        if (!isnan(y) && y != 0 && y != 1) {
            return sr_err_set(err, SR_EINVAL, "trait must be 0 or 1, row %zu",
                              i + 1);
        }
        if (!isnan(d) && (d < 0 || !isfinite(d))) {
            return sr_err_set(err, SR_EINVAL,
                              "negative or infinite network size, row %zu",
                              i + 1);
        }
        if (rr == -1) {
            n_seeds++;
        }
    }
    if (n_seeds == 0) {
        return sr_err_set(err, SR_EINVAL, "no seeds (recruiter -1)");
    }

    /* recruits of each row, in CSR form */
    child_start = sr_xcalloc(n + 1, sizeof(*child_start));
    child = sr_xcalloc(n, sizeof(*child));
    fill = sr_xcalloc(n, sizeof(*fill));
    seeds = sr_xcalloc(n_seeds, sizeof(*seeds));
    for (i = 0, m = 0; i < n; i++) {
        if (in->recruiter[i] >= 0) {
            child_start[in->recruiter[i] + 1]++;
        } else {
            seeds[m++] = i;
        }
    }
    for (i = 0; i < n; i++) {
        child_start[i + 1] += child_start[i];
    }
    for (i = 0; i < n; i++) {
        long rr = in->recruiter[i];
        if (rr >= 0) {
            child[child_start[rr] + fill[rr]++] = i;
        }
    }
    /* every row must be reachable from a seed: otherwise a cycle */
    queue = sr_xcalloc(n, sizeof(*queue));
    {
        size_t head = 0, tail = 0, k;
        for (k = 0; k < n_seeds; k++) {
            queue[tail++] = seeds[k];
        }
        while (head < tail) {
            size_t v = queue[head++];
            for (k = child_start[v]; k < child_start[v + 1]; k++) {
                queue[tail++] = child[k];
            }
        }
        if (tail != n) {
            for (i = 0; i < n; i++) {
                fill[i] = 0;
            }
            for (k = 0; k < tail; k++) {
                fill[queue[k]] = 1;
            }
            for (i = 0; i < n && fill[i]; i++) {
            }
            rc = sr_err_set(err, SR_EINVAL,
                            "recruitment cycle: row %zu has no seed above it",
                            i + 1);
            goto done;
        }
    }

    /* clean degrees: zero -> 1, missing -> NaN or imputed */
    deg = sr_xcalloc(n, sizeof(*deg));
    {
        double *obs = sr_xcalloc(n, sizeof(*obs)), fillv = NAN;
        size_t n_obs = 0;
        for (i = 0; i < n; i++) {
            double d = in->degree[i];
            if (isnan(d)) {
                n_missing++;
            } else {
                if (d == 0) {
                    n_zero++;
                    d = 1;
                }
                obs[n_obs++] = d;
            }
            deg[i] = d;
        }
        if (n_obs > 0 && opt->missing_degree == RDS_DEGREE_MEDIAN) {
            fillv = quantile_of(obs, n_obs, 0.5);
        } else if (n_obs > 0 && opt->missing_degree == RDS_DEGREE_MEAN) {
            fillv = gsl_stats_mean(obs, 1, n_obs);
        }
        for (i = 0; i < n; i++) {
            if (isnan(deg[i])) {
                deg[i] = fillv;
            }
        }
        free(obs);
    }

    /* the point estimates on the whole sample */
    node = sr_xcalloc(n, sizeof(*node));
    parent = sr_xcalloc(n, sizeof(*parent));
    for (i = 0; i < n; i++) {
        node[i] = i;
        parent[i] = in->recruiter[i];
    }
    estimate(n, node, parent, deg, in->trait, &e);
    if (!e.is_rds2_ok) {
        rc = sr_err_set(err, SR_EINVAL,
                        "no respondent with both a trait and a network size");
        goto done;
    }
    if (!e.is_rds1_ok) {
        rc = sr_err_set(err, SR_EINVAL,
                        "cannot compute RDS-I: need both trait values and "
                        "recruitments out of each trait group");
        goto done;
    }
    r.rds1 = e.rds1;
    r.rds2 = e.rds2;
    r.s01 = e.s01;
    r.s10 = e.s10;
    r.h0 = e.h0;
    r.h1 = e.h1;
    memcpy(r.n_trans, e.t, sizeof(r.n_trans));
    r.n_seeds = n_seeds;
    r.n_degree_missing = n_missing;
    r.n_degree_zero = n_zero;
    {
        double s = 0;
        for (i = 0; i < n; i++) {
            if (!isnan(in->trait[i]) && !isnan(deg[i])) {
                r.n++;
                s += in->trait[i];
            }
        }
        r.naive = s / (double)r.n;
    }

    /* tree bootstrap */
    r.se1 = r.se2 = r.deff1 = r.deff2 = NAN;
    r.lo1 = r.hi1 = r.lo2 = r.hi2 = NAN;
    if (opt->n_boot > 0) {
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        size_t cap = 4 * n + 16, bi, used = 0;
        double a = (1 - opt->level) / 2;

        if (rng == NULL) {
            SR_BUG("gsl_rng_alloc failed");
        }
        gsl_rng_set(rng, opt->seed);
        free(node);
        free(parent);
        node = sr_xcalloc(cap, sizeof(*node));
        parent = sr_xcalloc(cap, sizeof(*parent));
        b1 = sr_xcalloc(opt->n_boot, sizeof(*b1));
        b2 = sr_xcalloc(opt->n_boot, sizeof(*b2));
        for (bi = 0; bi < opt->n_boot; bi++) {
            struct est eb;
            m = resample_tree(rng, n_seeds, seeds, child_start, child, node,
                              parent, cap);
            estimate(m, node, parent, deg, in->trait, &eb);
            if (eb.is_rds1_ok && eb.is_rds2_ok) {
                b1[used] = eb.rds1;
                b2[used] = eb.rds2;
                used++;
            }
        }
        gsl_rng_free(rng);
        r.n_boot_used = used;
        if (used >= 2) {
            double srs1 = r.rds1 * (1 - r.rds1) / (double)r.n;
            double srs2 = r.rds2 * (1 - r.rds2) / (double)r.n;
            r.se1 = gsl_stats_sd(b1, 1, used);
            r.se2 = gsl_stats_sd(b2, 1, used);
            r.deff1 = srs1 > 0 ? r.se1 * r.se1 / srs1 : NAN;
            r.deff2 = srs2 > 0 ? r.se2 * r.se2 / srs2 : NAN;
            r.lo1 = quantile_of(b1, used, a);
            r.hi1 = quantile_of(b1, used, 1 - a);
            r.lo2 = quantile_of(b2, used, a);
            r.hi2 = quantile_of(b2, used, 1 - a);
        }
    }
    *out = r;
done:
    free(child_start);
    free(child);
    free(fill);
    free(seeds);
    free(queue);
    free(deg);
    free(node);
    free(parent);
    free(b1);
    free(b2);
    return rc;
}
