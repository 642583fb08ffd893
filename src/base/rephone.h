/*
 * rephone.h - phone numbers stored before SIREN kept them in E.164: each
 * caller's phone of a contact, person's phone and phone identifier of an
 * entity is rewritten in its phone_e164() form (core/phone.h) with its
 * blind index, so that the numbers stored earlier match the ones stored
 * now however they were typed. Migration 0018 marks a workspace that has
 * any ('phone_e164_pending' in meta); ws_open() runs the rewrite with the
 * key and drops the mark.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_REPHONE_H
#define SR_REPHONE_H

#include <stdint.h>

#include "base/store.h"
#include "base/vault.h"
#include "core/err.h"

/* Rows read per write transaction. */
enum { REPHONE_BATCH = 500 };

/*
 * When meta holds 'phone_e164_pending': every stored phone read again
 * in its row's country (a contact's caller country, or its province's; an
 * entity's country) when libphonenumber knows it, else in region (the
 * workspace's phone_region), and where its form changes, stored and
 * indexed anew; REPHONE_BATCH rows per write transaction, then the mark
 * dropped, so an interrupted run goes on at the next open. A phone already
 * in its form is left as it is. *n_changed (may be NULL) counts the rows
 * rewritten. Nothing to do otherwise. SR_OK, SR_EDB, SR_ECRYPTO.
 */
int rephone_pending(struct db *db, const struct vault *v, const char *region,
                    int64_t *n_changed, struct sr_err *err);

#endif
