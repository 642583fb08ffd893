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

#include "err.h"
#include "store.h"

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

/* The kinds of organisation, NULL-terminated. */
extern const char *const org_kinds[];

#endif
