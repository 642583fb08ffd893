/*
 * principal.h - who is acting and what they may reach: the command
 * line's principal, the one scope condition every domain module binds
 * into its SQL, and the identity rule.
 *
 * A domain read or write takes a const struct principal * (never NULL)
 * and asks principal_scope() for the records it may reach; front doors
 * only build the principal (the web from the session, the command line
 * with principal_local()) and never decide record scope.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_PRINCIPAL_H
#define SR_PRINCIPAL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/policy.h"

/*
 * The records a principal reaches for one action. Bind org_id in SQL as
 * "(?N = 0 OR x.org_id = ?N)": 0 = every organisation, -1 (with is_none)
 * matches no row. owner_id is the user of SCOPE_OWN (records the user
 * created or is assigned), else 0 = any owner.
 */
struct scope_filter {
    bool is_none;     /* nothing is reachable */
    int64_t org_id;   /* 0 = all, > 0 = only this organisation, -1 = none */
    int64_t owner_id; /* 0 = any owner, > 0 = only this user's records */
};

/*
 * The command line's principal: the holder of the workspace passphrase,
 * acting for the whole workspace (org_id 0); every record, identities
 * included, its writes audited with no user. A command may narrow it to
 * one organisation by setting org_id.
 */
struct principal principal_local(void);

/*
 * Fill *out with what p reaches for action a: the local principal its
 * org_id (0 = all); SCOPE_ALL all; SCOPE_ORG the user's organisation;
 * SCOPE_OWN the user's organisation and the user's own records. Returns
 * SR_OK, or SR_EPERM (out->is_none, org_id -1) when the role has no
 * scope for a, or an organisation scope without an organisation, or an
 * own scope without a user. p must not be NULL.
 */
int principal_scope(const struct principal *p, enum action a,
                    struct scope_filter *out);

/*
 * Like principal_scope() for whichever of a and b reaches further (people
 * are read under case.read or case.create).
 */
int principal_scope_either(const struct principal *p, enum action a,
                           enum action b, struct scope_filter *out);

/*
 * 1 if a record of organisation org_id, created by (or assigned to)
 * owner_id, is inside f; owner_id 0 = nobody's. Checks a record already
 * read by id against the filter.
 */
int scope_filter_admits(const struct scope_filter *f, int64_t org_id,
                        int64_t owner_id);

/* 1 if p may see identity fields (names, phones, identifying columns):
 * the local principal, or a role with identity permission. */
int principal_can_see_identity(const struct principal *p);

#endif
