/*
 * contact_count.h - the monthly report's counts of live contacts, kept in
 * table contact_count as contacts are stored and deleted, so a report
 * reads a few rows per organisation and month instead of every contact.
 *
 * A row counts the live contacts of one organisation received in one
 * local calendar month, for one value of one counted column (category,
 * problem province, channel, language, sector); the category rows also
 * sum people affected and contacts in imminent danger. Months are kept
 * for each zone offset of contact_count_offsets[] (every offset of the
 * zones core/clock.c knows), so the report is served whatever zone the
 * workspace is set to. Every change of a contact's counted columns or of
 * its being live goes through contact_count_apply(), in the transaction
 * of that change.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CONTACT_COUNT_H
#define SR_CONTACT_COUNT_H

#include <stddef.h>
#include <stdint.h>

#include "base/store.h"
#include "core/err.h"

/* The counted columns, as contact_count.dim. */
enum contact_count_dim {
    CC_DIM_CATEGORY = 0,
    CC_DIM_PROVINCE = 1, /* problem_province */
    CC_DIM_CHANNEL = 2,
    CC_DIM_LANGUAGE = 3,
    CC_DIM_SECTOR = 4,
    CC_N_DIMS = 5
};

/* One contact as counted, entering (sign +1) or leaving (sign -1) the
 * live contacts. Strings borrowed for the call; NULL counts as "". */
struct contact_counted {
    int64_t org_id;
    int64_t received_at;         /* unix seconds */
    const char *code[CC_N_DIMS]; /* by enum contact_count_dim */
    int n_affected;
    int is_danger; /* 0 or 1 */
    int sign;      /* +1 stored or restored, -1 deleted */
};

/*
 * Add the n contacts' changes to the counts, every same key summed first
 * so that a batch writes each (offset, organisation, month, column,
 * value) once; counts that reach 0 are removed. An edit of counted
 * columns is its old row with sign -1 and its new row with sign +1.
 * Inside the caller's write transaction (SR_BUG otherwise). SR_OK or
 * SR_EDB.
 */
int contact_count_apply(struct db *db, const struct contact_counted *rows,
                        size_t n, struct sr_err *err);

/* Whether months at offset_s seconds east of UTC are kept. */
int contact_count_has_offset(int offset_s);

/* One row of contact_count_each(); code borrowed until the callback
 * returns. */
struct contact_count_row {
    int64_t org_id, month_at; /* month_at: first second of the month */
    int dim;                  /* enum contact_count_dim */
    const char *code;
    size_t code_len; /* bytes of code */
    int64_t n, n_danger, n_affected;
};

/*
 * Call fn for every non-zero count at offset_s of org_id (0 = every
 * organisation) whose month starts in [lo, hi), in (organisation, month)
 * order; fn returns non-zero to stop. Run it inside a read transaction
 * for a consistent picture. SR_OK or SR_EDB.
 */
int contact_count_each(struct db *db, int offset_s, int64_t org_id, int64_t lo,
                       int64_t hi,
                       int (*fn)(const struct contact_count_row *r, void *ctx),
                       void *ctx, struct sr_err *err);

/*
 * Count every live contact again into contact_count (the statement of
 * the migration that made it), for rows written to contact by other
 * means than this module (tests, benchmarks, repair). Inside a write
 * transaction of its own. SR_OK or SR_EDB.
 */
int contact_count_rebuild(struct db *db, struct sr_err *err);

#endif
