/*
 * store_copy.h - move a workspace's tables from one store to the other
 * (SQLite's siren.db and a PostgreSQL database), checked row by row.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_STORE_COPY_H
#define SR_STORE_COPY_H

#include <stdint.h>
#include <stdio.h>

#include "base/workspace.h"
#include "core/err.h"

/*
 * Copy every table of ws's store into target, a PostgreSQL address or
 * "sqlite" (siren.db in ws's directory), then check it and switch ws to
 * it:
 * - the target must be the other kind of store and hold no workspace
 *   (an existing siren.db, or a database with SIREN's tables, is refused
 *   with SR_ECONFLICT, and nothing is written to it);
 * - the schema is made by the target's migrations, the rows are written
 *   in one transaction with their ids, and the id counters resume after
 *   them;
 * - each table is read back from both stores in the same order, and its
 *   row count and digest (BLAKE2b over every value's type and bytes) must
 *   agree, and the target's audit chain must verify with ws's key;
 * - only then is siren.conf's store changed to the target (the source is
 *   left as it was: the old database is not removed).
 * One line per table goes to out ("TABLE ROWS digest-prefix"). SR_OK;
 * SR_EINVAL (target), SR_ECONFLICT, SR_EDB, SR_ECRYPTO (a check failed:
 * the message names the table), SR_EIO.
 */
int ws_store_copy(struct ws *ws, const char *target, FILE *out,
                  struct sr_err *err);

#endif
