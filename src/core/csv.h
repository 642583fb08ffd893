/*
 * csv.h - the one CSV writer: every CSV SIREN writes (exports, reports,
 * the funnel, analyses, capture-recapture results, stored survey data)
 * goes through it.
 *
 * Quoting follows RFC 4180: a cell is quoted when it holds a comma, a
 * double quote, CR or LF, or begins or ends with a space or tab (readers
 * such as libcsv trim those when unquoted); quotes inside are doubled.
 *
 * Text cells are guarded for spreadsheets, unless the writer was made
 * with SR_CSV_STORAGE:
 *   - formula injection: a cell whose first byte (after the removals
 *     below) is = + - @, tab or CR gets a leading apostrophe ' (inside
 *     the quotes when quoted), so a spreadsheet shows it as text;
 *   - bidirectional controls U+202A-U+202E, U+2066-U+2069, U+200E,
 *     U+200F and U+061C are REMOVED (they can make a cell read other
 *     than it is, "Trojan Source"); the formula check sees the text
 *     without them.
 * Always, in every mode: NUL bytes and every byte that does not begin a
 * well-formed UTF-8 sequence (overlong forms, surrogates, beyond
 * U+10FFFF, truncated sequences) are REPLACED by U+FFFD, one per byte,
 * so the output is valid UTF-8 whatever the input.
 *
 * Number cells (sr_csv_number) that are a number as printf writes one
 * (optional sign, digits, point, exponent; inf, nan) are written as they
 * are, never guarded or quoted: "-0.25" stays a number. Anything else
 * given as a number is written as a text cell.
 *
 * Owns no memory: a writer only borrows its output. Not thread-safe per
 * writer; distinct writers are independent.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CSV_H
#define SR_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "core/buf.h"

/* Flags of sr_csv_init_buf() and sr_csv_init_file(). */
#define SR_CSV_CRLF      0x1u /* rows end in CR LF (RFC 4180), else LF */
#define SR_CSV_QUOTE_ALL 0x2u /* quote every text cell, needed or not */
#define SR_CSV_STORAGE \
    0x4u /* no spreadsheet guard: CSV that only our \
                                 own reader reads back (stored data sets) */

struct sr_csv {
    struct sr_buf *out; /* borrowed output buffer, or NULL */
    FILE *fp;           /* borrowed output stream, or NULL */
    unsigned flags;     /* SR_CSV_* */
    size_t n_cells;     /* cells written in the current row */
    int rc;             /* SR_OK, or the first failure (sticky) */
};

/*
 * Make w write to the end of out (borrowed; must outlive w) with flags.
 * No allocation: nothing to release. A write past out's cap fails with
 * SR_ETOOBIG; from then on w writes nothing.
 */
void sr_csv_init_buf(struct sr_csv *w, struct sr_buf *out, unsigned flags);

/*
 * Make w write to fp (borrowed, left open) with flags. A failed write
 * (ferror) sets SR_EIO; from then on w writes nothing.
 */
void sr_csv_init_file(struct sr_csv *w, FILE *fp, unsigned flags);

/* Append a text cell of the NUL-terminated s (NULL: empty) to the row. */
void sr_csv_text(struct sr_csv *w, const char *s);

/*
 * Append a text cell of the len bytes at p (which may hold NUL bytes;
 * they become U+FFFD).
 */
void sr_csv_text_n(struct sr_csv *w, const char *p, size_t len);

/* Append a text cell of s (NULL: empty), quoted whatever it holds. */
void sr_csv_quoted(struct sr_csv *w, const char *s);

/*
 * Append a number cell: s as it is when it is a printf-style number,
 * else as sr_csv_text().
 */
void sr_csv_number(struct sr_csv *w, const char *s);

/* sr_csv_number() of the printf-formatted text (at most 127 bytes). */
void sr_csv_numberf(struct sr_csv *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* End the row (an empty row is just the line end). */
void sr_csv_end_row(struct sr_csv *w);

/* n text cells then the line end. */
void sr_csv_row(struct sr_csv *w, const char *const *cells, size_t n);

/* SR_OK, or the first failure: SR_ETOOBIG (buffer cap) or SR_EIO. */
int sr_csv_status(const struct sr_csv *w);

/*
 * 1 if the text s (NULL: no) begins with a byte a spreadsheet reads as
 * a formula (= + - @, tab, CR): the cells the guard prefixes with '.
 */
int sr_csv_is_formula(const char *s);

/*
 * Append the text of the NUL-terminated s (NULL: "") to out as a guarded
 * cell holds it, for another spreadsheet format (XLSX string cells):
 * bidirectional controls removed and ill-formed bytes replaced as above;
 * no quoting and no formula guard (a string cell is never evaluated).
 * SR_OK, or SR_ETOOBIG past out's cap.
 */
int sr_csv_sheet_text(const char *s, struct sr_buf *out);

#endif
