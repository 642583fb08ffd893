/*
 * entity.h - offenders: perpetrator people and businesses (recruitment
 * agencies, employers, factories, vessels, broker networks,
 * transporters), their aliases and identifiers, their roles in the
 * process (HTCDS), and their links to cases and to each other.
 *
 * Names, aliases and identifier values are identity data: stored only
 * encrypted, searched by blind index, read only through
 * entity_identity(), which is audited. Everything else is codes.
 *
 * Every function that reads or writes records takes the principal (never
 * NULL) and applies its scope itself: an entity is reached through its
 * recording organisation and creator under entity.read (reads) or
 * entity.manage (writes); an entity outside the scope is not found
 * (SR_ENOTFOUND), an entity of the organisation that an own scope does
 * not reach is SR_EPERM, and a refused write changes nothing. Names,
 * aliases and identifiers reach only a principal that may see identities
 * (principal_can_see_identity()).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_ENTITY_H
#define SR_ENTITY_H

#include <stddef.h>
#include <stdint.h>

#include "base/principal.h"
#include "base/store.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/vocab.h"

struct vault;

/* The value lists of data/lists/justice/entity.tsv (NULL-code-terminated;
 * labels are msgids), declared by the generated lists.h that core/vocab.h
 * includes: entity_kinds (person, employer...), entity_roles (bit i = entry
 * i), entity_id_kinds (phone, licence...), entity_link_kinds (works_for...),
 * entity_sources (investigation...), entity_confidences (low, medium, high),
 * entity_link_states (suggested...). */

/* The bit of role code in entity.roles, or 0 for an unknown code. */
int64_t entity_role_bit(const char *code);

#define ENTITY_MAX_ALIASES     8
#define ENTITY_MAX_IDENTIFIERS 8

/* A new entity; strings borrowed. */
struct entity_input {
    const char *kind;    /* entity_kinds code */
    const char *name;    /* 1-200 bytes of UTF-8 */
    const char *country; /* "" or ISO 3166-1 alpha-2 */
    int64_t roles;       /* bit set over entity_roles */
    const char *aliases[ENTITY_MAX_ALIASES];
    size_t n_aliases;
    const char *id_kinds[ENTITY_MAX_IDENTIFIERS];  /* entity_id_kinds */
    const char *id_values[ENTITY_MAX_IDENTIFIERS]; /* 1-100 bytes each */
    size_t n_identifiers;
    /* a phone identifier without + is read in country when it is given,
     * else in this region (the workspace's phone_region; NULL: none), and
     * stored and indexed in E.164 (core/phone.h) */
    const char *phone_region;
};

/*
 * Add an entity recorded by who's organisation (who->org_id; the command
 * line sets it), created by who's user. who needs entity.manage over
 * that organisation, and an organisation: else SR_EPERM and nothing is
 * written. Checks every field first
 * (SR_EINVAL naming it: kind, name, country, roles, alias, identifier),
 * then in one transaction inserts it with its name, aliases and
 * identifiers encrypted and blind-indexed, suggests a shares_phone or
 * shares_account link to every other entity with the same phone or bank
 * account (blind index), and audits (entity.add). code_out gets the new
 * code ("E-XXXX-XXXX"), *out_id its id; *out_n_suggested (may be NULL)
 * the number of links suggested.
 */
int entity_add(struct db *db, const struct vault *v,
               const struct principal *who, const struct entity_input *in,
               char code_out[32], int64_t *out_id, int *out_n_suggested,
               struct sr_err *err);

/*
 * Add an identifier to entity_id, which must be in who's entity.manage
 * scope, with the same suggestions as entity_add(); a phone is read as
 * entity_add() reads it, phone_region standing for its phone_region.
 * SR_EINVAL (identifier), SR_ENOTFOUND, SR_EPERM, SR_EDB. Audited.
 */
int entity_add_identifier(struct db *db, const struct vault *v,
                          const struct principal *who, int64_t entity_id,
                          const char *kind, const char *value,
                          const char *phone_region, int *out_n_suggested,
                          struct sr_err *err);

/* An entity's record (no identities); strings inside the struct. */
struct entity_row {
    int64_t id;
    char code[32];
    int64_t org_id;
    int64_t created_by;
    char kind[32];
    char country[4];
    int64_t roles;
    int64_t n_cases;   /* live cases linked */
    int64_t n_victims; /* distinct victims of those cases */
    int stage;         /* furthest stage of events naming it (justice.h) */
};

/*
 * Look up a live entity by code or id in who's entity.read scope.
 * SR_ENOTFOUND (unknown, or outside the scope), SR_EPERM, SR_EDB; *out
 * is written only on success.
 */
int entity_by_code(struct db *db, const struct principal *who, const char *code,
                   struct entity_row *out, struct sr_err *err);
int entity_by_id(struct db *db, const struct principal *who, int64_t id,
                 struct entity_row *out, struct sr_err *err);

/*
 * 1 if who may change entity e (read with entity_by_*()): add links,
 * identifiers and cases to it (entity.manage over its organisation and
 * creator), else 0. Reads nothing.
 */
int entity_can_manage(const struct principal *who, const struct entity_row *e);

/*
 * Call fn for live entities: order 0 by code (offset, limit), order 1 the
 * ranking of the worst offenders: most victims, then most cases, then
 * the least justice progress against them, then code. limit 1-1000
 * (SR_EINVAL). Only entities in who's entity.read scope: a principal
 * without it gets none (SR_OK). SR_EDB.
 */
enum entity_order { ENTITY_BY_CODE = 0, ENTITY_BY_RANK = 1 };
int entity_list(struct db *db, const struct principal *who,
                enum entity_order order, int64_t offset, int64_t limit,
                int (*fn)(const struct entity_row *r, void *ctx), void *ctx,
                struct sr_err *err);

/*
 * Call fn for the live entities in who's entity.read scope whose code
 * sorts after after_code ("" or NULL: from the first), by code, at most
 * limit (1-1000, else SR_EINVAL) of them: a page of the list by code,
 * the last code given being the next page's after_code. A principal
 * without entity.read gets none (SR_OK). SR_EDB.
 */
int entity_list_after(struct db *db, const struct principal *who,
                      const char *after_code, int64_t limit,
                      int (*fn)(const struct entity_row *r, void *ctx),
                      void *ctx, struct sr_err *err);

/*
 * How many live entities are in who's entity.read scope (every page of
 * entity_list_after()), counted up to cap + 1 rows: *n_matches is the
 * count, or cap + 1 when more than cap (a count that stays fast however
 * many there are). 0 without entity.read. SR_OK, SR_EDB; *n_matches is
 * written only on success.
 */
int entity_list_count(struct db *db, const struct principal *who, int64_t cap,
                      int64_t *n_matches, struct sr_err *err);

/*
 * Decrypt entity_id's name into name and its aliases and identifiers,
 * one "kind: value" per line, into details (both emptied first; wipe
 * them with vault_buf_wipe()). SR_EPERM, reading nothing, unless who may
 * see identities; SR_ENOTFOUND (or SR_EPERM) for an entity outside who's
 * entity.read scope. One audit row (entity.view_identity) in its own
 * transaction. SR_ECRYPTO, SR_EDB; on failure both are left empty.
 */
int entity_identity(struct db *db, const struct vault *v,
                    const struct principal *who, int64_t entity_id,
                    struct sr_buf *name, struct sr_buf *details,
                    struct sr_err *err);

/*
 * Decrypt the names of n entities (ids) into names[i] (malloc'd; caller
 * frees each with free(); "" for an entity without a name), with one
 * audit row (entity.view_identity, detail n=N). For the network labels.
 * An entity outside who's entity.read scope gets "". SR_EPERM, every
 * names[i] NULL, unless who may see identities and has that scope.
 */
int entity_names(struct db *db, const struct vault *v,
                 const struct principal *who, const int64_t *ids, size_t n,
                 char **names, struct sr_err *err);

/*
 * Link entity_id (in who's entity.manage scope: else SR_ENOTFOUND or
 * SR_EPERM) to case case_id with its role (entity_roles code), source
 * and confidence; replaces an earlier link of the pair. The case must be
 * one whose justice process who may read (case.read or justice.record
 * scope), else SR_EINVAL ("case: no such case"), like an unknown case.
 * Audited (entity.link_case). SR_EINVAL naming the field, SR_EDB.
 */
int entity_link_case(struct db *db, const struct vault *v,
                     const struct principal *who, int64_t entity_id,
                     int64_t case_id, const char *role, const char *source,
                     const char *confidence, struct sr_err *err);

/*
 * Link two entities: from_id KIND to_id, confirmed, with source and
 * confidence. A suggestion of the same pair and kind becomes confirmed.
 * Shared-identifier kinds are stored with the smaller id first.
 * from_id must be in who's entity.manage scope and to_id in its
 * entity.read scope. SR_EINVAL (kind, source, confidence, an entity to
 * itself), SR_ENOTFOUND, SR_EPERM, SR_EDB. Audited (entity.link).
 * *out_id (may be NULL) the link id.
 */
int entity_link(struct db *db, const struct vault *v,
                const struct principal *who, int64_t from_id, int64_t to_id,
                const char *kind, const char *source, const char *confidence,
                int64_t *out_id, struct sr_err *err);

/*
 * Confirm (is_confirmed 1) or reject (0) the suggested link link_id.
 * Both its entities must be in who's entity.read scope and one of them
 * in its entity.manage scope. SR_ENOTFOUND ("link: no such suggestion")
 * when there is no such suggestion or who may not decide it; nothing is
 * written then. Audited (entity.decide_link). SR_EDB.
 */
int entity_decide_link(struct db *db, const struct vault *v,
                       const struct principal *who, int64_t link_id,
                       int is_confirmed, struct sr_err *err);

/* A case of an entity; strings borrowed until the callback returns. */
struct entity_case_row {
    int64_t case_id;
    const char *case_code, *role, *source, *confidence;
    int64_t case_org_id;
    int64_t n_victims;
    int stage; /* furthest stage of the case */
};
/*
 * Call fn for each live case linked to entity_id, by case code. The
 * entity must be in who's entity.read scope (else SR_ENOTFOUND or
 * SR_EPERM, fn never called); only cases of organisations in that scope
 * are listed. SR_OK or SR_EDB.
 */
int entity_cases(struct db *db, const struct principal *who, int64_t entity_id,
                 int (*fn)(const struct entity_case_row *r, void *ctx),
                 void *ctx, struct sr_err *err);

/* A link of an entity, seen from it; strings borrowed. */
struct entity_link_row {
    int64_t id;
    int is_outgoing; /* 1: this entity KIND other; 0: other KIND this */
    const char *other_code, *kind, *source, *confidence, *state;
};
/*
 * Call fn for each link of entity_id to a live entity, confirmed first.
 * The entity must be in who's entity.read scope (else SR_ENOTFOUND or
 * SR_EPERM, fn never called); only links to entities in that scope are
 * listed. SR_OK or SR_EDB.
 */
int entity_links(struct db *db, const struct principal *who, int64_t entity_id,
                 int (*fn)(const struct entity_link_row *r, void *ctx),
                 void *ctx, struct sr_err *err);

/*
 * The entities linked to case case_id, by code (in the row, case_code
 * holds the entity's code; strings borrowed). Part of the case's justice
 * process: the case must be in who's case.read or justice.record scope,
 * else SR_ENOTFOUND or SR_EPERM and fn is never called. SR_OK, SR_EDB.
 */
int entity_of_case(struct db *db, const struct principal *who, int64_t case_id,
                   int (*fn)(const struct entity_case_row *r, void *ctx),
                   void *ctx, struct sr_err *err);

#endif
