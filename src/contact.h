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

#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "policy.h"
#include "store.h"
#include "vocab.h"

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

/* The value lists (NULL-code-terminated); labels are msgids. */
extern const struct vocab_item contact_channels[];
extern const struct vocab_item contact_caller_types[];
extern const struct vocab_item contact_categories[];
extern const struct vocab_item contact_issues[]; /* bit i = item i */
extern const struct vocab_item contact_sectors[];
extern const struct vocab_item contact_languages[];

/* What an operator enters. Strings borrowed; NULL or "" = not given. */
struct contact_input {
    int64_t received_at;         /* unix seconds; 0 = now */
    const char *channel;         /* required, contact_channels */
    const char *language;        /* required, contact_languages */
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
};

/*
 * Check every field; on the first bad one SR_EINVAL with a message that
 * names the field (never echoing identity values).
 */
int contact_validate(const struct contact_input *in, struct sr_err *err);

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
 * Earlier contacts from phone in who's scope, newest first (at most
 * limit), for a role that may see identities; the lookup is audited
 * (contact.phone_lookup) even when nothing is found. SR_EPERM otherwise.
 */
int contact_find_by_phone(struct db *db, const struct vault *v,
                          const struct principal *who, const char *phone,
                          int limit,
                          int (*fn)(const struct contact_row *r, void *ctx),
                          void *ctx, struct sr_err *err);

#endif
