/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "stats_cli.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"
int
stats_cli_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 2;
}
/* ---- RDS loader ---- */

struct id_ref {
    const char *id; /* borrowed from the frame */
    size_t row;
};

static int
cmp_id_ref(const void *a, const void *b)
{
    return strcmp(((const struct id_ref *)a)->id,
                  ((const struct id_ref *)b)->id);
}

void
stats_rds_data_release(struct stats_rds_data *d)
{
    if (d == NULL) {
        return;
    }
    free(d->recruiter);
    free(d->degree);
    free(d->trait);
    memset(d, 0, sizeof(*d));
}

static bool
is_seed_marker(const char *c)
{
    return frame_is_missing(c) || strcmp(c, "seed") == 0 ||
           strcmp(c, "-1") == 0 || strcmp(c, "0") == 0;
}

int
stats_rds_load(const struct frame *f, const char *id_col,
               const char *recruiter_col, const char *degree_col,
               const char *trait_col, struct stats_rds_data *out,
               struct sr_err *err)
{
    size_t c_id, c_rec, c_deg, c_tr, r, n = f->n_rows;
    struct id_ref *ids = NULL;
    struct stats_rds_data d = { 0 };
    int rc;

    if ((rc = frame_col_find(f, id_col, &c_id, err)) != SR_OK ||
        (rc = frame_col_find(f, recruiter_col, &c_rec, err)) != SR_OK ||
        (rc = frame_col_find(f, degree_col, &c_deg, err)) != SR_OK ||
        (rc = frame_col_find(f, trait_col, &c_tr, err)) != SR_OK) {
        return rc;
    }
    d.n = n;
    d.recruiter = sr_xcalloc(n ? n : 1, sizeof(*d.recruiter));
    d.degree = sr_xcalloc(n ? n : 1, sizeof(*d.degree));
    d.trait = sr_xcalloc(n ? n : 1, sizeof(*d.trait));
    if ((rc = frame_col_numeric(f, c_deg, d.degree, NULL, err)) != SR_OK ||
        (rc = frame_col_numeric(f, c_tr, d.trait, NULL, err)) != SR_OK) {
        goto fail;
    }
    ids = sr_xcalloc(n ? n : 1, sizeof(*ids));
    for (r = 0; r < n; r++) {
        ids[r].id = frame_cell(f, r, c_id);
        ids[r].row = r;
        if (frame_is_missing(ids[r].id)) {
            rc = sr_err_set(err, SR_EINVAL, "column '%s', line %zu: empty id",
                            f->cols[c_id].name, f->row_line[r]);
            goto fail;
        }
    }
    qsort(ids, n, sizeof(*ids), cmp_id_ref);
    for (r = 1; r < n; r++) {
        if (strcmp(ids[r - 1].id, ids[r].id) == 0) {
            size_t later = ids[r - 1].row > ids[r].row ? ids[r - 1].row
                                                       : ids[r].row;
            rc = sr_err_set(err, SR_EINVAL,
                            "column '%s', line %zu: duplicate id",
                            f->cols[c_id].name, f->row_line[later]);
            goto fail;
        }
    }
    for (r = 0; r < n; r++) {
        struct id_ref key, *hit;
        key.id = frame_cell(f, r, c_rec);
        key.row = 0;
        hit = n ? bsearch(&key, ids, n, sizeof(*ids), cmp_id_ref) : NULL;
        if (hit != NULL) {
            d.recruiter[r] = (long)hit->row;
        } else if (is_seed_marker(key.id)) {
            d.recruiter[r] = -1;
        } else {
            rc = sr_err_set(err, SR_EINVAL,
                            "column '%s', line %zu: recruiter is not an id "
                            "in the file",
                            f->cols[c_rec].name, f->row_line[r]);
            goto fail;
        }
    }
    free(ids);
    *out = d;
    return SR_OK;
fail:
    free(ids);
    stats_rds_data_release(&d);
    return rc;
}
