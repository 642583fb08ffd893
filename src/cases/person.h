/*
 * person.h - the people in cases (victims, callers, witnesses,
 * perpetrators), their consent, possible duplicates and merges, and the
 * audited "break the glass" view.
 *
 * A person is known by a code (P-XXXX-XXXX). Identity fields (name,
 * aliases, date of birth, phone, ID and passport numbers, address) are
 * stored only as vault ciphertext, phone, ID number, passport and the
 * normalised name also as blind indexes (domains 'phone', 'idnum',
 * 'passport', 'name'); the non-identifying attributes are in clear. Every
 * read of an identity is audited in the same transaction.
 *
 * Scope: a person is visible to who when who may read (case.read) the
 * organisation that recorded them or a case they are in.
 *
 * Consent API for referrals, exports and statistics:
 *   person_consent(db, person_id, "share_police") == 1 only when the
 *   newest consent row for that purpose says 'given';
 *   person_research_ok(db, person_id) == 0 when the newest 'research'
 *   row says declined or withdrawn (no row: usable, non-identifying);
 *   case_research_ok(db, case_id) == 0 when any person of the case has
 *   declined research use: funnels and statistical exports leave such
 *   cases out and count them only in totals that cannot single them out.
 *   PERSON_RESEARCH_OK_SQL is the same test as an SQL condition on a
 *   case id column, for queries over many cases.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_PERSON_H
#define SR_PERSON_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/field.h"
#include "base/policy.h"
#include "base/store.h"
#include "core/vocab.h"

struct vault;

/* Caps, in bytes. */
#define PERSON_MAX_NAME    200
#define PERSON_MAX_ALIASES 1000
#define PERSON_MAX_ADDRESS 1000
#define PERSON_MAX_REASON  500

/* Similarity at or above which two names are suggested as one person. */

/* The value lists of data/lists/cases/person.tsv (NULL-code-terminated;
 * labels are msgids), declared by the generated lists.h that core/vocab.h
 * includes: person_roles (victim, caller ...), person_genders,
 * person_educations, consent_purposes (services ...), consent_states (given
 * ...), dup_bases (phone, name ...). */

/* What is entered for a person. Strings borrowed; NULL or "" = unknown. */
struct person_input {
    const char *name;        /* identity */
    const char *aliases;     /* identity; one per line */
    const char *birth_date;  /* identity; YYYY-MM-DD */
    const char *phone;       /* identity; 3-32 of 0-9 + - ( ) . space */
    const char *id_number;   /* identity; 1-40 printable ASCII */
    const char *passport;    /* identity; 1-40 printable ASCII */
    const char *address;     /* identity */
    const char *gender;      /* person_genders or "" */
    int birth_year;          /* 1900-2100, or 0 = unknown (from birth_date
                                when that is given) */
    int age_trafficked;      /* 0-120, or -1 = unknown */
    const char *citizenship; /* ISO 3166-1 alpha-2 or "" */
    const char *languages;   /* comma-separated ISO 639 codes, or "" */
    const char *education;   /* person_educations or "" */
    /* the region a phone without + is read in: the workspace's
     * phone_region; NULL: none. Stored and indexed as phone_e164() gives
     * it (core/phone.h). */
    const char *phone_region;
};

/* Check every field; SR_EINVAL naming the first bad one (no values). */
int person_validate(const struct person_input *in, struct sr_err *err);

/* Check every field of in, each refusal into fe (core/field.h), the first
 * one's text in fe->err as person_validate() gives it; SR_EINVAL when any
 * field is refused. */
int person_check(const struct person_input *in, struct field_errs *fe);

/*
 * Add a new person to case case_code with role (person_roles), encrypting
 * the identity fields; then check for duplicates (exact phone, ID number
 * and passport among the people in who's scope; for roles that may see
 * identities, also name similarity, see person.c) and store suggestions
 * in person_duplicate. All in one transaction, audited (person.add,
 * person.dedup_check). Writes the code, id and number of suggestions.
 * SR_ENOTFOUND (case out of scope), SR_EPERM (no case.create), SR_EINVAL;
 * SR_ECRYPTO when a candidate's name does not decrypt (nothing written).
 * A large name block is scored with one extra thread, started and joined
 * within the call; db is used by the calling thread only.
 */
int person_add(struct db *db, const struct vault *v,
               const struct principal *who, const char *case_code,
               const char *role, const struct person_input *in,
               char code_out[32], int64_t *id_out, int *n_dups_out,
               struct sr_err *err);

/* Link an existing person (code) to case case_code with role; audited as
 * person.link. */
int person_link(struct db *db, const struct vault *v,
                const struct principal *who, const char *case_code,
                const char *person_code, const char *role, struct sr_err *err);

/* A person's clear attributes; strings borrowed until the callback
 * returns. */
struct person_row {
    int64_t id, org_id, created_at;
    const char *code, *gender, *citizenship, *languages, *education;
    const char *merged_into; /* code of the person merged into, or "" */
    const char *role;        /* role in the case (case lists), else "" */
    int birth_year;          /* 0 = unknown */
    int age_trafficked;      /* -1 = unknown */
    int n_cases;             /* live cases the person is in */
    int has_name, has_phone, has_id_number, has_passport;
};

/* The person with code if visible to who, else SR_ENOTFOUND. */
int person_get(struct db *db, const struct principal *who, const char *code,
               int (*fn)(const struct person_row *r, void *ctx), void *ctx,
               struct sr_err *err);

/* The id of the person with code into *id_out if visible to who, else
 * SR_ENOTFOUND (or SR_EDB). */
int person_id(struct db *db, const struct principal *who, const char *code,
              int64_t *id_out, struct sr_err *err);

/* The people of case_id with their roles (the caller has checked that who
 * may read the case). A person with two roles comes twice. */
int person_list_for_case(struct db *db, int64_t case_id,
                         int (*fn)(const struct person_row *r, void *ctx),
                         void *ctx, struct sr_err *err);

/* The codes of the live cases person_id is in, oldest first. */
int person_cases(struct db *db, int64_t person_id,
                 int (*fn)(const char *case_code, const char *role, void *ctx),
                 void *ctx, struct sr_err *err);

/* Decrypted identity; wipe with person_identity_release(). */
struct person_identity {
    struct sr_buf name, aliases, birth_date, phone, id_number, passport;
    struct sr_buf address;
};
void person_identity_release(struct person_identity *id);

/*
 * Decrypt the identity of person code for who: a role that may see
 * identities, the person in scope. Audited (person.view_identity) in the
 * same transaction. SR_EPERM (role), SR_ENOTFOUND (scope).
 */
int person_identity_read(struct db *db, const struct vault *v,
                         const struct principal *who, const char *code,
                         struct person_identity *out, struct sr_err *err);

/*
 * Break the glass: decrypt the identity of person code although it is
 * outside who's scope, for a role with case.break_glass that may see
 * identities, giving reason (10 to PERSON_MAX_REASON bytes, no
 * identities). Records a glass_break row for the coordinator's review and
 * an audit row (case.break_glass, detail the reason's length) in the same
 * transaction. SR_EPERM, SR_EINVAL (reason), SR_ENOTFOUND (no person).
 */
int person_break_glass(struct db *db, const struct vault *v,
                       const struct principal *who, const char *code,
                       const char *reason, struct person_identity *out,
                       struct sr_err *err);

/* One emergency view; strings borrowed until the callback returns. */
struct glass_row {
    int64_t id, at, reviewed_at;
    const char *username, *person_code, *reason, *reviewer;
};

/*
 * Emergency views by users of who's organisation or of people recorded
 * by it (every one for a wider case.review_glass scope), newest first;
 * pending_only = awaiting review. Either organisation may review one.
 */
int glass_list(struct db *db, const struct principal *who, int pending_only,
               int (*fn)(const struct glass_row *r, void *ctx), void *ctx,
               struct sr_err *err);

/* Mark emergency view id reviewed by who; audited (case.review_glass).
 * SR_ENOTFOUND outside who's scope or already reviewed. */
int glass_review(struct db *db, const struct vault *v,
                 const struct principal *who, int64_t id, struct sr_err *err);

/*
 * Record consent of person code for purpose (consent_purposes) as state
 * (consent_states), now, by who. Audited (person.consent). The newest row
 * per purpose holds.
 */
int person_consent_set(struct db *db, const struct vault *v,
                       const struct principal *who, const char *code,
                       const char *purpose, const char *state,
                       struct sr_err *err);

/* 1 if the newest consent of person_id for purpose is 'given', else 0
 * (declined, withdrawn, never asked, or a database error). */
int person_consent(struct db *db, int64_t person_id, const char *purpose);

/* 0 if person_id's newest research consent is declined or withdrawn,
 * else 1. */
int person_research_ok(struct db *db, int64_t person_id);

/* 0 if any person of case_id declined (or withdrew) research use. */
int case_research_ok(struct db *db, int64_t case_id);

/* SQL condition, true when no person of the case whose id is in column
 * case_file.id (alias c) has declined research use. For one case or a
 * few; PERSON_RESEARCH_DECLINED_CASES_SQL is the same rule as a set, for
 * scans of many cases (tests/test_funnel.c checks they agree). */
#define PERSON_RESEARCH_OK_SQL                                          \
    "NOT EXISTS (SELECT 1 FROM case_person AS rcp"                      \
    " JOIN consent AS rk ON rk.person_id = rcp.person_id"               \
    " WHERE rcp.case_id = c.id AND rk.purpose = 'research'"             \
    " AND rk.state <> 'given' AND rk.id = (SELECT max(id) FROM consent" \
    " WHERE person_id = rcp.person_id AND purpose = 'research'))"

/* A SELECT of the ids of the cases in which some person's newest
 * research consent is declined or withdrawn (a case may repeat), driven
 * by the consent rows: the rule of PERSON_RESEARCH_OK_SQL as a set. */
#define PERSON_RESEARCH_DECLINED_CASES_SQL                     \
    "SELECT rcp.case_id FROM consent AS rk"                    \
    " JOIN case_person AS rcp ON rcp.person_id = rk.person_id" \
    " WHERE rk.purpose = 'research' AND rk.state <> 'given'"   \
    " AND rk.id = (SELECT max(id) FROM consent"                \
    " WHERE person_id = rk.person_id AND purpose = 'research')"

/* The newest consent per purpose; strings borrowed. */
struct consent_row {
    const char *purpose, *state, *recorded_by;
    int64_t recorded_at;
};

/* Newest consent of person_id for each purpose that has one. */
int person_consent_list(struct db *db, int64_t person_id,
                        int (*fn)(const struct consent_row *r, void *ctx),
                        void *ctx, struct sr_err *err);

/* A duplicate suggestion; strings borrowed until the callback returns. */
struct dup_row {
    int64_t id, decided_at;
    const char *code_a, *code_b, *basis, *state;
    double score;
};

/* Suggestions about people in who's scope; state "" = all, else
 * suggested, confirmed or rejected. Newest first. */
int person_dup_list(struct db *db, const struct principal *who,
                    const char *state,
                    int (*fn)(const struct dup_row *r, void *ctx), void *ctx,
                    struct sr_err *err);

/*
 * Confirm (is_confirmed 1) or reject suggestion id. Confirming merges:
 * the later person's case links, consent and support items move to the
 * earlier one, whose missing identity fields are not filled in; the later
 * one gets merged_into. Audited (person.dedup, person.merge) in one
 * transaction. SR_ENOTFOUND (scope), SR_ECONFLICT (already decided).
 */
int person_dup_decide(struct db *db, const struct vault *v,
                      const struct principal *who, int64_t id, int is_confirmed,
                      struct sr_err *err);

/*
 * The stored blocking key (column person.name_block) of name under v:
 * the blind index (domain "nameblk") of the first letter of its
 * name_key(). For a key rotation to recompute it. SR_OK (out written);
 * SR_EINVAL when name has no letters.
 */
int person_name_block(const struct vault *v, const char *name,
                      unsigned char out[32], struct sr_err *err);

#endif
