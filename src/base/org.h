/*
 * org.h - organisations: the workspace's own and its partners.
 *
 * The foundation keeps what users and the demo need (code, name, kind,
 * country); the referral directory extends it.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_ORG_H
#define SR_ORG_H

#include <stdint.h>

#include "core/err.h"
#include "core/buf.h"
#include "base/store.h"
#include "core/vocab.h"
#include "base/policy.h"

struct vault;

/* A listed organisation; strings borrowed until the callback returns. */
struct org_row {
    int64_t id;
    const char *code, *name, *kind, *country;
    int is_active;
    int64_t n_users;
};

/*
 * Add an organisation: name 1-200 bytes of UTF-8, kind one of org_kinds,
 * country "" or two upper-case letters. Writes its new code (e.g.
 * "O-7KQ4-M2XD") into code_out and its id into *out_id. Audited.
 */
int org_add(struct db *db, const struct vault *v, int64_t actor_id,
            const char *name, const char *kind, const char *country,
            char code_out[32], int64_t *out_id, struct sr_err *err);

/* The id of the organisation with code. SR_ENOTFOUND. */
int org_id_by_code(struct db *db, const char *code, int64_t *out_id,
                   struct sr_err *err);

/* Call fn for each organisation, by name. */
int org_list(struct db *db, int (*fn)(const struct org_row *o, void *ctx),
             void *ctx, struct sr_err *err);

/* The value lists of data/lists/base/org.tsv (NULL-code-terminated; labels
 * are msgids), declared by the generated lists.h that core/vocab.h includes:
 * org_kinds (kinds of organisation), org_services (the services they offer). */

/* What an organisation offers, for the referral directory. Arrays of
 * codes, borrowed. */
struct org_profile {
    const char *const *provinces; /* ISO 3166-2 codes in the gazetteer */
    size_t n_provinces;
    const char *const *languages; /* vocab_languages codes */
    size_t n_languages;
    const char *const *services; /* org_services codes */
    size_t n_services;
    int is_emergency;            /* answers imminent danger: 0 or 1 */
    const char *contact_details; /* free text, stored encrypted; NULL keeps */
    /* The emergency line as typed ("074 123 4567"); NULL keeps, "" clears.
     * Stored plain in E.164 (core/phone.h): it is the organisation's public
     * line, not an identity. Read in the organisation's country, else in
     * phone_region (the workspace's; NULL: none). */
    const char *emergency_phone;
    const char *phone_region;
};

/*
 * Replace the profile of organisation org_id (provinces, languages,
 * services, emergency flag; contact details and emergency phone unless
 * NULL). Every code and the phone (field_phone()) are checked first
 * (SR_EINVAL naming the field, nothing changed); audited as org.profile.
 */
int org_set_profile(struct db *db, const struct vault *v, int64_t actor_id,
                    int64_t org_id, const struct org_profile *p,
                    struct sr_err *err);

/* One directory entry; strings borrowed until the callback returns.
 * provinces, languages and services are comma-separated codes. */
struct org_entry {
    int64_t id;
    const char *code, *name, *kind, *country;
    const char *provinces, *languages, *services;
    int is_emergency, is_active;
    const char *emergency_phone; /* E.164 or as typed; "" when none. Shown
                                  * only where org_shows_emergency_phone() */
};

/*
 * Search the directory: active organisations serving province (NULL or
 * "" = any), speaking language, offering service, and (if emergency_only)
 * answering emergencies; by name. "Who serves Songkhla in Burmese with
 * legal aid" is org_search(db, "TH-90", "my", "legal_aid", 0, ...).
 */
int org_search(struct db *db, const char *province, const char *language,
               const char *service, int emergency_only,
               int (*fn)(const struct org_entry *e, void *ctx), void *ctx,
               struct sr_err *err);

/* The organisation with id as a directory entry. SR_ENOTFOUND. */
int org_get_entry(struct db *db, int64_t id,
                  int (*fn)(const struct org_entry *e, void *ctx), void *ctx,
                  struct sr_err *err);

/*
 * 1 when role r is shown emergency phones: the roles that take calls and
 * coordinate the answer (hotline, coordinator, caseworker), who must ring
 * an emergency partner without leaving the call. Not the analyst, the
 * investigator, the partner or the administrator, who do not take calls.
 * The phone is an organisation's public line, so it is stored plain and
 * reading it is not audited; the rule keeps it where it is needed.
 */
int org_shows_emergency_phone(enum role r);

/* Decrypt org_id's contact details into out (empty if none); for roles
 * that may see identities; audited as org.view_contact. */
int org_contact_details(struct db *db, const struct vault *v, int64_t actor_id,
                        int64_t org_id, struct sr_buf *out, struct sr_err *err);

#endif
