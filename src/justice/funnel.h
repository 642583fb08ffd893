/*
 * funnel.h - the criminal-justice funnel: for the cases identified in
 * each period, how many reached each stage (justice.h), overall and split
 * by legal-aid support, exploitation type, industry or province; the
 * median days between consecutive stages; rescues without arrests; and
 * which perpetrator roles were arrested.
 *
 * Counting rules (docs/justice.md):
 * - a case reaches a stage when it has an event of that stage (a
 *   conviction is also a verdict); stages are not implied by later ones,
 *   so the columns are what was recorded;
 * - the time of a stage is its first event (identified: the case's
 *   identification date); a median runs over the cases that reached both
 *   stages of the pair;
 * - a case any of whose people declined (or withdrew) research use is
 *   counted in the totals rows only (its stages and rescues without
 *   arrests): it is left out of every split row and of the medians, and
 *   each totals row says how many such cases it holds (n_excluded). A
 *   split row or a median could otherwise describe the one case of a
 *   person who declined (the same rule as case_research_ok() in
 *   person.h). A case without any person recorded is not excluded.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_FUNNEL_H
#define SR_FUNNEL_H

#include <stddef.h>
#include <stdint.h>

#include "base/principal.h"
#include "base/store.h"
#include "core/err.h"
#include "justice/justice.h"
#include "core/vocab.h"

enum funnel_period { FUNNEL_HALF = 0, FUNNEL_QUARTER, FUNNEL_YEAR };
enum funnel_split {
    FUNNEL_BY_NONE = 0,
    FUNNEL_BY_LEGAL_AID,
    FUNNEL_BY_EXPLOITATION,
    FUNNEL_BY_INDUSTRY,
    FUNNEL_BY_PROVINCE
};

/* Parse "half"|"quarter"|"year" and "legal_aid"|"exploitation"|
 * "industry"|"province"|"" (none). SR_EINVAL naming period or by. */
int funnel_parse_period(const char *s, enum funnel_period *out,
                        struct sr_err *err);
int funnel_parse_split(const char *s, enum funnel_split *out,
                       struct sr_err *err);
const char *funnel_split_name(enum funnel_split by);
const char *funnel_period_name(enum funnel_period p);

/*
 * Labels of the exploitation bits of case_file.exploitation: entry i
 * names bit i. Set by whoever owns the vocabulary (case.c) before the
 * first report; while NULL the groups are "type_N".
 */
extern const struct vocab_item *funnel_exploitation_vocab;

/* One row: a period (and a group of the split). */
struct funnel_row {
    char period[12];            /* "2025-H1", "2025-Q3" or "2025" */
    char group[48];             /* split group code; "" in totals rows */
    int64_t n[JS__COUNT];       /* cases reaching each stage; n[0] = cases */
    int64_t n_rescue_no_arrest; /* rescued, never an arrest */
    int64_t n_excluded;         /* totals rows: cases counted only here */
};

/* Median days from stage `from` to stage from + 1. */
struct funnel_median {
    int64_t n_cases;    /* cases that reached both */
    double median_days; /* 0 when n_cases is 0 */
};

/* A perpetrator role in cases, and how often arrested there. */
struct funnel_role {
    char role[32];      /* entity_roles code */
    int64_t n_linked;   /* (case, perpetrator) pairs in that role */
    int64_t n_arrested; /* of them, named in an arrest event of the case */
};

struct funnel_report {
    enum funnel_period period;
    enum funnel_split by;
    struct funnel_row *totals; /* per period, oldest first */
    size_t n_totals;
    struct funnel_row *groups; /* per period and group (none if BY_NONE) */
    size_t n_groups;
    struct funnel_median medians[JS__COUNT - 1]; /* [i]: stage i -> i+1 */
    struct funnel_role *roles;                   /* by role code */
    size_t n_roles;
    int64_t n_cases;    /* all cases in the report */
    int64_t n_excluded; /* of them, counted only in totals */
};

/*
 * Compute the funnel over the live cases in who's funnel.read scope (the
 * cases of who's organisation, or of every organisation; the command
 * line narrows it by setting who->org_id) identified in [from, to) (unix
 * seconds; 0: open). Periods are UTC calendar half-years, quarters or
 * years. out is the caller's; release with funnel_release(). SR_EPERM
 * (out untouched) without that scope; SR_OK or SR_EDB. who must not be
 * NULL.
 */
int funnel_compute(struct db *db, const struct principal *who, int64_t from,
                   int64_t to, enum funnel_period period, enum funnel_split by,
                   struct funnel_report *out, struct sr_err *err);

/* Free r's arrays; r becomes empty. Safe twice. */
void funnel_release(struct funnel_report *r);

/* Median of n doubles (sorted in place); 0 for n == 0. */
double funnel_median_of(double *v, size_t n);

#endif
