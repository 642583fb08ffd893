/*
 * frame.h - a CSV file loaded as an in-memory table of string cells, for
 * the statistics commands: header row, optional HXL hashtag row,
 * KoboToolbox/ODK group paths and metadata columns, hard caps.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_FRAME_H
#define SR_FRAME_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct frame_col {
    char *name;       /* full header text, e.g. "grp/sub/age"; owned */
    char *tag;        /* HXL hashtag ("#affected+f"), or NULL; owned */
    const char *leaf; /* last '/'-segment of name (points into name) */
    bool is_meta;     /* leaf starts with '_' (_index, _uuid, ...) */
};

struct frame {
    size_t n_rows;          /* data rows (header and HXL row excluded) */
    size_t n_cols;          /* columns, from the header row */
    struct frame_col *cols; /* n_cols entries */
    bool has_hxl;           /* the second row was an HXL hashtag row */
    char *pool;             /* all cell bytes, each NUL-terminated */
    size_t pool_len;        /* bytes used in pool */
    size_t pool_cap;        /* bytes allocated for pool */
    size_t *cell_off;       /* n_rows * n_cols offsets into pool */
    size_t *row_line;       /* physical line (1-based) each row ends on */
};

struct frame_limits {
    size_t max_bytes;      /* file or buffer size */
    size_t max_rows;       /* data rows */
    size_t max_cols;       /* header fields */
    size_t max_cell_bytes; /* bytes in one cell */
};

/* 256 MiB, 10,000,000 rows, 4096 columns, 65,536 bytes per cell. */
void frame_limits_default(struct frame_limits *lim);

/*
 * Parse len bytes of CSV (RFC 4180 quoting, CRLF or LF, optional UTF-8 BOM)
 * into f, which must be zeroed or released. The first row is the header;
 * a second row whose non-empty cells all start with '#' (and one at least)
 * is taken as HXL tags. Every row must have as many fields as the header;
 * cells must be valid UTF-8 without NUL bytes. lim NULL = defaults.
 * Errors (f left empty): SR_ETOOBIG (a cap, naming it and the line),
 * SR_EINVAL (malformed CSV, ragged row, bad UTF-8, empty input: message
 * gives line and column numbers, never cell contents). Caller frees f
 * with frame_release(). Thread-safe for distinct f.
 */
int frame_parse(struct frame *f, const char *data, size_t len,
                const struct frame_limits *lim, struct sr_err *err);

/*
 * Read the file at path (at most lim->max_bytes) and frame_parse() it.
 * Adds SR_EIO (cannot open or read; the message names the path).
 */
int frame_load(struct frame *f, const char *path,
               const struct frame_limits *lim, struct sr_err *err);

/* Free f's contents and zero it; safe twice. */
void frame_release(struct frame *f);

/*
 * Find a column by, in order: its full name; its HXL tag (if name starts
 * with '#'); its last '/'-segment when exactly one column has it.
 * SR_ENOTFOUND or SR_ECONFLICT (ambiguous) with a message naming name.
 */
int frame_col_find(const struct frame *f, const char *name, size_t *out_col,
                   struct sr_err *err);

/* The cell at row, col (both in range; asserted). Borrowed, valid until
 * frame_release(); never NULL ("" for an empty cell). */
const char *frame_cell(const struct frame *f, size_t row, size_t col);

/* True for a missing-value cell: "", "NA", "N/A", "NaN", "." (after
 * trimming spaces). */
bool frame_is_missing(const char *cell);

/*
 * Convert column col to numbers in out[0..n_rows) (caller's array), with
 * NaN for missing cells (frame_is_missing). *out_n_missing (may be NULL)
 * gets their count. A cell that is neither missing nor a finite decimal
 * number is SR_EINVAL naming the column and line (not the cell's text);
 * out is then unspecified.
 */
int frame_col_numeric(const struct frame *f, size_t col, double *out,
                      size_t *out_n_missing, struct sr_err *err);

#endif
