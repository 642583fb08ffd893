/*
 * referral.h - the referral network: a contact or a case sent from
 * one organisation to another for a service, with urgency, the consent
 * basis and an encrypted note, and the partner's answer step by step.
 *
 * States: sent -> acknowledged -> accepted | declined (reason);
 * accepted -> action_taken | no_action (reason); declined, action_taken,
 * no_action -> closed. A partner may accept or decline straight from
 * sent: that answer is also its acknowledgement. Every transition is
 * dated, names who made it, and is audited in its transaction.
 *
 * A referral is overdue while it is still 'sent' (no answer) past its
 * due time: sent_at + the urgency's answer time (referral_answer_hours).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_REFERRAL_H
#define SR_REFERRAL_H

#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "base/policy.h"
#include "base/store.h"
#include "core/vocab.h"

struct vault;
struct ws;

/* Caps, in bytes. */
#define REFERRAL_MAX_NOTE 4000

/* The value lists of data/lists/referral/referral.tsv (NULL-code-terminated;
 * labels are msgids), declared by the generated lists.h that core/vocab.h
 * includes: referral_urgencies (emergency..low), referral_statuses
 * (sent..closed), referral_decline_reasons, referral_no_action_reasons. */

/*
 * Hours a partner has to answer (acknowledge) a referral of urgency:
 * emergency 2, high 24, normal 72, low 168. -1 for an unknown urgency.
 */
int referral_answer_hours(const char *urgency);

/*
 * The consent bit (CONTACT_CONSENT_NGO or CONTACT_CONSENT_POLICE of
 * contact.h) needed to refer to an organisation of kind (org_kinds):
 * police, prosecutor, labour_inspection and embassy need the police and
 * authorities consent; every other kind (NGOs, services, social welfare,
 * UN agencies, hotlines) the NGOs and services consent. 0 for an unknown
 * kind.
 */
int referral_consent_needed(const char *org_kind);

/*
 * The subject of a referral: what the sender may see of it (no
 * identity). Strings are copies.
 *
 * For a case, the problem place is the place of exploitation, the
 * category is "trafficking", the language the first language of the
 * first victim, and consent is per person: the NGO (police) bit is set
 * only when the case has at least one victim and every victim's newest
 * 'share_ngo' ('share_police') consent is 'given' (person_consent() of
 * person.h); no_ngo and no_police then name the first victim who has
 * not given it. People merged into another record are not counted (the
 * record they were merged into is).
 */
struct referral_subject {
    int64_t id, org_id;
    char type[16];       /* "contact" or "case" */
    char code[32];       /* C-XXXX-XXXX or K-XXXX-XXXX */
    char province[16];   /* problem province (ISO 3166-2) or "" */
    char country[4];     /* problem country or "" */
    char language[8];    /* caller's (first victim's) language, ISO 639 */
    char category[32];   /* contact_categories code */
    int consent;         /* bits of enum contact_consent */
    int64_t received_at; /* contact came in / case identified, unix s */
    int n_victims;       /* case: live victims (contact: 0) */
    char no_ngo[32];     /* case: first victim without 'share_ngo', or "" */
    char no_police[32];  /* case: first victim without 'share_police' */
};

/*
 * Look up the subject (type "contact" or "case", code) for who:
 * SR_ENOTFOUND when absent, deleted, or outside who's referral.send
 * scope - for a case also outside who's case.read scope (who NULL = the
 * command line: any); SR_EINVAL naming "subject_type" for another type.
 * Reads no identity field.
 */
int referral_subject_get(struct db *db, const struct principal *who,
                         const char *type, const char *code,
                         struct referral_subject *out, struct sr_err *err);

/* What a sender enters. Strings borrowed. */
struct referral_input {
    const char *subject_type; /* "contact" or "case"; NULL = "contact" */
    const char *subject_code; /* C-XXXX-XXXX or K-XXXX-XXXX */
    const char *to_org;       /* receiving organisation's code */
    const char *service;      /* org_services code */
    const char *urgency;      /* referral_urgencies code */
    const char *note;         /* free text for the partner, or NULL/"" */
    int64_t from_org_id;      /* command line only: the sending org; 0 =
                                 the subject's organisation */
    int64_t sent_at;          /* unix seconds; 0 = now (the demo backdates) */
};

/*
 * Send a referral for who (never NULL; principal_local() for the command
 * line, audited with no
 * user). Checks in order, each refusal changing nothing: the subject
 * exists in who's referral.send scope (SR_ENOTFOUND), the receiving
 * organisation exists, is active and is not the sender (SR_EINVAL naming
 * "to"), service and urgency are in their lists (SR_EINVAL naming the
 * field), the note is at most REFERRAL_MAX_NOTE bytes of UTF-8, and the
 * subject's consent covers the receiving organisation's kind: otherwise
 * SR_EPERM with a message naming the consent missing (for a case also
 * the code of the first victim who has not given it, never a name; a
 * case without victims is refused too). The note is stored encrypted.
 * Audited as referral.send. Writes the new code.
 */
int referral_send(struct db *db, const struct vault *v,
                  const struct principal *who, const struct referral_input *in,
                  char code_out[32], struct sr_err *err);

/*
 * Whether a referral in state from may move to state to (both
 * referral_statuses codes). 1 or 0.
 */
int referral_transition_ok(const char *from, const char *to);

/*
 * Move referral code to state status, with reason (a code of
 * referral_decline_reasons for declined, referral_no_action_reasons for
 * no_action; otherwise NULL or ""), at unix time at (0 = now; never
 * before the previous step nor in the future). who NULL = the command
 * line (any referral, any step). Otherwise: the receiving organisation's
 * users with referral.answer make every step; the sending organisation's
 * users with referral.send may close. A referral outside who's reach is
 * SR_ENOTFOUND; a refused transition SR_ECONFLICT ("status: cannot go
 * from sent to closed"); a missing or unknown reason SR_EINVAL naming
 * "reason". Audited as referral.answer.
 */
int referral_answer(struct db *db, const struct vault *v,
                    const struct principal *who, const char *code,
                    const char *status, const char *reason, int64_t at,
                    struct sr_err *err);

/* One referral as listed; strings borrowed until the callback returns. */
struct referral_row {
    int64_t id, subject_id, from_org_id, to_org_id;
    const char *code, *subject_type;
    const char *subject_code; /* "" unless who is of the sending org or
                                 the command line */
    const char *from_org_code, *from_org_name, *to_org_code, *to_org_name;
    const char *to_org_kind;
    const char *province, *category, *language, *service, *urgency;
    const char *status, *decline_reason, *outcome, *outcome_reason;
    const char *sent_by; /* username or "" */
    int64_t sent_at, due_at, acknowledged_at, accepted_at, declined_at;
    int64_t outcome_at, closed_at; /* 0 = not yet */
    int consent_basis, has_note;
    int is_overdue; /* still 'sent' past due_at at the time of the call */
};

/* Which referrals a listing shows. Zero/NULL fields match everything. */
struct referral_filter {
    int64_t from_org_id; /* sent by this organisation */
    int64_t to_org_id;   /* sent to this organisation */
    int64_t org_id;      /* sent by or to this organisation */
    const char *status;  /* a referral_statuses code */
    int is_overdue;      /* only overdue ones */
    int64_t before_id;   /* ids below this (paging); 0 = newest */
    int limit;           /* 0 = 100, at most 1000 */
};

/*
 * Call fn for each referral matching f within who's referral.read scope
 * (sent by or to who's organisation; all for SCOPE_ALL; who NULL = the
 * command line), newest first; fn returns non-zero to stop. An unknown
 * status is SR_EINVAL naming "status".
 */
int referral_list(struct db *db, const struct principal *who,
                  const struct referral_filter *f,
                  int (*fn)(const struct referral_row *r, void *ctx), void *ctx,
                  struct sr_err *err);

/*
 * How many referrals referral_list() gives for who and f over all its
 * pages (f's before_id and limit are not used), counted up to cap + 1
 * rows: *n_matches is the count, or cap + 1 when more than cap match (a
 * count that stays fast however many referrals there are). 0 for a role
 * without referral.read; an unknown status is SR_EINVAL naming "status";
 * SR_EDB. *n_matches is written only on success.
 */
int referral_list_count(struct db *db, const struct principal *who,
                        const struct referral_filter *f, int64_t cap,
                        int64_t *n_matches, struct sr_err *err);

/* The referral with code if within who's referral.read scope, else
 * SR_ENOTFOUND. */
int referral_get(struct db *db, const struct principal *who, const char *code,
                 int (*fn)(const struct referral_row *r, void *ctx), void *ctx,
                 struct sr_err *err);

/* One step of a referral's history; strings borrowed. */
struct referral_event_row {
    const char *status, *reason, *username, *org_name;
    int64_t at;
};

/* The history of referral_id, oldest first (no scope check: call after
 * referral_get). */
int referral_history(struct db *db, int64_t referral_id,
                     int (*fn)(const struct referral_event_row *e, void *ctx),
                     void *ctx, struct sr_err *err);

/*
 * Decrypt the note of referral_id into out (empty if none) for who: the
 * receiving organisation's users with referral.answer, and the sending
 * organisation's users who may see identities (who NULL = command line).
 * SR_EPERM for anyone else; SR_ENOTFOUND outside scope. Audited as
 * referral.view_note.
 */
int referral_note_read(struct db *db, const struct vault *v,
                       const struct principal *who, int64_t referral_id,
                       struct sr_buf *out, struct sr_err *err);

/* Whether who may read the note of r (the rule of referral_note_read). */
int referral_may_read_note(const struct principal *who,
                           const struct referral_row *r);

/*
 * Counts for the dashboard within who's referral.read scope: referrals
 * still awaiting an answer (state sent) and, of those, overdue ones.
 */
int referral_count_awaiting(struct db *db, const struct principal *who,
                            int64_t *n_awaiting, int64_t *n_overdue,
                            struct sr_err *err);

/*
 * Outcome statistics for the monthly report, per receiving organisation.
 *
 * The cohort: referrals with sent_at in [from, to) (unix seconds) sent
 * by organisation org_scope (0 = every organisation). Their answers are
 * counted whenever they came (up to now). fn is called once per
 * receiving organisation that got at least one referral of the cohort,
 * by organisation name, then once more with the totals row (org_id 0,
 * org_code "", org_name "") over the whole cohort. fn returns non-zero
 * to stop. For each row:
 *   n_sent            referrals in the cohort
 *   n_acknowledged    with an answer (acknowledged, accepted or declined)
 *   n_accepted        accepted at some point
 *   n_declined        declined
 *   n_action_taken    outcome action_taken
 *   n_no_action       outcome no_action
 *   median_hours_ack  median of (acknowledged_at - sent_at) / 3600 over
 *                     the acknowledged ones; -1 when there are none
 *   median_hours_action  median of (outcome_at - sent_at) / 3600 over
 *                     those with outcome action_taken; -1 when none
 *   n_trafficking     distinct contacts of category trafficking referred
 *                     (to this organisation; in the totals row, to any)
 *   n_trafficking_action  of those, contacts with at least one referral
 *                     (to this organisation; in the totals row, to any)
 *                     whose outcome is action_taken
 * Medians are exact: the middle value, or the mean of the two middle
 * values for an even count. Read-only; SR_EINVAL when from > to.
 */
struct referral_outcome {
    int64_t org_id;
    const char *org_code, *org_name; /* borrowed until fn returns */
    int64_t n_sent, n_acknowledged, n_accepted, n_declined;
    int64_t n_action_taken, n_no_action;
    double median_hours_ack, median_hours_action;
    int64_t n_trafficking, n_trafficking_action;
};
int referral_outcomes(struct db *db, int64_t org_scope, int64_t from,
                      int64_t to,
                      int (*fn)(const struct referral_outcome *o, void *ctx),
                      void *ctx, struct sr_err *err);

/*
 * Contacts a demo may refer: live contacts of organisation org_id with
 * category trafficking or labour_rights, oldest first, at most max, into
 * out[0 .. *n_out).
 */
int referral_demo_candidates(struct db *db, int64_t org_id, size_t max,
                             struct referral_subject *out, size_t *n_out,
                             struct sr_err *err);

#endif
