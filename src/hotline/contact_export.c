/*
 * contact_export.c - CSV and XLSX (libxlsxwriter) exports of contacts.
 *
 * Owns no table: rows come from contact_export_rows(), which checks the
 * scope and identity permission and writes the audit row. CSV cells go
 * through core/csv.c (every cell quoted; one that begins with = + - @,
 * tab or CR gets a leading apostrophe; bidirectional controls removed);
 * in XLSX every text cell is a string cell, so no cell can run as a
 * formula.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "hotline/contact_export.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "base/vault.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/banned.h"

/* The columns, named as the import expects them. */
static const char *const plain_cols[] = {
    "code",
    "received_at",
    "channel",
    "language",
    "caller_type",
    "caller_country",
    "caller_province",
    "problem_country",
    "problem_province",
    "category",
    "issues",
    "sector",
    "n_affected",
    "danger",
    "duration_s",
    "consent",
    "operator",
};
enum { N_PLAIN = sizeof plain_cols / sizeof plain_cols[0] };
static const char *const identity_cols[] = {
    "caller_phone", "caller_place", "problem_place",
    "summary",      "needs",        "action_taken",
};
enum { N_IDENTITY = 6 };

int
export_is_risky(const char *s)
{
    return sr_csv_is_formula(s);
}

struct out {
    enum export_format fmt;
    FILE *csv;
    struct sr_csv w; /* writes to csv: quoted, guarded, CRLF */
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_row_t row;
    struct sr_buf cell; /* one XLSX text cell, guarded; wiped at the end */
    int tz;
    int is_failed;
};

/* s in a string cell of the current row, which is never evaluated whatever
 * it begins with; bidirectional controls removed as in the CSV export. */
static lxw_error
sheet_text(struct out *o, lxw_col_t col, const char *s)
{
    sr_buf_reset(&o->cell);
    if (sr_csv_sheet_text(s, &o->cell) != SR_OK) {
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    }
    return worksheet_write_string(
        o->ws, o->row, col, o->cell.data != NULL ? o->cell.data : "", NULL);
}

/* The row's cells as text, in plain_cols order. */
static void
plain_cells(const struct contact_row *r, int tz, char buf[N_PLAIN][160],
            const char *cells[N_PLAIN])
{
    char when[32];
    contact_format_time(r->received_at, tz, when, sizeof when);
    snprintf(buf[1], sizeof buf[1], "%s%c%02d:%02d", when, tz < 0 ? '-' : '+',
             (tz < 0 ? -tz : tz) / 3600, ((tz < 0 ? -tz : tz) % 3600) / 60);
    size_t n = 0;
    buf[10][0] = '\0';
    for (int i = 0; contact_issues[i].code != NULL; i++) {
        if (r->issues & (1u << i)) {
            n += (size_t)snprintf(buf[10] + n, sizeof buf[10] - n, "%s%s",
                                  n ? ";" : "", contact_issues[i].code);
            if (n >= sizeof buf[10]) {
                break;
            }
        }
    }
    snprintf(buf[12], sizeof buf[12], "%d", r->n_affected);
    snprintf(buf[14], sizeof buf[14], "%d", r->duration_s);
    snprintf(buf[15], sizeof buf[15], "%s%s%s%s%s",
             r->consent & CONTACT_CONSENT_NGO ? "ngo" : "",
             (r->consent & CONTACT_CONSENT_NGO) &&
                     (r->consent & ~CONTACT_CONSENT_NGO)
                 ? ";"
                 : "",
             r->consent & CONTACT_CONSENT_POLICE ? "police" : "",
             (r->consent & CONTACT_CONSENT_POLICE) &&
                     (r->consent & CONTACT_CONSENT_RESEARCH)
                 ? ";"
                 : "",
             r->consent & CONTACT_CONSENT_RESEARCH ? "research" : "");
    const char *c[N_PLAIN] = {
        r->code,
        buf[1],
        r->channel,
        r->language,
        r->caller_type,
        r->caller_country,
        r->caller_province,
        r->problem_country,
        r->problem_province,
        r->category,
        buf[10],
        r->sector,
        buf[12],
        r->is_danger ? "yes" : "no",
        buf[14],
        buf[15],
        r->operator_name,
    };
    memcpy(cells, c, sizeof c);
}

static int
write_row(const struct contact_row *r, const struct contact_identity *idn,
          void *ctx)
{
    struct out *o = ctx;
    char buf[N_PLAIN][160];
    const char *cells[N_PLAIN + N_IDENTITY];
    size_t n = N_PLAIN;
    plain_cells(r, o->tz, buf, cells);
    if (idn != NULL) {
        cells[n++] = idn->phone.data;
        cells[n++] = idn->caller_place.data;
        cells[n++] = idn->problem_place.data;
        cells[n++] = idn->summary.data;
        cells[n++] = idn->needs.data;
        cells[n++] = idn->action_taken.data;
    }
    if (o->fmt == EXPORT_CSV) {
        sr_csv_row(&o->w, cells, n);
        return sr_csv_status(&o->w) != SR_OK ? 1 : 0;
    }
    o->row++;
    for (size_t i = 0; i < n; i++) {
        lxw_error e;
        if (i == 12 || i == 14) {
            e = worksheet_write_number(o->ws, o->row, (lxw_col_t)i,
                                       i == 12 ? r->n_affected : r->duration_s,
                                       NULL);
        } else {
            e = sheet_text(o, (lxw_col_t)i, cells[i]);
        }
        if (e != LXW_NO_ERROR) {
            return 1;
        }
    }
    return 0;
}

int
contact_export(struct db *db, const struct vault *v,
               const struct principal *who, const struct contact_filter *f,
               int with_identity, enum export_format fmt, const char *path,
               int tz_offset_s, int64_t *n_rows, struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL && f != NULL && path);
    struct out o;
    memset(&o, 0, sizeof o);
    o.fmt = fmt;
    o.tz = tz_offset_s;
    int is_stdout = strcmp(path, "-") == 0;
    if (is_stdout && fmt == EXPORT_XLSX) {
        return sr_err_set(err, SR_EINVAL, "out: XLSX needs a file (--out)");
    }
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
        return sr_err_set(err, SR_EINVAL, "out: path too long");
    }
    size_t n_cols = N_PLAIN + (with_identity ? N_IDENTITY : 0);
    if (fmt == EXPORT_CSV) {
        o.csv = is_stdout ? stdout : fopen(tmp, "w");
        if (o.csv == NULL) {
            return sr_err_set(err, SR_EIO, "out: cannot write the file");
        }
        sr_csv_init_file(&o.w, o.csv, SR_CSV_CRLF | SR_CSV_QUOTE_ALL);
        for (size_t i = 0; i < n_cols; i++) {
            sr_csv_text(&o.w, i < N_PLAIN ? plain_cols[i]
                                          : identity_cols[i - N_PLAIN]);
        }
        sr_csv_end_row(&o.w);
    } else {
        sr_buf_init(&o.cell, 0);
        o.wb = workbook_new(tmp);
        o.ws = o.wb ? workbook_add_worksheet(o.wb, "contacts") : NULL;
        if (o.ws == NULL) {
            if (o.wb) {
                workbook_close(o.wb);
            }
            unlink(tmp);
            vault_buf_wipe(&o.cell);
            return sr_err_set(err, SR_EIO, "out: cannot write the file");
        }
        for (size_t i = 0; i < n_cols; i++) {
            worksheet_write_string(
                o.ws, 0, (lxw_col_t)i,
                i < N_PLAIN ? plain_cols[i] : identity_cols[i - N_PLAIN], NULL);
        }
    }
    int rc = contact_export_rows(db, v, who, f, with_identity, write_row, &o,
                                 n_rows, err);
    int is_bad = 0;
    if (fmt == EXPORT_CSV) {
        is_bad = fflush(o.csv) != 0 || ferror(o.csv);
        if (!is_stdout) {
            is_bad |= fsync(fileno(o.csv)) != 0;
            is_bad |= fclose(o.csv) != 0;
        }
    } else {
        is_bad = workbook_close(o.wb) != LXW_NO_ERROR;
        vault_buf_wipe(&o.cell);
    }
    if (rc == SR_OK && is_bad) {
        rc = sr_err_set(err, SR_EIO, "out: cannot write the file");
    }
    if (!is_stdout) {
        if (rc == SR_OK && rename(tmp, path) != 0) {
            rc = sr_err_set(err, SR_EIO, "out: cannot write the file");
        }
        if (rc != SR_OK) {
            unlink(tmp);
        }
    }
    return rc;
}
