/*
 * justice.h - the criminal-justice process of a case: dated events by an
 * agency (reported to authority ... compensation paid, and the events
 * that stop or slow it: case dropped, bail, victim declined), each
 * naming the perpetrators it concerns.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_JUSTICE_H
#define SR_JUSTICE_H

#include <stddef.h>
#include <stdint.h>

#include "base/principal.h"
#include "base/store.h"
#include "core/err.h"
#include "core/vocab.h"

struct vault;

/*
 * The stages of the funnel, in order. Stage 0 is every identified case;
 * an event kind reaches at most one stage (justice_event.stage), except
 * that a conviction is also a verdict (funnel.c counts it in both).
 */
enum justice_stage {
    JS_IDENTIFIED = 0,
    JS_REPORTED,
    JS_INVESTIGATED,
    JS_RESCUED,
    JS_ARRESTED,
    JS_CHARGED,
    JS_TRIAL,
    JS_VERDICT,
    JS_CONVICTED,
    JS_SENTENCED,
    JS_COMPENSATED,
    JS__COUNT
};

/* The value lists of data/lists/justice/justice.tsv (NULL-code-terminated;
 * labels are msgids), declared by the generated lists.h that core/vocab.h
 * includes: justice_stages (stage codes "identified", "reported", ..., in
 * order), justice_event_kinds (reported, investigation_opened, rescue, ...),
 * justice_agency_kinds (for events by an agency not in the directory),
 * justice_drop_reasons (kind case_dropped), justice_decline_reasons (a
 * victim declined to proceed: kind victim_declined). */

/* The funnel stage event kind code reaches (JS_IDENTIFIED = none), or -1
 * for an unknown kind. */
int justice_kind_stage(const char *kind);

/* A case as the justice module sees it. */
struct justice_case {
    int64_t id;
    char code[32];
    int64_t org_id;        /* owning organisation */
    int64_t owner_id;      /* assigned case worker, else creator; 0 = none */
    int64_t identified_at; /* unix seconds */
    int stage;             /* furthest stage reached so far */
};

/*
 * Look up a live case by code in who's scope for action a (the case's
 * organisation and owner): ACT_JUSTICE_RECORD to record events on it;
 * ACT_CASE_READ to read its justice process, which case.read or
 * justice.record grants (whichever reaches further). Returns SR_OK,
 * SR_ENOTFOUND ("case: no case 'K-...'") for an unknown case, a case
 * of an organisation outside the scope or no scope at all, SR_EPERM
 * ("case: not yours") for a case of the organisation that an own scope
 * does not reach, SR_EDB. *out is written only on success. who must not
 * be NULL.
 */
int justice_case_by_code(struct db *db, const struct principal *who,
                         enum action a, const char *code,
                         struct justice_case *out, struct sr_err *err);
/* Like justice_case_by_code() for a case id. */
int justice_case_by_id(struct db *db, const struct principal *who,
                       enum action a, int64_t id, struct justice_case *out,
                       struct sr_err *err);

/*
 * 1 if who may record justice events on case c (read in who's scope
 * with justice_case_by_*()), else 0. Reads nothing.
 */
int justice_can_record(const struct principal *who,
                       const struct justice_case *c);

/* A new event; strings borrowed. */
struct justice_event_input {
    const char *kind;       /* justice_event_kinds code */
    const char *date;       /* YYYY-MM-DD, not before 1990, not in the future */
    const char *agency_org; /* organisation code, or NULL/"" */
    const char *agency_kind;         /* justice_agency_kinds code, or NULL/"" */
    const char *reason;              /* required for case_dropped and
                                victim_declined, else NULL/"" */
    const char *const *perpetrators; /* entity codes linked to the case */
    size_t n_perpetrators;           /* at most 32 */
};

/*
 * Record an event on case case_id as who (the audit row's actor; its
 * user, if any, is the event's creator). The case must be in who's
 * justice.record scope: SR_ENOTFOUND for an unknown case or one outside
 * the scope, SR_EPERM for a case of the organisation an own scope does
 * not reach; nothing is written then. Exactly one of agency_org and
 * agency_kind is given. Each perpetrator must be an entity linked to the
 * case (case_entity). Checks everything first (SR_EINVAL naming the
 * field: kind, date, agency, reason, perpetrators), then inserts the
 * event and its perpetrators and appends the audit row (justice.record)
 * in one transaction. *out_id gets the event id. SR_EDB. who must not be
 * NULL.
 */
int justice_add_event(struct db *db, const struct vault *v,
                      const struct principal *who, int64_t case_id,
                      const struct justice_event_input *in, int64_t *out_id,
                      struct sr_err *err);

/* A listed event; strings borrowed until the callback returns. */
struct justice_event_row {
    int64_t id;
    const char *kind;
    int stage;
    int64_t occurred_at;      /* unix seconds */
    const char *agency_code;  /* organisation code or "" */
    const char *agency_name;  /* organisation name or "" */
    const char *agency_kind;  /* kind code or "" */
    const char *reason;       /* reason code or "" */
    const char *perpetrators; /* entity codes, comma-separated, or "" */
};

/*
 * Call fn for each event of case case_id, oldest first; fn returns 0 to
 * go on. The case must be in who's scope for reading its justice process
 * (justice_case_by_id() with ACT_CASE_READ): else SR_ENOTFOUND or
 * SR_EPERM and fn is never called. SR_OK or SR_EDB. who must not be
 * NULL.
 */
int justice_list_events(struct db *db, const struct principal *who,
                        int64_t case_id,
                        int (*fn)(const struct justice_event_row *r, void *ctx),
                        void *ctx, struct sr_err *err);

/* A case the demo may add events to. */
struct justice_demo_case {
    int64_t id;
    int64_t org_id;
    int64_t identified_at;
    int has_legal_aid;
};

/*
 * For the demo only: call fn for every live case (by id) in who's
 * justice.record scope that has no justice event yet; the demo adds
 * events through justice_add_event(). Creates nothing. A principal
 * without that scope gets no case (SR_OK). SR_EDB. who must not be NULL.
 */
int justice_demo_cases(struct db *db, const struct principal *who,
                       int (*fn)(const struct justice_demo_case *c, void *ctx),
                       void *ctx, struct sr_err *err);

/* "YYYY-MM-DD" to unix seconds at 00:00 UTC; SR_EINVAL naming field. */
int justice_parse_day(const char *s, const char *field, int64_t *out,
                      struct sr_err *err);
/* Unix seconds to "YYYY-MM-DD" (UTC). */
void justice_format_day(int64_t t, char out[11]);

#endif
