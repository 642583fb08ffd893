/*
 * contact.h - hotline contacts: one call, SMS, chat, web form or walk-in.
 *
 * A contact is known by its code (C-XXXX-XXXX). Its identity fields - the
 * caller's phone, the places given in free text, the summary, needs and
 * action taken - are stored only encrypted; the phone also as a blind
 * index for "earlier contacts from this number". Reading an identity field
 * is audited in the same transaction.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CONTACT_H
#define SR_CONTACT_H

#include <stddef.h>
#include <stdint.h>

#include "base/audit.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/field.h"
#include "base/policy.h"
#include "base/store.h"
#include "core/vocab.h"

struct vault;

/* Consent the caller gave, as bits of contact.consent. */
enum contact_consent {
    CONTACT_CONSENT_NGO = 1,     /* share with partner NGOs and services */
    CONTACT_CONSENT_POLICE = 2,  /* share with police and prosecutors */
    CONTACT_CONSENT_RESEARCH = 4 /* non-identifying research use */
};

/* Caps on free text, in bytes. */
#define CONTACT_MAX_TEXT  8000
#define CONTACT_MAX_PLACE 500

/* The value lists of data/lists/hotline/contact.tsv (NULL-code-terminated;
 * labels are msgids), declared by the generated lists.h that core/vocab.h
 * includes: contact_channels, contact_caller_types, contact_categories,
 * contact_issues (bit i = item i), contact_sectors. */

/* What an operator enters. Strings borrowed; NULL or "" = not given. */
struct contact_input {
    int64_t received_at;         /* unix seconds; 0 = now */
    const char *channel;         /* required, contact_channels */
    const char *language;        /* required, vocab_languages */
    const char *caller_type;     /* required, contact_caller_types */
    const char *caller_phone;    /* identity; 3-32 of 0-9 + - ( ) space */
    const char *caller_country;  /* ISO 3166-1 alpha-2 or "" */
    const char *caller_province; /* ISO 3166-2 in the gazetteer, or "" */
    const char *caller_place;    /* identity; free text */
    const char *problem_country;
    const char *problem_province;
    const char *problem_place; /* identity; free text */
    const char *category;      /* required, contact_categories */
    uint32_t issues;           /* bits of contact_issues */
    const char *sector;        /* contact_sectors or "" */
    int n_affected;            /* people affected, 0-100000 */
    int is_danger;             /* imminent danger: 0 or 1 */
    const char *summary;       /* identity; what was said */
    const char *needs;         /* identity; what the caller needs */
    const char *action_taken;  /* identity; what the operator did */
    int duration_s;            /* 0-86400 */
    int consent;               /* bits of enum contact_consent */
    /* the region a phone without + is read in when the caller's country
     * (or province) is not given: the workspace's phone_region; NULL:
     * none. The phone is stored and indexed as contact_phone_form(). */
    const char *phone_region;
};

/*
 * Check every field; on the first bad one SR_EINVAL with a message that
 * names the field (never echoing identity values).
 */
int contact_validate(const struct contact_input *in, struct sr_err *err);

/* Check every field of in and record each refusal in fe (core/field.h),
 * the first one's text in fe->err as contact_validate() gives it;
 * SR_EINVAL when any field is refused. */
int contact_check(const struct contact_input *in, struct field_errs *fe);

/*
 * The caller's phone of in as it is stored and indexed, into out (size >=
 * PHONE_MAX): E.164 read in the caller's country (given, or the
 * province's), else in in->phone_region (core/phone.h: phone_e164()); ""
 * when blank.
 */
void contact_phone_form(const struct contact_input *in, char *out, size_t size);

/*
 * Validate and store a contact for who's organisation, encrypting the
 * identity fields and indexing the phone; audited as contact.create.
 * Writes the new code and id. import_key (32 bytes or NULL) makes a
 * re-import of the same record a conflict (SR_ECONFLICT) instead of a
 * second copy; operator_id 0 marks an imported record.
 */
int contact_create(struct db *db, const struct vault *v,
                   const struct principal *who, const struct contact_input *in,
                   const unsigned char *import_key, char code_out[32],
                   int64_t *id_out, struct sr_err *err);

/* The non-identifying part of a contact; strings borrowed until the
 * callback returns. */
struct contact_row {
    int64_t id, org_id, operator_id, received_at, created_at;
    const char *code, *channel, *language, *caller_type;
    const char *caller_country, *caller_province;
    const char *problem_country, *problem_province;
    const char *category, *sector, *operator_name;
    uint32_t issues;
    int n_affected, is_danger, duration_s, consent, has_phone;
};

/* The contact with code, if who may read it (else SR_ENOTFOUND). */
int contact_get(struct db *db, const struct principal *who, const char *code,
                int (*fn)(const struct contact_row *r, void *ctx), void *ctx,
                struct sr_err *err);

/* The decrypted identity fields of one contact; wipe with
 * contact_identity_release(). */
struct contact_identity {
    struct sr_buf phone, caller_place, problem_place;
    struct sr_buf summary, needs, action_taken;
};
void contact_identity_release(struct contact_identity *id);

/*
 * Decrypt the identity fields of contact id for who, auditing the read
 * (contact.view_identity) in the same transaction. SR_EPERM if who's role
 * may not see identities or the contact is outside who's scope.
 */
int contact_identity_read(struct db *db, const struct vault *v,
                          const struct principal *who, int64_t id,
                          struct contact_identity *out, struct sr_err *err);

/*
 * Earlier contacts from q->caller_phone in who's scope, newest first (at
 * most limit), for a role that may see identities. The phone is matched in
 * its stored form (contact_phone_form() of q: only caller_phone,
 * caller_country, caller_province and phone_region are read), so any way
 * of writing the number finds them. The lookup is audited
 * (contact.phone_lookup) even when nothing is found. SR_EPERM otherwise.
 */
int contact_find_by_phone(struct db *db, const struct vault *v,
                          const struct principal *who,
                          const struct contact_input *q, int limit,
                          int (*fn)(const struct contact_row *r, void *ctx),
                          void *ctx, struct sr_err *err);

/* One contact of a batch: the input (borrowed), its import key (32 bytes
 * or NULL) and, after contact_create_batch(), its code and id, or is_dup
 * when a contact with the same import key was already there. */
struct contact_batch_item {
    const struct contact_input *in;
    const unsigned char *import_key;
    char code[32]; /* out: "C-XXXX-XXXX", "" when not created */
    int64_t id;    /* out: row id, 0 when not created */
    int is_dup;    /* out: 1 if skipped as already imported */
};

/*
 * Validate every item (SR_EINVAL "item N: field: ..." on the first bad
 * one, nothing written), then store them all in one write transaction
 * with one contact.create audit row each, for who's organisation (as
 * contact_create). Items whose import key is already stored are skipped
 * (is_dup). *n_created (may be NULL) gets the number stored. On any
 * failure nothing is stored. Items are stored in order of received_at
 * (ties in batch order), so their ids and audit rows follow that order.
 * Call vault_pin() around a loop of batches.
 */
int contact_create_batch(struct db *db, const struct vault *v,
                         const struct principal *who,
                         struct contact_batch_item *items, size_t n,
                         size_t *n_created, struct sr_err *err);

/*
 * Bulk load for an import into a (nearly) empty contact table
 * (docs/contacts.md, Bulk load): ONE write transaction from
 * contact_bulk_begin() to contact_bulk_commit(); the contact table's own
 * indexes (not the UNIQUE ones of code and import_key, which still refuse
 * duplicates) are dropped at the start and created again, by their own
 * stored SQL, just before the commit. Readers see the old snapshot until
 * then; a failure or crash before it leaves the workspace as it was.
 */
struct contact_bulk {
    struct db *db;
    struct audit_chain chain;
    int64_t next_id;   /* id of the next contact */
    int64_t audit_id;  /* id the contact.import audit row will take */
    int64_t n_created; /* contacts stored so far */
    int64_t first_id, last_id;
    char first_code[32], last_code[32];
    struct sr_buf index_sql; /* the dropped indexes' CREATE statements */
    int is_open;
};

/* An upper bound of the number of contacts stored (the largest id). */
int contact_count_hint(struct db *db, int64_t *out, struct sr_err *err);

/* Open the transaction and set the indexes aside. On failure nothing is
 * open and nothing changed. */
int contact_bulk_begin(struct db *db, struct contact_bulk *b,
                       struct sr_err *err);

/*
 * As contact_create_batch() but inside b's transaction (no commit): ids go
 * on from the batches before (contact_bulk_prepare() then
 * contact_bulk_write()), and instead of one contact.create audit row
 * each, every contact stored names (import_audit_id) the one
 * contact.import row contact_bulk_commit() writes. On failure the whole
 * transaction is rolled back (b is closed).
 */
int contact_bulk_add(struct contact_bulk *b, const struct vault *v,
                     const struct principal *who,
                     struct contact_batch_item *items, size_t n,
                     size_t *n_created, struct sr_err *err);

/*
 * A batch of a bulk load split in two steps, so that one thread may
 * prepare batch k+1 while another writes batch k (never two prepares or
 * two writes at once): contact_bulk_prepare() validates the items, gives
 * them the next ids in received_at order (a duplicate found when writing
 * leaves its id unused), draws their codes' randomness, encrypts their
 * identity fields for those ids and blind-indexes their phones, touching
 * only b->next_id and no database; contact_bulk_write() inserts them in
 * b's transaction. items (and the strings they point to) must live until
 * the write. On failure of either, call contact_bulk_abort(); release the
 * batch with contact_bulk_batch_release() in any case.
 */
struct contact_prepared; /* private to contact.c */
struct contact_bulk_batch {
    struct contact_batch_item *items;
    size_t n;
    int64_t first_id, now; /* items[order[k]] gets id first_id + k */
    size_t *order;
    struct contact_prepared *prep; /* by index in items */
    unsigned char *random;         /* the codes' random bits */
};
int contact_bulk_prepare(struct contact_bulk *b, const struct vault *v,
                         struct contact_batch_item *items, size_t n,
                         struct contact_bulk_batch *bb, struct sr_err *err);
int contact_bulk_write(struct contact_bulk *b, const struct principal *who,
                       struct contact_bulk_batch *bb, size_t *n_created,
                       struct sr_err *err);
/* Wipe and free what contact_bulk_prepare() made (a zeroed bb is fine). */
void contact_bulk_batch_release(struct contact_bulk_batch *bb);

/*
 * Create the indexes again, audit the load as one contact.import row by
 * who (detail: rows=N, first and last code and id, file=file_print,
 * the file's keyed fingerprint in hex or NULL; no row when nothing was
 * stored) and commit. On failure everything since contact_bulk_begin() is rolled
 * back. b is closed either way.
 */
int contact_bulk_commit(struct contact_bulk *b, const struct vault *v,
                        const struct principal *who, const char *file_print,
                        struct sr_err *err);

/* Roll back everything since contact_bulk_begin() (no-op when closed). */
void contact_bulk_abort(struct contact_bulk *b);

/* Largest page contact_list() gives. */
#define CONTACT_MAX_PAGE 1000

/* Filter of contact_list(); zero, NULL or "" fields match everything. */
struct contact_filter {
    int64_t from, to;     /* received_at range, unix seconds, inclusive */
    const char *category; /* contact_categories code */
    const char *sector;   /* contact_sectors code */
    const char *province; /* problem province, ISO 3166-2 */
    const char *language; /* vocab_languages code */
    const char *channel;  /* contact_channels code */
    uint32_t issues;      /* any of these contact_issues bits */
    int64_t operator_id;  /* user who logged it */
    int danger;           /* 0 any, 1 imminent danger, 2 no danger */
    int64_t before_at, before_id; /* keyset cursor from contact_cursor;
                                     0, 0 = first page */
    int limit; /* rows per page, 1-CONTACT_MAX_PAGE; 0 = 50 */
};

/* Where the next page starts: pass at/id as before_at/before_id. */
struct contact_cursor {
    int64_t at, id; /* received_at and id of the last row given */
    int has_more;   /* 1 if at least one more row matches */
};

/*
 * Call fn for each live contact in who's contact.read scope matching f,
 * newest first (received_at DESC, id DESC), one page of f->limit rows
 * after the cursor; fn returns non-zero to stop. *next (may be NULL) gets
 * the cursor of the next page. SR_EINVAL names a bad filter field;
 * SR_EPERM for a role without contact.read. The command line acts through
 * a principal of role ROLE_COORDINATOR, user 0 and org_id the organisation
 * it acts for (0 = every organisation).
 */
int contact_list(struct db *db, const struct principal *who,
                 const struct contact_filter *f,
                 int (*fn)(const struct contact_row *r, void *ctx), void *ctx,
                 struct contact_cursor *next, struct sr_err *err);

/*
 * How many live contacts contact_list() gives for who and f over all its
 * pages (the cursor and limit of f are not used), counted up to cap + 1
 * rows: *n_matches is the count, or cap + 1 when more than cap match (a
 * count that stays fast however many contacts there are). The same scope
 * and filter checks as contact_list(): SR_EINVAL naming a bad filter
 * field, SR_EPERM without contact.read, SR_EDB. *n_matches is written
 * only on success.
 */
int contact_list_count(struct db *db, const struct principal *who,
                       const struct contact_filter *f, int64_t cap,
                       int64_t *n_matches, struct sr_err *err);

/*
 * Every contact in who's contact.export scope matching f (the cursor and
 * limit apply; limit 0 = all), newest first, each with its decrypted
 * identity fields when with_identity (idn NULL otherwise; its buffers are
 * reused between rows and wiped at the end). fn returns non-zero on a
 * write failure (SR_EIO). Audited once as contact.export with the number
 * of rows, in the same transaction. SR_EPERM when the role may not export,
 * or asks for identities it may not see.
 */
int contact_export_rows(struct db *db, const struct vault *v,
                        const struct principal *who,
                        const struct contact_filter *f, int with_identity,
                        int (*fn)(const struct contact_row *r,
                                  const struct contact_identity *idn,
                                  void *ctx),
                        void *ctx, int64_t *n_rows, struct sr_err *err);

/*
 * Soft-delete the contact with code in who's contact.delete scope, with a
 * reason (1-500 bytes; kept in the row, not in the audit); audited as
 * contact.delete. SR_ENOTFOUND outside the scope, SR_EPERM without the
 * action (the command line, user 0, acts as the passphrase holder).
 */
int contact_delete(struct db *db, const struct vault *v,
                   const struct principal *who, const char *code,
                   const char *reason, struct sr_err *err);

/*
 * UTC offset in seconds of an IANA zone of the region (Asia/Bangkok,
 * Asia/Yangon, ... UTC; none of them keeps summer time, so a fixed
 * offset is exact). SR_ENOTFOUND (offset 0) for another zone.
 */
int contact_tz_offset(const char *zone, int *offset_s);

/*
 * Parse "YYYY-MM-DD", "YYYY-MM-DD HH:MM", "YYYY-MM-DDTHH:MM[:SS]", each
 * optionally ending in Z or +HH:MM/-HH:MM; without a zone the time is
 * local at offset_s. Writes unix seconds. SR_EINVAL if malformed.
 */
int contact_parse_time(const char *s, int offset_s, int64_t *out);

/* Format unix seconds t as "YYYY-MM-DD HH:MM" at offset_s. */
void contact_format_time(int64_t t, int offset_s, char *out, size_t size);

#endif
