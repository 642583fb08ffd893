/*
 * case.h - cases: trafficking situations opened from hotline contacts or
 * directly, described with the Human Trafficking Case Data Standard
 * (HTCDS v2) vocabulary plus forced criminality; their status, the
 * support plan, and encrypted case notes.
 *
 * A case is known by its code (K-XXXX-XXXX). Every write is audited in the
 * same transaction; the notes are read only through an audited call. The
 * people in a case live in person.h.
 *
 * Who may do what: reads need case.read in scope (the case's
 * organisation), writes case.update (a case worker: cases created by or
 * assigned to them). The command line acts through principal_local()
 * (base/principal.h), the holder of the workspace passphrase: every case,
 * every identity, its writes audited with no user. who is never NULL.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CASE_H
#define SR_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "base/policy.h"
#include "base/principal.h"
#include "base/store.h"
#include "core/vocab.h"

struct vault;

/* Caps, in bytes. */
#define CASE_MAX_NOTE     8000
#define CASE_MAX_CONTACTS 20
#define CASE_MAX_SITES    10

/*
 * The value lists (NULL-code-terminated; labels are msgids). For
 * case_exploitation and case_control_methods item i is bit i of the
 * stored bit set.
 */
/* The value lists of data/lists/cases/case.tsv (NULL-code-terminated; labels
 * are msgids), declared by the generated lists.h that core/vocab.h includes:
 * case_statuses (active ...), case_close_reasons (on closing),
 * case_traf_statuses (possible ...), case_deciders (police, ngo ...),
 * case_exploitation (bit set), case_industries (ISIC Rev.4 A-U),
 * case_sex_types (sex exploitation), case_control_methods (bit set),
 * case_recruit_methods, case_recruit_sites (websites, apps), case_services
 * (support plan), case_support_states. */

/*
 * A case's attributes. Strings borrowed; NULL or "" = not given. Places
 * are an ISO 3166-1 country and an ISO 3166-2 province of the gazetteer
 * (a province alone implies its country); dates are YYYY, YYYY-MM or
 * YYYY-MM-DD.
 */
struct case_input {
    int64_t identified_at;      /* unix seconds; 0 = now */
    const char *traf_status;    /* case_traf_statuses; "" = possible */
    const char *decided_by;     /* case_deciders or "" */
    uint32_t exploitation;      /* bits of case_exploitation */
    const char *industry;       /* case_industries or "" */
    const char *sex_type;       /* case_sex_types or "" */
    uint32_t control_methods;   /* bits of case_control_methods */
    const char *recruit_method; /* case_recruit_methods or "" */
    const char *recruit_sites;  /* comma-separated case_recruit_sites */
    const char *recruit_country, *recruit_province, *recruit_date;
    const char *transit_country, *transit_province;
    const char *exploit_country, *exploit_province;
    const char *exploit_from, *exploit_to;
    int64_t assigned_to;       /* user id of the case worker, or 0 */
    const char *legal_aid_org; /* organisation code, or "" */
    int64_t legal_aid_from;    /* unix seconds, or 0 */
};

/*
 * Check every field; the first bad one gives SR_EINVAL naming it.
 * Does not look up assigned_to or legal_aid_org (case_open does).
 */
int case_validate(const struct case_input *in, struct sr_err *err);

/*
 * Open a case for who's organisation from the contacts with the given
 * codes (n_contacts 0 to CASE_MAX_CONTACTS; each must be a live contact of
 * that organisation, else SR_EINVAL naming it), audited as case.create
 * (detail: the contact codes). The assigned user, when given, must be an
 * active user of the same organisation. Writes the code and id.
 * Returns SR_OK, SR_EINVAL, SR_EPERM (who may not create cases), SR_EDB.
 */
int case_open(struct db *db, const struct vault *v, const struct principal *who,
              const struct case_input *in, const char *const *contact_codes,
              size_t n_contacts, char code_out[32], int64_t *id_out,
              struct sr_err *err);

/*
 * Replace the attributes of case code with in (status and contacts
 * unchanged); audited as case.update. SR_ENOTFOUND out of who's read
 * scope, SR_EPERM without case.update on it, SR_EINVAL.
 */
int case_update(struct db *db, const struct vault *v,
                const struct principal *who, const char *code,
                const struct case_input *in, struct sr_err *err);

/*
 * Set the status (case_statuses). closed and closed_referred need a
 * reason of case_close_reasons; the others clear it. Audited as
 * case.status. Errors as case_update().
 */
int case_set_status(struct db *db, const struct vault *v,
                    const struct principal *who, const char *code,
                    const char *status, const char *reason, struct sr_err *err);

/* One case; strings borrowed until the callback returns. */
struct case_row {
    int64_t id, org_id, created_by, assigned_to;
    int64_t identified_at, created_at, updated_at, legal_aid_from;
    const char *code, *org_name, *assigned_name, *legal_aid_org;
    const char *legal_aid_name;
    const char *status, *close_reason, *traf_status, *decided_by;
    uint32_t exploitation, control_methods;
    const char *industry, *sex_type, *recruit_method, *recruit_sites;
    const char *recruit_country, *recruit_province, *recruit_date;
    const char *transit_country, *transit_province;
    const char *exploit_country, *exploit_province;
    const char *exploit_from, *exploit_to;
    int n_people; /* people linked (live, not merged away) */
    int n_retraf; /* of them, people also in another case */
};

/*
 * The case with code if who may read it, else SR_ENOTFOUND (absent and
 * out of scope look the same). fn is called once.
 */
int case_get(struct db *db, const struct principal *who, const char *code,
             int (*fn)(const struct case_row *r, void *ctx), void *ctx,
             struct sr_err *err);

/*
 * The id and organisation of live case code if who's scope of action a
 * (case.read, case.create, case.update ...) reaches it, else SR_ENOTFOUND.
 * For case.update a case worker's own cases are those created by or
 * assigned to them (SR_EPERM for another case of their organisation).
 */
int case_find(struct db *db, const struct principal *who, const char *code,
              enum action a, int64_t *id_out, int64_t *org_out,
              struct sr_err *err);

/* 1 if who may change the case (case.update in scope), else 0. */
int case_can_update(const struct principal *who, const struct case_row *r);

/* Filter for case_list; zero/NULL/"" match everything. */
struct case_filter {
    const char *status;      /* case_statuses code */
    const char *traf_status; /* case_traf_statuses code */
    int exploitation;        /* index into case_exploitation, or -1 */
    int64_t from, to;        /* identified_at range, unix seconds */
    int64_t before_id;       /* keyset paging: ids below this */
    int limit;               /* 0 = 50, at most 500 */
};

/*
 * Cases in who's read scope matching f, newest id first. fn returns 0 to
 * go on. SR_OK, SR_EDB.
 */
int case_list(struct db *db, const struct principal *who,
              const struct case_filter *f,
              int (*fn)(const struct case_row *r, void *ctx), void *ctx,
              struct sr_err *err);

/*
 * How many cases case_list() gives for who and f over all its pages (f's
 * before_id and limit are not used), counted up to cap + 1 rows:
 * *n_matches is the count, or cap + 1 when more than cap match (a count
 * that stays fast however many cases there are). 0 for a role without
 * case.read. SR_OK, SR_EDB; *n_matches is written only on success.
 */
int case_list_count(struct db *db, const struct principal *who,
                    const struct case_filter *f, int64_t cap,
                    int64_t *n_matches, struct sr_err *err);

/* The codes of the contacts case_id was opened from. */
int case_contacts(struct db *db, int64_t case_id,
                  int (*fn)(const char *contact_code, void *ctx), void *ctx,
                  struct sr_err *err);

/* A support plan item as entered. Strings borrowed. */
struct support_input {
    const char *service;      /* case_services, required */
    const char *person_code;  /* a person of the case, or "" = whole case */
    const char *provider_org; /* organisation code, or "" */
    const char *planned_date; /* YYYY-MM-DD or "" */
    const char *actual_date;  /* YYYY-MM-DD or "" */
    const char *status;       /* case_support_states; "" = planned */
};

/* Add a support item to case code; audited as case.support. */
int case_support_add(struct db *db, const struct vault *v,
                     const struct principal *who, const char *code,
                     const struct support_input *in, struct sr_err *err);

/* One support item; strings borrowed until the callback returns. */
struct support_row {
    int64_t id;
    const char *service, *person_code, *provider_name;
    const char *planned_date, *actual_date, *status;
};

/* The support plan of case_id (caller has checked read access). */
int case_support_list(struct db *db, int64_t case_id,
                      int (*fn)(const struct support_row *r, void *ctx),
                      void *ctx, struct sr_err *err);

/*
 * Add a note (1 to CASE_MAX_NOTE bytes of UTF-8) to case code, stored
 * encrypted (AD case_note.body, row id); audited as case.note.
 */
int case_note_add(struct db *db, const struct vault *v,
                  const struct principal *who, const char *code,
                  const char *text, struct sr_err *err);

/* One decrypted note; text borrowed until the callback returns (wiped). */
struct note_row {
    int64_t id, created_at;
    const char *author; /* username or "" for the command line */
    const char *text;
};

/*
 * Decrypt the notes of case code, oldest first, for a role that may see
 * identities; the read is audited (case.read_notes) in one transaction.
 * SR_EPERM for other roles, SR_ENOTFOUND out of scope.
 */
int case_notes_read(struct db *db, const struct vault *v,
                    const struct principal *who, const char *code,
                    int (*fn)(const struct note_row *r, void *ctx), void *ctx,
                    struct sr_err *err);

/* Number of notes of case_id (no decryption, no audit). */
int case_note_count(struct db *db, int64_t case_id, int64_t *n_out,
                    struct sr_err *err);

/*
 * Active users of org_id who may be assigned cases (case workers and
 * coordinators), for forms.
 */
int case_assignees(struct db *db, int64_t org_id,
                   int (*fn)(int64_t user_id, const char *username, void *ctx),
                   void *ctx, struct sr_err *err);

/*
 * Trafficking contacts of org_id (category 'trafficking', live), newest
 * first, at most limit: codes for the "open from contacts" form and the
 * demo.
 */
int case_trafficking_contacts(struct db *db, int64_t org_id, int limit,
                              int (*fn)(const char *code, void *ctx), void *ctx,
                              struct sr_err *err);

/*
 * Parse "a,b" codes of list (each must be in list) into a bit set;
 * SR_EINVAL naming field. Used by the web and CLI fronts.
 */
int case_parse_bits(const struct vocab_item *list, const char *csv,
                    const char *field, uint32_t *out, struct sr_err *err);

#endif
