/*
 * mse.c - multiple systems estimation on capture-history tables.
 *
 * Owns model enumeration and search (Rcapture's closedpMS.t), the
 * multinomial profile-likelihood interval (closedpCI.t), SparseMSE's
 * stepwise selection, existence/identifiability checks and the BCa
 * bootstrap, all on top of loglin.c. Threads are created and joined
 * inside each call; nothing global is kept. Must not do I/O.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "stats/num/mse.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stats/num/workers.h"
#include "core/banned.h"

#define SEARCH_CHUNK 512

static int
popcount32(uint32_t x)
{
    int n = 0;
    while (x) {
        x &= x - 1;
        n++;
    }
    return n;
}

int
mse_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) {
        return 1;
    }
    return n > WORKERS_MAX ? WORKERS_MAX : (int)n;
}

static int
thread_count(int n_threads)
{
    if (n_threads <= 0) {
        return mse_cores();
    }
    return n_threads > WORKERS_MAX ? WORKERS_MAX : n_threads;
}

/* ---------------------------------------------------------------- tables */

int
mse_table_init(struct mse_table *t, int n_lists, const char *const *names,
               struct sr_err *err)
{
    assert(t != NULL);
    if (n_lists < 1 || n_lists > MSE_MAX_LISTS) {
        return sr_err_set(err, SR_EINVAL,
                          "cannot use %d lists: between 1 and %d allowed",
                          n_lists, MSE_MAX_LISTS);
    }
    for (int i = 0; names != NULL && i < n_lists; i++) {
        if (names[i] == NULL || strlen(names[i]) >= MSE_NAME_MAX) {
            return sr_err_set(err, SR_EINVAL,
                              "list name %d missing or longer than %d bytes",
                              i + 1, MSE_NAME_MAX - 1);
        }
    }
    memset(t, 0, sizeof *t);
    t->n_lists = n_lists;
    t->n_cells = (size_t)1 << n_lists;
    t->count = sr_xcalloc(t->n_cells, sizeof(double));
    for (int i = 0; i < n_lists; i++) {
        if (names != NULL) {
            size_t len = strlen(names[i]);
            memcpy(t->names[i], names[i], len + 1);
        } else {
            snprintf(t->names[i], MSE_NAME_MAX, "%c", 'A' + i);
        }
    }
    return SR_OK;
}

void
mse_table_release(struct mse_table *t)
{
    SR_RELEASE(t, t->count);
}

int
mse_table_add(struct mse_table *t, uint32_t hist, double count,
              struct sr_err *err)
{
    assert(t != NULL && t->count != NULL);
    if (hist == 0 || hist >= t->n_cells) {
        return sr_err_set(err, SR_EINVAL, "history %u out of range",
                          (unsigned)hist);
    }
    if (!isfinite(count) || count < 0) {
        return sr_err_set(err, SR_EINVAL, "count must be finite and >= 0");
    }
    t->count[hist] += count;
    t->n_obs += count;
    return SR_OK;
}

int
mse_table_select(const struct mse_table *t, uint32_t lists_mask,
                 struct mse_table *out, struct sr_err *err)
{
    assert(t != NULL && out != NULL);
    if (lists_mask == 0 || lists_mask >= t->n_cells) {
        return sr_err_set(err, SR_EINVAL, "list selection out of range");
    }
    const char *names[MSE_MAX_LISTS];
    int idx[MSE_MAX_LISTS], k = 0;
    for (int i = 0; i < t->n_lists; i++) {
        if (lists_mask & (1u << i)) {
            names[k] = t->names[i];
            idx[k++] = i;
        }
    }
    int rc = mse_table_init(out, k, names, err);
    if (rc != SR_OK) {
        return rc;
    }
    for (size_t c = 1; c < t->n_cells; c++) {
        uint32_t h = 0;
        for (int j = 0; j < k; j++) {
            if (c & ((size_t)1 << idx[j])) {
                h |= 1u << j;
            }
        }
        if (h != 0 && t->count[c] > 0) {
            out->count[h] += t->count[c];
            out->n_obs += t->count[c];
        }
    }
    return SR_OK;
}

int
mse_check_data(const struct mse_table *t, struct sr_err *err)
{
    assert(t != NULL);
    if (t->n_lists < 2) {
        return sr_err_set(err, SR_EINVAL,
                          "cannot estimate from fewer than two lists");
    }
    if (!(t->n_obs > 0)) {
        return sr_err_set(err, SR_EINVAL, "cannot estimate: nobody observed");
    }
    int overlap = 0;
    for (size_t c = 1; c < t->n_cells; c++) {
        if (t->count[c] > 0 && popcount32((uint32_t)c) >= 2) {
            overlap = 1;
        }
    }
    if (!overlap) {
        return sr_err_set(err, SR_EINVAL,
                          "cannot estimate: no overlap at all between lists "
                          "(nobody is on two lists), the estimate is "
                          "infinite");
    }
    for (int i = 0; i < t->n_lists; i++) {
        double on = 0;
        for (size_t c = 1; c < t->n_cells; c++) {
            if (c & ((size_t)1 << i)) {
                on += t->count[c];
            }
        }
        if (on == 0) {
            return sr_err_set(err, SR_EINVAL,
                              "cannot estimate: list %d ('%s') is empty", i + 1,
                              t->names[i]);
        }
    }
    return SR_OK;
}

int
mse_two_list(const struct mse_table *t, double *lp, double *chapman,
             struct sr_err *err)
{
    assert(t != NULL && lp != NULL && chapman != NULL);
    if (t->n_lists != 2) {
        return sr_err_set(err, SR_EINVAL,
                          "two-list estimators need exactly two lists, not %d",
                          t->n_lists);
    }
    double m = t->count[3];
    double n1 = t->count[1] + m, n2 = t->count[2] + m;
    *lp = m > 0 ? n1 * n2 / m : NAN;
    *chapman = (n1 + 1) * (n2 + 1) / (m + 1) - 1;
    if (!(m > 0)) {
        return sr_err_set(err, SR_EINVAL,
                          "cannot estimate: the two lists do not overlap");
    }
    return SR_OK;
}

/* ---------------------------------------------------------------- models */

static int
term_cmp_lex(uint32_t a, uint32_t b)
{
    /* compare ascending list-number sequences lexicographically */
    while (a && b) {
        uint32_t la = a & -a, lb = b & -b;
        if (la != lb) {
            return la < lb ? -1 : 1;
        }
        a ^= la;
        b ^= lb;
    }
    if (a == b) {
        return 0;
    }
    return a ? 1 : -1;
}

int
mse_model_parse(const char *s, int n_lists, struct mse_model *m,
                struct sr_err *err)
{
    assert(s != NULL && m != NULL);
    struct mse_model tmp = { 0 };
    const char *p = s;
    while (*p == ' ') {
        p++;
    }
    if (*p != '[') {
        return sr_err_set(err, SR_EINVAL,
                          "bad model: expected '[' at character %d",
                          (int)(p - s) + 1);
    }
    p++;
    while (*p == ' ') {
        p++;
    }
    if (*p == ']') {
        p++;
    } else {
        for (;;) {
            uint32_t g = 0;
            int n_num = 0;
            while (*p >= '0' && *p <= '9') {
                int v = 0;
                if (n_lists <= 9) {
                    v = *p++ - '0';
                } else {
                    while (*p >= '0' && *p <= '9' && v < 100) {
                        v = v * 10 + (*p++ - '0');
                    }
                    if (*p == '.') {
                        p++;
                    }
                }
                if (v < 1 || v > n_lists || (g & (1u << (v - 1)))) {
                    return sr_err_set(err, SR_EINVAL,
                                      "bad model: list number %d at "
                                      "character %d is out of range or "
                                      "repeated",
                                      v, (int)(p - s));
                }
                g |= 1u << (v - 1);
                n_num++;
            }
            if (n_num == 0) {
                return sr_err_set(err, SR_EINVAL,
                                  "bad model: expected a list number at "
                                  "character %d",
                                  (int)(p - s) + 1);
            }
            if (tmp.n_gen >= MSE_MAX_GEN) {
                return sr_err_set(err, SR_EINVAL,
                                  "bad model: more than %d terms", MSE_MAX_GEN);
            }
            tmp.gen[tmp.n_gen++] = g;
            while (*p == ' ') {
                p++;
            }
            if (*p == ',') {
                p++;
                while (*p == ' ') {
                    p++;
                }
                continue;
            }
            if (*p == ']') {
                p++;
                break;
            }
            return sr_err_set(err, SR_EINVAL,
                              "bad model: unexpected character at %d",
                              (int)(p - s) + 1);
        }
    }
    while (*p == ' ') {
        p++;
    }
    if (*p != '\0') {
        return sr_err_set(err, SR_EINVAL,
                          "bad model: trailing text at character %d",
                          (int)(p - s) + 1);
    }
    *m = tmp;
    return SR_OK;
}

int
mse_model_terms(const struct mse_model *m, int n_lists, uint32_t *terms,
                int cap)
{
    assert(m != NULL && terms != NULL);
    size_t n = (size_t)1 << n_lists;
    unsigned char *mark = sr_xcalloc(n, 1);
    for (int i = 0; i < n_lists; i++) {
        mark[(size_t)1 << i] = 1;
    }
    for (int g = 0; g < m->n_gen; g++) {
        uint32_t gm = m->gen[g] & (uint32_t)(n - 1);
        for (uint32_t s = gm; s; s = (s - 1) & gm) {
            mark[s] = 1;
        }
    }
    int cnt = 0;
    if (cnt < cap) {
        terms[cnt] = 0;
    }
    cnt++;
    for (int size = 1; size <= n_lists; size++) {
        for (size_t c = 1; c < n; c++) {
            if (mark[c] && popcount32((uint32_t)c) == size) {
                if (cnt < cap) {
                    terms[cnt] = (uint32_t)c;
                }
                cnt++;
            }
        }
    }
    free(mark);
    return cnt > cap ? -1 : cnt;
}

static int
gen_order(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    int sa = popcount32(a), sb = popcount32(b);
    if (sa != sb) {
        return sa > sb ? -1 : 1;
    }
    return term_cmp_lex(a, b);
}

size_t
mse_model_format(const struct mse_model *m, int n_lists, char *buf, size_t len)
{
    assert(m != NULL);
    uint32_t all[LOGLIN_MAX_PARAMS * 4];
    uint32_t maxi[LOGLIN_MAX_PARAMS * 4];
    int n_all = mse_model_terms(m, n_lists, all, LOGLIN_MAX_PARAMS * 4);
    int n_max = 0;
    if (n_all < 0) {
        /* too many terms to reduce: name the classes as given */
        for (int g = 0; g < m->n_gen && n_max < MSE_MAX_GEN; g++) {
            maxi[n_max++] = m->gen[g];
        }
    }
    for (int i = 1; i < n_all; i++) {
        int is_max = 1;
        for (int j = 1; j < n_all; j++) {
            if (j != i && (all[j] & all[i]) == all[i] && all[j] != all[i]) {
                is_max = 0;
                break;
            }
        }
        if (is_max) {
            maxi[n_max++] = all[i];
        }
    }
    qsort(maxi, (size_t)n_max, sizeof maxi[0], gen_order);
    size_t pos = 0;
    char tmp[16];
#define PUT(str)                                  \
    do {                                          \
        for (const char *q_ = (str); *q_; q_++) { \
            if (pos + 1 < len) {                  \
                buf[pos] = *q_;                   \
            }                                     \
            pos++;                                \
        }                                         \
    } while (0)
    PUT("[");
    for (int i = 0; i < n_max; i++) {
        if (i > 0) {
            PUT(",");
        }
        int first = 1;
        for (int b = 0; b < n_lists; b++) {
            if (maxi[i] & (1u << b)) {
                if (n_lists > 9 && !first) {
                    PUT(".");
                }
                snprintf(tmp, sizeof tmp, "%d", b + 1);
                PUT(tmp);
                first = 0;
            }
        }
    }
    PUT("]");
#undef PUT
    if (len > 0) {
        buf[pos < len ? pos : len - 1] = '\0';
    }
    return pos;
}

/* Full-table loglin data: every cell but the dark one. */
static void
full_data(const struct mse_table *t, unsigned char *active,
          struct loglin_data *d)
{
    for (size_t c = 0; c < t->n_cells; c++) {
        active[c] = c != 0;
    }
    d->n_lists = t->n_lists;
    d->n_cells = t->n_cells;
    d->y = t->count;
    d->active = active;
    d->n_obs = t->n_obs;
}

int
mse_fit_model(const struct mse_table *t, const struct mse_model *m,
              struct loglin_fit *fit, struct sr_err *err)
{
    assert(t != NULL && m != NULL && fit != NULL);
    int rc = mse_check_data(t, err);
    if (rc != SR_OK) {
        return rc;
    }
    uint32_t terms[LOGLIN_MAX_PARAMS];
    int p = mse_model_terms(m, t->n_lists, terms, LOGLIN_MAX_PARAMS);
    if (p < 0) {
        return sr_err_set(err, SR_EINVAL, "model has more than %d parameters",
                          LOGLIN_MAX_PARAMS);
    }
    if ((size_t)p > t->n_cells - 1) {
        return sr_err_set(err, SR_EINVAL,
                          "model is not identifiable: %d parameters for %zu "
                          "cells",
                          p, t->n_cells - 1);
    }
    unsigned char *active = sr_xcalloc(t->n_cells, 1);
    struct loglin_data d;
    full_data(t, active, &d);
    struct loglin_work w;
    loglin_work_init(&w, t->n_lists, p);
    rc = loglin_fit(&d, terms, p, NULL, &w, fit);
    loglin_work_release(&w);
    free(active);
    if (rc != SR_OK) {
        return sr_err_set(err, rc, "cannot fit model");
    }
    return SR_OK;
}

/* ------------------------------------------------------- exhaustive search */

struct enum_state {
    int n_cand;
    const uint64_t *req; /* [n_cand] candidate terms each one needs */
    uint64_t *out;       /* NULL while counting */
    size_t n;            /* models so far */
    size_t cap;          /* stop counting past this */
};

static void
enumerate(struct enum_state *s, uint64_t mask, int next)
{
    if (s->n >= s->cap) {
        s->n = s->cap + 1;
        return;
    }
    if (s->out != NULL) {
        s->out[s->n] = mask;
    }
    s->n++;
    for (int j = next; j < s->n_cand; j++) {
        if ((mask & s->req[j]) == s->req[j]) {
            enumerate(s, mask | ((uint64_t)1 << j), j + 1);
            if (s->n > s->cap) {
                return;
            }
        }
    }
}

struct search_job {
    const struct mse_table *t;
    struct mse_models *m;
    const unsigned char *active;
    pthread_mutex_t lock;
    size_t next; /* next chunk start; under lock */
};

static int
terms_of_mask(const struct mse_models *m, uint64_t mask, uint32_t *terms)
{
    int p = 0;
    terms[p++] = 0;
    for (int i = 0; i < m->n_lists; i++) {
        terms[p++] = 1u << i;
    }
    for (int j = 0; j < m->n_cand; j++) {
        if (mask & ((uint64_t)1 << j)) {
            terms[p++] = m->cand[j];
        }
    }
    return p;
}

static void
store_result(struct mse_result *r, const struct loglin_fit *f)
{
    r->status = f->status;
    r->df = f->df;
    r->deviance = f->deviance;
    r->aic = f->aic;
    r->bic = f->bic;
    if (f->status == LOGLIN_OK) {
        r->N = f->N;
        r->se_N = f->se_N;
    } else {
        r->N = NAN;
        r->se_N = NAN;
    }
}

static void *
search_worker(void *arg)
{
    struct search_job *job = arg;
    struct mse_models *m = job->m;
    const struct mse_table *t = job->t;
    int max_p = 1 + m->n_lists + m->n_cand;
    struct loglin_work w;
    loglin_work_init(&w, t->n_lists, max_p);
    struct loglin_data d = { t->n_lists, t->n_cells, t->count, job->active,
                             t->n_obs };
    double *stack =
        sr_xcalloc((size_t)(m->n_cand + 1) * (size_t)max_p, sizeof(double));
    uint64_t *stack_mask = sr_xcalloc((size_t)m->n_cand + 1, sizeof(uint64_t));
    unsigned char *stack_ok = sr_xcalloc((size_t)m->n_cand + 1, 1);
    uint32_t terms[LOGLIN_MAX_PARAMS];
    double start[LOGLIN_MAX_PARAMS];
    struct loglin_fit fit;
    for (;;) {
        pthread_mutex_lock(&job->lock);
        size_t lo = job->next;
        job->next += SEARCH_CHUNK;
        pthread_mutex_unlock(&job->lock);
        if (lo >= m->n_models) {
            break;
        }
        size_t hi = lo + SEARCH_CHUNK;
        if (hi > m->n_models) {
            hi = m->n_models;
        }
        memset(stack_ok, 0, (size_t)m->n_cand + 1);
        for (size_t i = lo; i < hi; i++) {
            uint64_t mask = m->res[i].mask;
            int depth = 0;
            for (uint64_t x = mask; x; x &= x - 1) {
                depth++;
            }
            int p = terms_of_mask(m, mask, terms);
            const double *st = NULL;
            /* a model containing one without an MLE has none either */
            int parent_boundary = 0;
            if (depth > 0 && stack_ok[depth - 1] == 2) {
                uint64_t top = (uint64_t)1 << (63 - __builtin_clzll(mask));
                parent_boundary = stack_mask[depth - 1] == (mask ^ top);
            }
            if (depth > 0 && stack_ok[depth - 1]) {
                uint64_t top = (uint64_t)1 << (63 - __builtin_clzll(mask));
                if (stack_mask[depth - 1] == (mask ^ top)) {
                    memcpy(start, stack + (size_t)(depth - 1) * max_p,
                           (size_t)(p - 1) * sizeof(double));
                    start[p - 1] = 0;
                    st = start;
                }
            }
            if (parent_boundary) {
                /* not fitted: the MLE of a model containing one without
                 * an MLE does not exist either */
                struct mse_result *r = &m->res[i];
                r->status = LOGLIN_BOUNDARY;
                r->df = (int)(t->n_cells - 1) - p;
                r->N = r->se_N = NAN;
                r->deviance = r->aic = r->bic = NAN;
                stack_mask[depth] = mask;
                stack_ok[depth] = 2;
                continue;
            }
            loglin_fit(&d, terms, p, st, &w, &fit);
            if (fit.status == LOGLIN_NOT_CONVERGED && st != NULL) {
                loglin_fit(&d, terms, p, NULL, &w, &fit);
            }
            store_result(&m->res[i], &fit);
            memcpy(stack + (size_t)depth * max_p, fit.coef,
                   (size_t)p * sizeof(double));
            stack_mask[depth] = mask;
            /* 1: warm start from it; 2: boundary, children inherit */
            stack_ok[depth] = fit.status == LOGLIN_OK
                                  ? 1
                                  : (fit.status == LOGLIN_BOUNDARY ? 2 : 0);
        }
    }
    free(stack);
    free(stack_mask);
    free(stack_ok);
    loglin_work_release(&w);
    loglin_thread_done();
    return NULL;
}

struct rank_key {
    double key;
    size_t idx;
};

static int
rank_cmp(const void *pa, const void *pb)
{
    const struct rank_key *a = pa, *b = pb;
    if (a->key != b->key) {
        return a->key < b->key ? -1 : 1;
    }
    return a->idx < b->idx ? -1 : (a->idx > b->idx);
}

static size_t *
rank_by(const struct mse_models *m, int use_bic)
{
    struct rank_key *k = sr_xcalloc(m->n_ranked ? m->n_ranked : 1, sizeof *k);
    size_t n = 0;
    for (size_t i = 0; i < m->n_models; i++) {
        if (m->res[i].status == LOGLIN_OK) {
            k[n].key = use_bic ? m->res[i].bic : m->res[i].aic;
            k[n].idx = i;
            n++;
        }
    }
    qsort(k, n, sizeof *k, rank_cmp);
    size_t *out = sr_xcalloc(n ? n : 1, sizeof(size_t));
    for (size_t i = 0; i < n; i++) {
        out[i] = k[i].idx;
    }
    free(k);
    return out;
}

int
mse_models_run(const struct mse_table *t, int max_order, int n_threads,
               struct mse_models *out, struct sr_err *err)
{
    assert(t != NULL && out != NULL);
    int rc = mse_check_data(t, err);
    if (rc != SR_OK) {
        return rc;
    }
    int k = t->n_lists;
    if (max_order < 1 || max_order > k - 1) {
        return sr_err_set(err, SR_EINVAL, "maximum order %d out of range 1..%d",
                          max_order, k - 1);
    }
    struct mse_models m;
    memset(&m, 0, sizeof m);
    m.n_lists = k;
    m.max_order = max_order;
    for (int size = 2; size <= max_order; size++) {
        for (size_t c = 1; c < t->n_cells; c++) {
            if (popcount32((uint32_t)c) == size) {
                if (m.n_cand >= 64) {
                    return sr_err_set(err, SR_ETOOBIG,
                                      "too many interaction terms (over 64) "
                                      "for an exhaustive search");
                }
                m.cand[m.n_cand++] = (uint32_t)c;
            }
        }
    }
    uint64_t req[64] = { 0 };
    for (int j = 0; j < m.n_cand; j++) {
        for (int b = 0; b < k; b++) {
            uint32_t sub = m.cand[j] & ~(1u << b);
            if (sub != m.cand[j] && popcount32(sub) >= 2) {
                for (int i = 0; i < j; i++) {
                    if (m.cand[i] == sub) {
                        req[j] |= (uint64_t)1 << i;
                    }
                }
            }
        }
    }
    struct enum_state es = { m.n_cand, req, NULL, 0, MSE_MAX_MODELS };
    enumerate(&es, 0, 0);
    if (es.n > MSE_MAX_MODELS) {
        return sr_err_set(err, SR_ETOOBIG,
                          "more than %d models to fit: lower the maximum "
                          "order",
                          MSE_MAX_MODELS);
    }
    m.n_models = es.n;
    uint64_t *masks = sr_xcalloc(m.n_models, sizeof(uint64_t));
    es.out = masks;
    es.n = 0;
    enumerate(&es, 0, 0);
    m.res = sr_xcalloc(m.n_models, sizeof *m.res);
    for (size_t i = 0; i < m.n_models; i++) {
        m.res[i].mask = masks[i];
    }
    free(masks);

    unsigned char *active = sr_xcalloc(t->n_cells, 1);
    struct loglin_data d;
    full_data(t, active, &d);
    struct search_job job = { t, &m, active, PTHREAD_MUTEX_INITIALIZER, 0 };
    int nt = thread_count(n_threads);
    size_t chunks = (m.n_models + SEARCH_CHUNK - 1) / SEARCH_CHUNK;
    if ((size_t)nt > chunks) {
        nt = (int)chunks;
    }
    workers_run(search_worker, &job, nt);
    pthread_mutex_destroy(&job.lock);
    free(active);
    for (size_t i = 0; i < m.n_models; i++) {
        m.n_ranked += m.res[i].status == LOGLIN_OK;
    }
    m.by_aic = rank_by(&m, 0);
    m.by_bic = rank_by(&m, 1);
    *out = m;
    return SR_OK;
}

void
mse_models_release(struct mse_models *m)
{
    SR_RELEASE(m, m->res, m->by_aic, m->by_bic);
}

void
mse_models_get(const struct mse_models *m, size_t i, struct mse_model *out)
{
    assert(m != NULL && out != NULL && i < m->n_models);
    memset(out, 0, sizeof *out);
    for (int j = 0; j < m->n_cand && out->n_gen < MSE_MAX_GEN; j++) {
        if (m->res[i].mask & ((uint64_t)1 << j)) {
            out->gen[out->n_gen++] = m->cand[j];
        }
    }
}

/* ------------------------------------------------------ profile likelihood */

struct profile_ctx {
    const struct mse_table *t;
    const uint32_t *terms;
    int p;
    double *y;             /* [n_cells] with y[0] = N - n */
    unsigned char *active; /* every cell */
    struct loglin_work w;
    double beta[LOGLIN_MAX_PARAMS];
    int failed;
};

/* Cormack's correction: log(n0^n0 N! / (N^N n0!)), by Stirling for N > 100
 * exactly as Rcapture computes it. */
static double
cormack(double n0, double big_n)
{
    if (big_n > 100) {
        if (n0 == 0 || n0 == 1) {
            return -big_n + 0.5 * log(2 * M_PI * big_n);
        }
        return n0 - big_n - 0.5 * log(n0 / big_n);
    }
    double a = n0 > 0 ? n0 * log(n0) : 0;
    return a + lgamma(big_n + 1) - big_n * log(big_n) - lgamma(n0 + 1);
}

static double
profile_loglik(struct profile_ctx *c, double big_n)
{
    double n0 = big_n - c->t->n_obs;
    if (n0 < 0) {
        n0 = 0;
    }
    c->y[0] = n0;
    struct loglin_data d = { c->t->n_lists, c->t->n_cells, c->y, c->active,
                             big_n };
    struct loglin_fit f;
    loglin_fit(&d, c->terms, c->p, c->beta, &c->w, &f);
    if (f.status != LOGLIN_OK) {
        loglin_fit(&d, c->terms, c->p, NULL, &c->w, &f);
    }
    if (f.status != LOGLIN_OK && f.status != LOGLIN_NOT_CONVERGED) {
        c->failed = 1;
        return -INFINITY;
    }
    memcpy(c->beta, f.coef, (size_t)c->p * sizeof(double));
    return -f.deviance / 2 + cormack(n0, n0 + c->t->n_obs);
}

int
mse_profile_ci(const struct mse_table *t, const struct mse_model *m,
               double alpha, struct mse_profile *out, struct sr_err *err)
{
    assert(t != NULL && m != NULL && out != NULL);
    if (!(alpha > 0 && alpha < 1)) {
        return sr_err_set(err, SR_EINVAL, "alpha must be in (0, 1)");
    }
    struct loglin_fit fit;
    int rc = mse_fit_model(t, m, &fit, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (fit.status != LOGLIN_OK) {
        return sr_err_set(err, SR_EINVAL,
                          "cannot compute a profile interval: %s",
                          fit.status == LOGLIN_BOUNDARY
                              ? "the maximum likelihood estimate does not "
                                "exist"
                              : "the model does not converge or is not "
                                "identifiable");
    }
    uint32_t terms[LOGLIN_MAX_PARAMS];
    struct profile_ctx c;
    memset(&c, 0, sizeof c);
    c.t = t;
    c.terms = terms;
    c.p = mse_model_terms(m, t->n_lists, terms, LOGLIN_MAX_PARAMS);
    c.y = sr_xcalloc(t->n_cells, sizeof(double));
    memcpy(c.y, t->count, t->n_cells * sizeof(double));
    c.active = sr_xcalloc(t->n_cells, 1);
    memset(c.active, 1, t->n_cells);
    loglin_work_init(&c.w, t->n_lists, c.p);
    memcpy(c.beta, fit.coef, (size_t)c.p * sizeof(double));

    /* golden-section search for the maximum on (n, 3 N) */
    double n = t->n_obs, lo = n, hi = 3 * fit.N;
    const double gr = (sqrt(5.0) - 1) / 2;
    double x1 = hi - gr * (hi - lo), x2 = lo + gr * (hi - lo);
    double f1 = profile_loglik(&c, x1), f2 = profile_loglik(&c, x2);
    while (hi - lo > 1e-9 * hi) {
        if (f1 < f2) {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + gr * (hi - lo);
            f2 = profile_loglik(&c, x2);
        } else {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - gr * (hi - lo);
            f1 = profile_loglik(&c, x1);
        }
    }
    double n_max = (lo + hi) / 2;
    double l_max = profile_loglik(&c, n_max);
    double cut = l_max - gsl_cdf_chisq_Pinv(1 - alpha, 1) / 2;
    double lower = n, upper = NAN;
    memcpy(c.beta, fit.coef, (size_t)c.p * sizeof(double));
    if (profile_loglik(&c, n) < cut) {
        double a = n, b = n_max;
        for (int i = 0; i < 200 && b - a > 1e-10 * b; i++) {
            double mid = (a + b) / 2;
            if (profile_loglik(&c, mid) < cut) {
                a = mid;
            } else {
                b = mid;
            }
        }
        lower = (a + b) / 2;
    }
    memcpy(c.beta, fit.coef, (size_t)c.p * sizeof(double));
    if (profile_loglik(&c, 3 * fit.N) < cut) {
        double a = n_max, b = 3 * fit.N;
        for (int i = 0; i < 200 && b - a > 1e-10 * b; i++) {
            double mid = (a + b) / 2;
            if (profile_loglik(&c, mid) >= cut) {
                a = mid;
            } else {
                b = mid;
            }
        }
        upper = (a + b) / 2;
    }
    int failed = c.failed;
    loglin_work_release(&c.w);
    free(c.y);
    free(c.active);
    if (failed) {
        return sr_err_set(err, SR_EINVAL,
                          "cannot compute a profile interval: a constrained "
                          "fit failed");
    }
    out->n_max = n_max;
    out->lower = lower;
    out->upper = upper;
    return SR_OK;
}

/* ------------------------------------------------------- SparseMSE fitting */

/* The SparseMSE design for main effects + pairs: pairs with no overlap are
 * dropped and the cells holding both lists removed. Fills active and
 * terms; returns the number of terms. */
static int
sparse_design(int k, size_t n_cells, const double *y, const uint32_t *pairs,
              int n_pairs, unsigned char *active, uint32_t *terms, int *n_empty)
{
    for (size_t c = 0; c < n_cells; c++) {
        active[c] = c != 0;
    }
    int p = 0;
    terms[p++] = 0;
    for (int i = 0; i < k; i++) {
        terms[p++] = 1u << i;
    }
    int empty = 0;
    for (int j = 0; j < n_pairs; j++) {
        double overlap = 0;
        for (size_t c = 1; c < n_cells; c++) {
            if ((c & pairs[j]) == pairs[j]) {
                overlap += y[c];
            }
        }
        if (overlap > 0) {
            terms[p++] = pairs[j];
        } else {
            empty++;
            for (size_t c = 1; c < n_cells; c++) {
                if ((c & pairs[j]) == pairs[j]) {
                    active[c] = 0;
                }
            }
        }
    }
    if (n_empty != NULL) {
        *n_empty = empty;
    }
    return p;
}

static void
check_design(int k, size_t n_cells, const double *y, double n_obs,
             const uint32_t *pairs, int n_pairs, unsigned char *active,
             struct mse_check *out)
{
    uint32_t terms[LOGLIN_MAX_PARAMS];
    int p = sparse_design(k, n_cells, y, pairs, n_pairs, active, terms, NULL);
    struct loglin_data d = { k, n_cells, y, active, n_obs };
    int rank = loglin_design_rank(&d, terms, p);
    out->identifiable = rank == p;
    out->exists = loglin_mle_exists(&d, terms, p) == 1;
}

int
mse_check_pairs(const struct mse_table *t, const uint32_t *pairs, int n_pairs,
                struct mse_check *out, struct sr_err *err)
{
    assert(t != NULL && out != NULL);
    if (n_pairs < 0 || n_pairs > MSE_MAX_PAIRS ||
        (n_pairs > 0 && pairs == NULL)) {
        return sr_err_set(err, SR_EINVAL, "bad list of pairs");
    }
    for (int j = 0; j < n_pairs; j++) {
        if (popcount32(pairs[j]) != 2 || pairs[j] >= t->n_cells) {
            return sr_err_set(err, SR_EINVAL,
                              "interaction %d is not a pair of lists", j + 1);
        }
    }
    unsigned char *active = sr_xcalloc(t->n_cells, 1);
    check_design(t->n_lists, t->n_cells, t->count, t->n_obs, pairs, n_pairs,
                 active, out);
    free(active);
    return SR_OK;
}

/* Fit a SparseMSE design without checks into *f; mu stays in w->mu. */
static void
sparse_fit_raw(int k, size_t n_cells, const double *y, double n_obs,
               const uint32_t *pairs, int n_pairs, unsigned char *active,
               struct loglin_work *w, const double *start, struct loglin_fit *f,
               int *n_empty)
{
    uint32_t terms[LOGLIN_MAX_PARAMS];
    int p =
        sparse_design(k, n_cells, y, pairs, n_pairs, active, terms, n_empty);
    struct loglin_data d = { k, n_cells, y, active, n_obs };
    loglin_fit(&d, terms, p, start, w, f);
}

static void
lognormal(struct mse_sparse *s, double n_obs, double alpha)
{
    double b0 = s->fit.coef[0], sd = sqrt(s->fit.var_b0);
    double z = gsl_cdf_ugaussian_Pinv(1 - alpha / 2);
    s->N = n_obs + exp(b0);
    s->lower = n_obs + exp(b0 - z * sd);
    s->upper = n_obs + exp(b0 + z * sd);
}

static int
max_pair_params(int k)
{
    return 1 + k + k * (k - 1) / 2;
}

int
mse_sparse_fit(const struct mse_table *t, const uint32_t *pairs, int n_pairs,
               double alpha, struct loglin_work *w, struct mse_sparse *out,
               struct sr_err *err)
{
    assert(t != NULL && out != NULL);
    int rc = mse_check_data(t, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (!(alpha > 0 && alpha < 1)) {
        return sr_err_set(err, SR_EINVAL, "alpha must be in (0, 1)");
    }
    struct mse_check chk;
    rc = mse_check_pairs(t, pairs, n_pairs, &chk, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (!chk.identifiable) {
        return sr_err_set(err, SR_EINVAL,
                          "the model is not identifiable with these data");
    }
    if (!chk.exists) {
        return sr_err_set(err, SR_EINVAL,
                          "the maximum likelihood estimate does not exist "
                          "for this model (the estimate is infinite)");
    }
    struct loglin_work own;
    if (w == NULL) {
        loglin_work_init(&own, t->n_lists, max_pair_params(t->n_lists));
        w = &own;
    }
    unsigned char *active = sr_xcalloc(t->n_cells, 1);
    memset(out, 0, sizeof *out);
    sparse_fit_raw(t->n_lists, t->n_cells, t->count, t->n_obs, pairs, n_pairs,
                   active, w, NULL, &out->fit, &out->n_empty);
    free(active);
    if (w == &own) {
        loglin_work_release(&own);
    }
    if (out->fit.status != LOGLIN_OK) {
        return sr_err_set(err, SR_EINVAL, "the model fit did not converge");
    }
    out->n_pairs = n_pairs;
    for (int j = 0; j < n_pairs; j++) {
        out->pair[j] = pairs[j];
        out->p_value[j] = NAN;
    }
    lognormal(out, t->n_obs, alpha);
    return SR_OK;
}

/* The stepwise selection on raw counts; 0 on success, -1 when refused
 * (the main-effects MLE does not exist). */
static int
stepwise_core(int k, size_t n_cells, const double *y, double n_obs,
              double threshold, struct loglin_work *w, struct mse_sparse *out)
{
    uint32_t all[MSE_MAX_PAIRS];
    double nstar[MSE_MAX_PAIRS];
    int included[MSE_MAX_PAIRS] = { 0 };
    struct rank_key cands[MSE_MAX_PAIRS]; /* p-value, pair index */
    int n_all = 0;
    for (int a = 0; a < k; a++) {
        for (int b = a + 1; b < k; b++) {
            uint32_t pm = (1u << a) | (1u << b);
            double s = 0;
            for (size_t c = 1; c < n_cells; c++) {
                if ((c & pm) == pm) {
                    s += y[c];
                }
            }
            all[n_all] = pm;
            nstar[n_all++] = s;
        }
    }
    unsigned char *active = sr_xcalloc(n_cells, 1);
    unsigned char *scratch = sr_xcalloc(n_cells, 1);
    memset(out, 0, sizeof *out);
    sparse_fit_raw(k, n_cells, y, n_obs, NULL, 0, active, w, NULL, &out->fit,
                   &out->n_empty);
    if (out->fit.status != LOGLIN_OK) {
        free(active);
        free(scratch);
        return -1;
    }
    for (int cycle = 0; cycle < n_all; cycle++) {
        int n_c = 0;
        for (int j = 0; j < n_all; j++) {
            if (included[j]) {
                continue;
            }
            double pstar = 0;
            for (size_t c = 1; c < n_cells; c++) {
                if (active[c] && (c & all[j]) == all[j]) {
                    pstar += w->mu[c];
                }
            }
            unsigned int ns = (unsigned int)nstar[j];
            double lower = gsl_cdf_poisson_P(ns, pstar);
            double upper = ns == 0 ? 1.0 : gsl_cdf_poisson_Q(ns - 1, pstar);
            cands[n_c].key = lower < upper ? lower : upper;
            cands[n_c].idx = (size_t)j;
            n_c++;
        }
        qsort(cands, (size_t)n_c, sizeof cands[0], rank_cmp);
        int chosen = -1;
        double p_chosen = 1;
        for (int i = 0; i < n_c && cands[i].key < threshold; i++) {
            out->pair[out->n_pairs] = all[cands[i].idx];
            struct mse_check chk;
            check_design(k, n_cells, y, n_obs, out->pair, out->n_pairs + 1,
                         scratch, &chk);
            if (chk.exists && chk.identifiable) {
                chosen = (int)cands[i].idx;
                p_chosen = cands[i].key;
                break;
            }
        }
        if (chosen < 0) {
            break;
        }
        included[chosen] = 1;
        out->pair[out->n_pairs] = all[chosen];
        out->p_value[out->n_pairs] = p_chosen;
        out->n_pairs++;
        sparse_fit_raw(k, n_cells, y, n_obs, out->pair, out->n_pairs, active, w,
                       NULL, &out->fit, &out->n_empty);
        if (out->fit.status != LOGLIN_OK) {
            free(active);
            free(scratch);
            return -1;
        }
    }
    free(active);
    free(scratch);
    return 0;
}

int
mse_stepwise(const struct mse_table *t, double threshold, double alpha,
             struct loglin_work *w, struct mse_sparse *out, struct sr_err *err)
{
    assert(t != NULL && out != NULL);
    int rc = mse_check_data(t, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (!(threshold >= 0 && threshold <= 1)) {
        return sr_err_set(err, SR_EINVAL, "threshold must be in [0, 1]");
    }
    if (!(alpha > 0 && alpha < 1)) {
        return sr_err_set(err, SR_EINVAL, "alpha must be in (0, 1)");
    }
    struct loglin_work own;
    if (w == NULL) {
        loglin_work_init(&own, t->n_lists, max_pair_params(t->n_lists));
        w = &own;
    }
    int r = stepwise_core(t->n_lists, t->n_cells, t->count, t->n_obs, threshold,
                          w, out);
    if (w == &own) {
        loglin_work_release(&own);
    }
    if (r != 0) {
        return sr_err_set(err, SR_EINVAL,
                          "the maximum likelihood estimate does not exist "
                          "for the main-effects model");
    }
    lognormal(out, t->n_obs, alpha);
    return SR_OK;
}

/* --------------------------------------------------------------- bootstrap */

struct boot_job {
    const struct mse_table *t;
    double threshold;
    size_t n_boot;
    unsigned long seed;
    size_t n_rows;      /* observed histories */
    const size_t *row;  /* [n_rows] their cells */
    const double *prob; /* [n_rows] count / n */
    double *reps;       /* [n_boot] */
    double *jack;       /* [n_rows] */
    pthread_mutex_t lock;
    size_t next; /* next task; under lock */
};

static uint64_t
mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static void *
boot_worker(void *arg)
{
    struct boot_job *job = arg;
    const struct mse_table *t = job->t;
    int k = t->n_lists;
    struct loglin_work w;
    loglin_work_init(&w, k, max_pair_params(k));
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (rng == NULL) {
        SR_BUG("out of memory allocating a random number generator");
    }
    double *y = sr_xcalloc(t->n_cells, sizeof(double));
    unsigned int *draw = sr_xcalloc(job->n_rows, sizeof(unsigned int));
    struct mse_sparse s;
    size_t n_tasks = job->n_boot + job->n_rows;
    for (;;) {
        pthread_mutex_lock(&job->lock);
        size_t task = job->next++;
        pthread_mutex_unlock(&job->lock);
        if (task >= n_tasks) {
            break;
        }
        memset(y, 0, t->n_cells * sizeof(double));
        double n_obs = t->n_obs;
        if (task < job->n_boot) {
            gsl_rng_set(rng, (unsigned long)mix64(mix64((uint64_t)job->seed) ^
                                                  (uint64_t)task));
            gsl_ran_multinomial(rng, job->n_rows, (unsigned int)t->n_obs,
                                job->prob, draw);
            for (size_t r = 0; r < job->n_rows; r++) {
                y[job->row[r]] = draw[r];
            }
        } else {
            memcpy(y, t->count, t->n_cells * sizeof(double));
            y[job->row[task - job->n_boot]] -= 1;
            n_obs -= 1;
        }
        double est = NAN;
        if (stepwise_core(k, t->n_cells, y, n_obs, job->threshold, &w, &s) ==
                0 &&
            s.fit.status == LOGLIN_OK) {
            est = n_obs + exp(s.fit.coef[0]);
        }
        if (task < job->n_boot) {
            job->reps[task] = est;
        } else {
            job->jack[task - job->n_boot] = est;
        }
    }
    free(y);
    free(draw);
    gsl_rng_free(rng);
    loglin_work_release(&w);
    loglin_thread_done();
    return NULL;
}

static int
dbl_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* R's quantile type 8 (median-unbiased) of sorted x[0..n-1]. */
static double
quantile8(const double *x, size_t n, double p)
{
    double m = (p + 1) / 3;
    double h = (double)n * p + m;
    double j = floor(h + 4 * 2.220446e-16);
    double g = h - j;
    if (fabs(g) < 4 * 2.220446e-16) {
        g = 0;
    }
    long jj = (long)j;
    double lo = x[jj < 1 ? 0 : (jj > (long)n ? (long)n - 1 : jj - 1)];
    double hi = x[jj + 1 < 1 ? 0 : (jj + 1 > (long)n ? (long)n - 1 : jj)];
    return (1 - g) * lo + g * hi;
}

int
mse_bootstrap(const struct mse_table *t, double threshold, size_t n_boot,
              unsigned long seed, int n_threads, double alpha,
              struct mse_boot *out, struct sr_err *err)
{
    assert(t != NULL && out != NULL);
    if (n_boot < 2 || n_boot > 1000000) {
        return sr_err_set(err, SR_EINVAL,
                          "bootstrap replicates must be between 2 and "
                          "1000000");
    }
    if (!(alpha > 0 && alpha < 1)) {
        return sr_err_set(err, SR_EINVAL, "alpha must be in (0, 1)");
    }
    if (t->n_obs > 4e9) {
        return sr_err_set(err, SR_ETOOBIG, "too many people to resample");
    }
    struct mse_sparse s;
    int rc = mse_stepwise(t, threshold, alpha, NULL, &s, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct boot_job job;
    memset(&job, 0, sizeof job);
    job.t = t;
    job.threshold = threshold;
    job.n_boot = n_boot;
    job.seed = seed;
    size_t *row = sr_xcalloc(t->n_cells, sizeof(size_t));
    double *prob = sr_xcalloc(t->n_cells, sizeof(double));
    for (size_t c = 1; c < t->n_cells; c++) {
        if (t->count[c] > 0) {
            row[job.n_rows] = c;
            prob[job.n_rows] = t->count[c] / t->n_obs;
            job.n_rows++;
        }
    }
    job.row = row;
    job.prob = prob;
    job.reps = sr_xcalloc(n_boot, sizeof(double));
    job.jack = sr_xcalloc(job.n_rows, sizeof(double));
    pthread_mutex_init(&job.lock, NULL);
    workers_run(boot_worker, &job, thread_count(n_threads));
    pthread_mutex_destroy(&job.lock);

    memset(out, 0, sizeof *out);
    out->n_boot = n_boot;
    out->reps = job.reps;
    out->estimate = s.N;
    /* acceleration from the jackknife, each history weighted by its count */
    double sw = 0, swj = 0;
    for (size_t r = 0; r < job.n_rows; r++) {
        if (isfinite(job.jack[r])) {
            sw += t->count[row[r]];
            swj += t->count[row[r]] * job.jack[r];
        }
    }
    double mean = swj / sw, s2 = 0, s3 = 0;
    for (size_t r = 0; r < job.n_rows; r++) {
        if (isfinite(job.jack[r])) {
            double d = mean - job.jack[r];
            s2 += t->count[row[r]] * d * d;
            s3 += t->count[row[r]] * d * d * d;
        }
    }
    out->a_hat = s2 > 0 ? s3 / (6 * pow(s2, 1.5)) : 0;
    double *ok = sr_xcalloc(n_boot, sizeof(double));
    size_t n_ok = 0, below = 0;
    for (size_t b = 0; b < n_boot; b++) {
        if (isfinite(job.reps[b])) {
            ok[n_ok++] = job.reps[b];
            below += job.reps[b] < s.N;
        } else {
            out->n_failed++;
        }
    }
    free(job.jack);
    free(row);
    free(prob);
    if (n_ok < 2) {
        free(ok);
        mse_boot_release(out);
        return sr_err_set(err, SR_EINVAL,
                          "cannot form a bootstrap interval: fewer than two "
                          "replicates gave an estimate");
    }
    qsort(ok, n_ok, sizeof(double), dbl_cmp);
    double frac = (double)below / (double)n_ok;
    double edge = 0.5 / (double)n_ok;
    if (frac < edge) {
        frac = edge;
    }
    if (frac > 1 - edge) {
        frac = 1 - edge;
    }
    out->z0 = gsl_cdf_ugaussian_Pinv(frac);
    double lim[2];
    double q[2] = { alpha / 2, 1 - alpha / 2 };
    for (int i = 0; i < 2; i++) {
        double za = gsl_cdf_ugaussian_Pinv(q[i]) + out->z0;
        double zq = gsl_cdf_ugaussian_P(out->z0 + za / (1 - out->a_hat * za));
        lim[i] = quantile8(ok, n_ok, zq);
    }
    out->lower = lim[0];
    out->upper = lim[1];
    free(ok);
    return SR_OK;
}

void
mse_boot_release(struct mse_boot *out)
{
    SR_RELEASE(out, out->reps);
}
