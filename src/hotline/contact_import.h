/*
 * contact_import.h - import earlier contact records from CSV (with an
 * optional HXL hashtag row), validating every row before writing any.
 * The column mapping is documented in docs/import-contacts.md.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CONTACT_IMPORT_H
#define SR_CONTACT_IMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "base/policy.h"
#include "base/store.h"

struct vault;

/* Caps on what an import file may hold. */
#define IMPORT_MAX_BYTES   ((int64_t)2 << 30) /* 2 GiB */
#define IMPORT_MAX_ROWS    20000000           /* data rows */
#define IMPORT_MAX_COLUMNS 64                 /* cells per row */
#define IMPORT_MAX_CELL    8000               /* bytes per cell */
#define IMPORT_MAX_ERRORS  1000               /* reported; then counted */

struct import_opts {
    int is_skip_invalid;      /* write the valid rows; reject the others */
    int tz_offset_s;          /* UTC offset for times given without a zone */
    int batch_rows;           /* rows per transaction; 0 = 100000 */
    const char *phone_region; /* contact_input.phone_region of every row */
};

/* What an import did. */
struct import_report {
    int64_t n_rows;    /* data rows read (not the header or tag rows) */
    int64_t n_invalid; /* rows with at least one error */
    int64_t n_errors;  /* errors found (a row may have several) */
    int64_t n_created; /* contacts written */
    int64_t n_dup;     /* rows already imported before (skipped) */
    int has_hxl;       /* 1 if a hashtag row was recognised */
};

/* Where the errors and rejected rows go. Any may be NULL. */
struct import_sink {
    /* one error: line (the header is line 1), column name (or "" for the
     * whole row), message (never the cell's value) */
    void (*on_error)(int64_t line, const char *column, const char *msg,
                     void *ctx);
    /* the header cells, once, before any rejected row */
    void (*on_header)(const char *const *cells, size_t n, void *ctx);
    /* one invalid row (with --skip-invalid): its cells and the reasons */
    void (*on_reject)(int64_t line, const char *const *cells, size_t n,
                      const char *reasons, void *ctx);
    void *ctx;
};

/*
 * Import the CSV in f (rewindable) for who's organisation; each error
 * goes to sink->on_error with its line and column, each invalid row with
 * is_skip_invalid to sink->on_reject. Two paths:
 * - into a workspace that holds contacts: check every row first, then -
 *   only if no row is invalid, or with is_skip_invalid - write the valid
 *   rows in transactions of batch_rows, with one contact.create audit row
 *   each;
 * - into a workspace without contacts, one bulk load (it holds the write
 *   lock until it commits): one transaction, rows checked and written in
 *   one pass (a second thread writes while the next batch is prepared),
 *   the contact indexes set aside and rebuilt before the commit, rolled
 *   back unless every row is valid or is_skip_invalid; one contact.import
 *   audit row naming the count, the first and last contact and the
 *   file's keyed fingerprint, which every contact of the load names.
 * Each row's import key is the vault's blind index (domain "import") of
 * the organisation and the row's canonical cells, so importing the same
 * file again adds nothing (counted in n_dup). Returns SR_OK; SR_EINVAL
 * when rows are invalid without is_skip_invalid (nothing written) or the
 * header is wrong (a missing required or unknown column, named);
 * SR_ETOOBIG past a cap; SR_EIO, SR_EDB.
 */
int contact_import(struct db *db, const struct vault *v,
                   const struct principal *who, FILE *f,
                   const struct import_opts *o, const struct import_sink *sink,
                   struct import_report *rep, struct sr_err *err);

/*
 * Only the first pass: parse and check the CSV in f, reporting to sink.
 * No database; used by the fuzz target and by contact_import().
 */
int contact_import_check(FILE *f, const struct import_opts *o,
                         const struct import_sink *sink,
                         struct import_report *rep, struct sr_err *err);

#endif
