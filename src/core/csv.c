/*
 * csv.c - the one CSV writer (csv.h): RFC 4180 quoting, the spreadsheet
 * guard (formula prefixes, bidirectional controls) and UTF-8 repair.
 *
 * Owns nothing: writes into a borrowed sr_buf or FILE. Each cell is
 * scanned twice (to decide quoting and the guard, then to write), so no
 * scratch memory is needed. Must not: read CSV (libcsv does, in
 * frame.c, capture.c and contact_import.c), nor know what a cell means.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/csv.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "core/banned.h"

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

void
sr_csv_init_buf(struct sr_csv *w, struct sr_buf *out, unsigned flags)
{
    assert(w != NULL && out != NULL);
    memset(w, 0, sizeof *w);
    w->out = out;
    w->flags = flags;
}

void
sr_csv_init_file(struct sr_csv *w, FILE *fp, unsigned flags)
{
    assert(w != NULL && fp != NULL);
    memset(w, 0, sizeof *w);
    w->fp = fp;
    w->flags = flags;
}

int
sr_csv_status(const struct sr_csv *w)
{
    assert(w != NULL);
    return w->rc;
}

int
sr_csv_is_formula(const char *s)
{
    return s != NULL && (s[0] == '=' || s[0] == '+' || s[0] == '-' ||
                         s[0] == '@' || s[0] == '\t' || s[0] == '\r');
}

static void
emit(struct sr_csv *w, const char *p, size_t len)
{
    if (w->rc != SR_OK || len == 0) {
        return;
    }
    if (w->out != NULL) {
        w->rc = sr_buf_add(w->out, p, len);
    } else if (fwrite(p, 1, len, w->fp) != len || ferror(w->fp)) {
        w->rc = SR_EIO;
    }
}

/*
 * Length of the well-formed UTF-8 sequence at p (n >= 1 bytes left): 1 to
 * 4, or 0 when p[0] begins none (NUL, a stray continuation byte, overlong
 * forms, surrogates, beyond U+10FFFF, a truncated sequence).
 */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
    uint32_t cp;
    size_t len = sr_utf8_decode(p, n, &cp);
    return cp == SR_UTF8_BAD || cp == 0 ? 0 : len;
}

/* 1 if the well-formed sequence p[0..len) is a bidirectional control */
static int
is_bidi(const unsigned char *p, size_t len)
{
    if (len == 2) {
        return p[0] == 0xD8 && p[1] == 0x9C; /* U+061C */
    }
    if (len != 3 || p[0] != 0xE2) {
        return 0;
    }
    return (p[1] == 0x80 && (p[2] == 0x8E || p[2] == 0x8F)) || /* 200E-F */
           (p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) ||   /* 202A-E */
           (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9);     /* 2066-9 */
}

/* what a cell needs, from one pass over it */
struct scan {
    int is_quoted; /* holds , " CR LF or has edge blanks */
    int is_formula;
};

static void
scan_cell(const struct sr_csv *w, const unsigned char *p, size_t len,
          struct scan *sc)
{
    int is_guarded = !(w->flags & SR_CSV_STORAGE);
    int is_first = 1;
    unsigned last = 0;
    memset(sc, 0, sizeof *sc);
    for (size_t i = 0; i < len;) {
        size_t n = utf8_len(p + i, len - i);
        if (n != 0 && is_guarded && is_bidi(p + i, n)) {
            i += n;
            continue;
        }
        unsigned c = n == 0 ? 0xEF : p[i]; /* U+FFFD begins with EF */
        if (is_first) {
            sc->is_formula = is_guarded && (c == '=' || c == '+' || c == '-' ||
                                            c == '@' || c == '\t' || c == '\r');
            sc->is_quoted |= c == ' ' || c == '\t';
            is_first = 0;
        }
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
            sc->is_quoted = 1;
        }
        last = n == 0 ? 0xBD : p[i + n - 1];
        i += n == 0 ? 1 : n;
    }
    sc->is_quoted |= last == ' ' || last == '\t';
}

static void
write_cell(struct sr_csv *w, const char *s, size_t len, int is_quoted)
{
    const unsigned char *p = (const unsigned char *)s;
    int is_guarded = !(w->flags & SR_CSV_STORAGE);
    struct scan sc;
    scan_cell(w, p, len, &sc);
    is_quoted |= sc.is_quoted || (w->flags & SR_CSV_QUOTE_ALL);
    if (w->n_cells++ > 0) {
        emit(w, ",", 1);
    }
    if (is_quoted) {
        emit(w, "\"", 1);
    }
    if (sc.is_formula) {
        emit(w, "'", 1);
    }
    size_t run = 0; /* start of the bytes not yet written */
    for (size_t i = 0; i < len;) {
        size_t n = utf8_len(p + i, len - i);
        if (n == 1 && p[i] == '"') {
            emit(w, s + run, i + 1 - run); /* the quote, then its double */
            run = i;
        } else if (n == 0 || (is_guarded && is_bidi(p + i, n))) {
            emit(w, s + run, i - run);
            if (n == 0) {
                emit(w, replacement, sizeof replacement - 1);
            }
            run = i + (n == 0 ? 1 : n);
        }
        i += n == 0 ? 1 : n;
    }
    emit(w, s + run, len - run);
    if (is_quoted) {
        emit(w, "\"", 1);
    }
}

int
sr_csv_sheet_text(const char *s, struct sr_buf *out)
{
    assert(out != NULL);
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    size_t len = strlen((const char *)p);
    int rc = SR_OK;
    size_t run = 0; /* start of the bytes not yet appended */
    for (size_t i = 0; i < len && rc == SR_OK;) {
        size_t n = utf8_len(p + i, len - i);
        if (n == 0 || is_bidi(p + i, n)) {
            rc = sr_buf_add(out, p + run, i - run);
            if (rc == SR_OK && n == 0) {
                rc = sr_buf_add(out, replacement, sizeof replacement - 1);
            }
            run = i + (n == 0 ? 1 : n);
        }
        i += n == 0 ? 1 : n;
    }
    return rc == SR_OK ? sr_buf_add(out, p + run, len - run) : rc;
}

void
sr_csv_text_n(struct sr_csv *w, const char *p, size_t len)
{
    assert(w != NULL && (p != NULL || len == 0));
    write_cell(w, p != NULL ? p : "", len, 0);
}

void
sr_csv_text(struct sr_csv *w, const char *s)
{
    sr_csv_text_n(w, s, s != NULL ? strlen(s) : 0);
}

void
sr_csv_quoted(struct sr_csv *w, const char *s)
{
    assert(w != NULL);
    write_cell(w, s != NULL ? s : "", s != NULL ? strlen(s) : 0, 1);
}

static size_t
digits(const char *s)
{
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9') {
        n++;
    }
    return n;
}

/* 1 if all of s is a number as printf writes one */
static int
is_number(const char *s)
{
    if (*s == '-' || *s == '+') {
        s++;
    }
    if (strcmp(s, "inf") == 0 || strcmp(s, "nan") == 0) {
        return 1;
    }
    size_t n_int = digits(s), n_frac = 0;
    s += n_int;
    if (*s == '.') {
        n_frac = digits(s + 1);
        s += 1 + n_frac;
    }
    if (n_int + n_frac == 0) {
        return 0;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '-' || *s == '+') {
            s++;
        }
        size_t n_exp = digits(s);
        if (n_exp == 0) {
            return 0;
        }
        s += n_exp;
    }
    return *s == '\0';
}

void
sr_csv_number(struct sr_csv *w, const char *s)
{
    assert(w != NULL);
    if (s == NULL || !is_number(s)) {
        sr_csv_text(w, s);
        return;
    }
    if (w->n_cells++ > 0) {
        emit(w, ",", 1);
    }
    emit(w, s, strlen(s));
}

void
sr_csv_numberf(struct sr_csv *w, const char *fmt, ...)
{
    char v[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(v, sizeof v, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof v) {
        SR_BUG("csv number longer than 127 bytes");
    }
    sr_csv_number(w, v);
}

void
sr_csv_end_row(struct sr_csv *w)
{
    assert(w != NULL);
    if (w->flags & SR_CSV_CRLF) {
        emit(w, "\r\n", 2);
    } else {
        emit(w, "\n", 1);
    }
    w->n_cells = 0;
}

void
sr_csv_row(struct sr_csv *w, const char *const *cells, size_t n)
{
    assert(w != NULL && (cells != NULL || n == 0));
    for (size_t i = 0; i < n; i++) {
        sr_csv_text(w, cells[i]);
    }
    sr_csv_end_row(w);
}
