/*
 * contact_export.h - contacts as CSV or XLSX files, without identity
 * fields unless the role may see them and asks; every cell that a
 * spreadsheet would take for a formula is neutralised.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CONTACT_EXPORT_H
#define SR_CONTACT_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "hotline/contact.h"

enum export_format { EXPORT_CSV = 0, EXPORT_XLSX = 1 };

/* 1 if s begins with a character a spreadsheet reads as a formula (the
 * cells core/csv.c prefixes with '): sr_csv_is_formula(). */
int export_is_risky(const char *s);

/*
 * Export the contacts matching f in who's contact.export scope to path
 * (CSV or XLSX; for CSV, path "-" is standard output), newest first,
 * times at tz_offset_s. Identity columns (caller_phone, the places,
 * summary, needs, action_taken) only when with_identity, which needs a
 * role that may see identities (SR_EPERM otherwise). Audited once as
 * contact.export with the number of rows. *n_rows may be NULL.
 * The file is written to path.tmp and renamed when complete.
 */
int contact_export(struct db *db, const struct vault *v,
                   const struct principal *who, const struct contact_filter *f,
                   int with_identity, enum export_format fmt, const char *path,
                   int tz_offset_s, int64_t *n_rows, struct sr_err *err);

#endif
