/*
 * fixture.h - shared set-up for SIREN's unit tests: an in-memory database
 * with every migration and an open vault (fast Argon2id profile).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_FIXTURE_H
#define SR_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/err.h"
#include "base/store.h"
#include "base/vault.h"

static inline struct vault *
fixture_vault(void)
{
    struct sr_buf kf;
    struct vault *v = NULL;
    struct sr_err err = { 0 };
    sr_buf_init(&kf, 0);
    if (vault_init() != SR_OK ||
        vault_create("fixture passphrase", 18, VAULT_KDF_INTERACTIVE, &kf, &v,
                     &err) != SR_OK) {
        fprintf(stderr, "fixture: no vault: %s\n", sr_err_msg(&err));
        exit(2);
    }
    sr_buf_release(&kf);
    return v;
}

static inline struct db *
fixture_db(void)
{
    struct db *db = NULL;
    struct sr_err err = { 0 };
    if (db_open(NULL, DB_MEMORY, &db, &err) != SR_OK) {
        fprintf(stderr, "fixture: no database: %s\n", sr_err_msg(&err));
        exit(2);
    }
    return db;
}

#endif
