/*
 * contact_import.c - import of earlier contact records from CSV files
 * (libcsv), with an optional HXL hashtag row.
 *
 * Into a table holding at least as many contacts as the file has lines,
 * reads the file twice: the first pass checks every row and reports each
 * error with its line and column; the second writes the valid rows in
 * batches through contact_create_batch(). Otherwise one pass checks and
 * writes as one bulk load (contact_bulk_*), rolled back unless every row
 * is valid (or --skip-invalid). Owns no table and no SQL. Must
 * not put a cell's value into an error message or a log line.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "hotline/contact_import.h"

#include <assert.h>
#include <ctype.h>
#include <csv.h>
#include <pthread.h>
#include <string.h>

#include <sodium.h>

#include "core/arena.h"
#include "core/buf.h"
#include "hotline/contact.h"
#include "hotline/contact_export.h"
#include "base/principal.h"
#include "base/vault.h"
#include "core/banned.h"

/* Rows per batch of a bulk load (one transaction whatever the size). */
#define BULK_BATCH_ROWS 20000

/* The columns an import file may have, in canonical order. */
enum col {
    COL_RECEIVED_AT,
    COL_CHANNEL,
    COL_LANGUAGE,
    COL_CALLER_TYPE,
    COL_CALLER_PHONE,
    COL_CALLER_COUNTRY,
    COL_CALLER_PROVINCE,
    COL_CALLER_PLACE,
    COL_PROBLEM_COUNTRY,
    COL_PROBLEM_PROVINCE,
    COL_PROBLEM_PLACE,
    COL_CATEGORY,
    COL_ISSUES,
    COL_SECTOR,
    COL_N_AFFECTED,
    COL_DANGER,
    COL_SUMMARY,
    COL_NEEDS,
    COL_ACTION_TAKEN,
    COL_DURATION_S,
    COL_CONSENT,
    COL__COUNT
};

/* Column names (the header), whether required, and the HXL hashtags that
 * map to each (attributes sorted; see docs/import-contacts.md). */
static const struct {
    const char *name;
    int is_required;
    const char *tags[3];
} columns[COL__COUNT] = {
    [COL_RECEIVED_AT] = { "received_at", 1, { "#date", "#date+received" } },
    [COL_CHANNEL] = { "channel", 1, { "#contact+channel" } },
    [COL_LANGUAGE] = { "language", 1, { "#language", "#contact+language" } },
    [COL_CALLER_TYPE] = { "caller_type", 1, { "#contact+type" } },
    [COL_CALLER_PHONE] = { "caller_phone", 0, { "#contact+phone" } },
    [COL_CALLER_COUNTRY] = { "caller_country",
                             0,
                             { "#caller+code+country", "#country+caller" } },
    [COL_CALLER_PROVINCE] = { "caller_province",
                              0,
                              { "#adm1+caller+code", "#adm1+caller" } },
    [COL_CALLER_PLACE] = { "caller_place",
                           0,
                           { "#caller+loc+name", "#caller+loc" } },
    [COL_PROBLEM_COUNTRY] = { "problem_country",
                              0,
                              { "#country+code", "#code+country+problem",
                                "#country+problem" } },
    [COL_PROBLEM_PROVINCE] = { "problem_province",
                               0,
                               { "#adm1+code", "#adm1+code+problem",
                                 "#adm1+problem" } },
    [COL_PROBLEM_PLACE] = { "problem_place",
                            0,
                            { "#loc+name+problem", "#loc+problem", "#loc" } },
    [COL_CATEGORY] = { "category", 1, { "#category", "#contact+category" } },
    [COL_ISSUES] = { "issues", 0, { "#issue", "#issue+list" } },
    [COL_SECTOR] = { "sector", 0, { "#sector" } },
    [COL_N_AFFECTED] = { "n_affected", 0, { "#affected", "#affected+num" } },
    [COL_DANGER] = { "danger", 0, { "#danger+severity", "#severity" } },
    [COL_SUMMARY] = { "summary",
                      0,
                      { "#description", "#description+summary" } },
    [COL_NEEDS] = { "needs", 0, { "#description+needs", "#needs" } },
    [COL_ACTION_TAKEN] = { "action_taken",
                           0,
                           { "#action", "#action+description" } },
    [COL_DURATION_S] = { "duration_s",
                         0,
                         { "#duration", "#duration+seconds" } },
    [COL_CONSENT] = { "consent", 0, { "#consent", "#consent+meta" } },
};

/* A batch's rows: inputs, items and import keys, strings in arena. */
struct slot {
    struct arena arena;
    struct contact_input *inputs;
    struct contact_batch_item *items;
    unsigned char (*keys)[32];
};

/* The bulk load writes batch k in a second thread while the first reads,
 * checks and prepares batch k+1 (contact_bulk_prepare/write). */
struct writer {
    pthread_t thread;
    int is_running;
    struct contact_bulk *bulk;
    const struct principal *who;
    struct contact_bulk_batch bb;
    size_t slot;       /* the slot whose rows it writes */
    size_t n_created;  /* out */
    int rc;            /* out */
    struct sr_err err; /* out */
};

struct state {
    /* the record being read */
    struct sr_buf cells; /* cell bytes, each NUL-terminated */
    size_t offs[IMPORT_MAX_COLUMNS];
    size_t n_cells;
    int is_too_wide, is_cell_too_big;
    int64_t line;     /* physical line where the record started */
    int64_t n_breaks; /* line breaks inside its quoted cells */
    int64_t n_records;
    /* the header */
    char *header[IMPORT_MAX_COLUMNS];
    size_t n_header;
    int map[IMPORT_MAX_COLUMNS]; /* cell index -> enum col, or -1 */
    int is_mapped, is_header_bad;
    /* the run */
    int pass; /* bits: 1 check (report errors), 2 write */
    int rc;
    struct sr_err *err;
    const struct import_opts *o;
    const struct import_sink *sink;
    struct import_report *rep;
    /* pass 2 */
    struct db *db;
    const struct vault *v;
    const struct principal *who;
    struct slot slot[2]; /* batch being read, batch being written */
    size_t cur;          /* the slot being read */
    size_t n_batch, cap_batch;
    struct writer writer; /* the bulk load's writing thread */
    struct sr_buf reasons;
    struct contact_bulk *bulk; /* the bulk load's transaction, or NULL */
    /* the file's BLAKE2b-256 as read (bulk load; its blind index goes in
     * the audit row), or NULL */
    crypto_generichash_state *file_hash;
};

static void
report_error(struct state *st, int64_t line, const char *column,
             const char *msg)
{
    st->rep->n_errors++;
    if ((st->pass & 1) && st->sink && st->sink->on_error &&
        st->rep->n_errors <= IMPORT_MAX_ERRORS) {
        st->sink->on_error(line, column, msg, st->sink->ctx);
    }
    if (st->pass & 2) {
        if (st->reasons.len > 0) {
            sr_buf_adds(&st->reasons, "; ");
        }
        sr_buf_printf(&st->reasons, "%s%s%s", column, column[0] ? ": " : "",
                      msg);
    }
}

static void
on_field(void *p, size_t len, void *ctx)
{
    struct state *st = ctx;
    const char *s = p != NULL ? p : "";
    for (size_t i = 0; i < len; i++) {
        st->n_breaks += s[i] == '\n';
    }
    if (st->n_cells >= IMPORT_MAX_COLUMNS) {
        st->is_too_wide = 1;
        return;
    }
    if (len > IMPORT_MAX_CELL) {
        st->is_cell_too_big = 1;
        len = 0;
    }
    st->offs[st->n_cells++] = st->cells.len;
    if (sr_buf_add(&st->cells, s, len) != SR_OK ||
        sr_buf_addc(&st->cells, '\0') != SR_OK) {
        st->is_cell_too_big = 1;
    }
}

static const char *
cell(const struct state *st, size_t i)
{
    return i < st->n_cells ? st->cells.data + st->offs[i] : "";
}

/* s without leading and trailing ASCII white space, in the arena or a
 * static buffer. */
static const char *
trim(struct arena *a, const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
        s++;
    }
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
                     s[n - 1] == '\n')) {
        n--;
    }
    return arena_strndup(a, s, n);
}

static char *
lower(struct arena *a, const char *s)
{
    char *t = (char *)trim(a, s);
    for (char *c = t; *c; c++) {
        *c = (char)tolower((unsigned char)*c);
    }
    return t;
}

/* "#Adm1 +Problem+code" -> "#adm1+code+problem": lower case, no spaces,
 * attributes sorted, so any order of attributes matches. */
static const char *
normalise_tag(struct arena *a, const char *raw)
{
    char *t = lower(a, raw);
    char *parts[16];
    size_t n = 0, w = 0;
    for (size_t r = 0; t[r]; r++) {
        if (t[r] != ' ') {
            t[w++] = t[r];
        }
    }
    t[w] = '\0';
    for (char *p = t; p != NULL && n < 16;) {
        parts[n++] = p;
        p = strchr(p, '+');
        if (p != NULL) {
            *p++ = '\0';
        }
    }
    for (size_t i = 2; i < n; i++) { /* insertion sort of attributes */
        for (size_t j = i; j > 1 && strcmp(parts[j - 1], parts[j]) > 0; j--) {
            char *x = parts[j];
            parts[j] = parts[j - 1];
            parts[j - 1] = x;
        }
    }
    struct sr_buf b;
    sr_buf_init(&b, 256);
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            sr_buf_addc(&b, '+');
        }
        sr_buf_adds(&b, parts[i]);
    }
    const char *out = arena_strdup(a, b.data);
    sr_buf_release(&b);
    return out;
}

static int
col_by_name(const char *name)
{
    for (int c = 0; c < COL__COUNT; c++) {
        if (strcmp(columns[c].name, name) == 0) {
            return c;
        }
    }
    return -1;
}

static int
col_by_tag(struct arena *a, const char *raw)
{
    const char *tag = normalise_tag(a, raw);
    for (int c = 0; c < COL__COUNT; c++) {
        for (int k = 0; k < 3 && columns[c].tags[k] != NULL; k++) {
            if (strcmp(columns[c].tags[k], tag) == 0) {
                return c;
            }
        }
    }
    return -1;
}

/* Is the current record a row of hashtags? */
static int
is_tag_row(const struct state *st)
{
    int n_tags = 0;
    for (size_t i = 0; i < st->n_cells; i++) {
        const char *s = cell(st, i);
        while (*s == ' ') {
            s++;
        }
        if (*s == '#') {
            n_tags++;
        } else if (*s != '\0') {
            return 0;
        }
    }
    return n_tags > 0;
}

/* Map the header (and the tag row, if is_tags) to columns. */
static void
map_columns(struct state *st, int is_tags)
{
    struct arena a;
    int seen[COL__COUNT] = { 0 };
    arena_init(&a);
    for (size_t i = 0; i < st->n_header; i++) {
        int c = -1;
        if (is_tags && i < st->n_cells && cell(st, i)[0] != '\0') {
            c = col_by_tag(&a, cell(st, i));
        }
        if (c < 0) {
            c = col_by_name(lower(&a, st->header[i]));
        }
        const char *name = st->header[i];
        if (c < 0) {
            if (trim(&a, name)[0] == '\0' && is_tags && i < st->n_cells &&
                cell(st, i)[0] == '\0') {
                st->map[i] = -1; /* an empty, untagged column is ignored */
                continue;
            }
            report_error(st, 1, sr_utf8_valid(name, strlen(name)) ? name : "",
                         "unknown column (see docs/import-contacts.md)");
            st->is_header_bad = 1;
        } else if (seen[c]++) {
            report_error(st, 1, columns[c].name, "column given twice");
            st->is_header_bad = 1;
        }
        st->map[i] = c;
    }
    for (int c = 0; c < COL__COUNT; c++) {
        if (columns[c].is_required && !seen[c]) {
            report_error(st, 1, columns[c].name, "required column missing");
            st->is_header_bad = 1;
        }
    }
    st->is_mapped = 1;
    arena_release(&a);
}

static int
parse_int(const char *s, long long min, long long max, long long dflt,
          long long *out)
{
    if (s[0] == '\0') {
        *out = dflt;
        return SR_OK;
    }
    return sr_parse_i64(s, min, max, out);
}

/* Codes separated by ; | , or spaces, each in list -> bits. */
static int
parse_codes(struct arena *a, const char *s, const struct vocab_item *list,
            uint32_t *out)
{
    char *t = lower(a, s);
    uint32_t bits = 0;
    char *p = t;
    while (*p) {
        size_t n = strcspn(p, ";|, ");
        if (n > 0) {
            char save = p[n];
            p[n] = '\0';
            int k = vocab_find(list, p);
            p[n] = save;
            if (k < 0) {
                return SR_EINVAL;
            }
            bits |= 1u << k;
        }
        p += n;
        if (*p) {
            p++;
        }
    }
    *out = bits;
    return SR_OK;
}

/* The column a validation field name belongs to. */
static int
col_of_field(const char *field, size_t n)
{
    for (int c = 0; c < COL__COUNT; c++) {
        if (strlen(columns[c].name) == n &&
            strncmp(columns[c].name, field, n) == 0) {
            return c;
        }
    }
    if (n == 9 && strncmp(field, "is_danger", 9) == 0) {
        return COL_DANGER;
    }
    return -1;
}

/* Make the field of column c harmless so validation goes on to the next
 * error. */
static void
neutralise(struct contact_input *in, int c)
{
    switch (c) {
    case COL_RECEIVED_AT:
        in->received_at = 0;
        break;
    case COL_CHANNEL:
        in->channel = contact_channels[0].code;
        break;
    case COL_LANGUAGE:
        in->language = vocab_languages[0].code;
        break;
    case COL_CALLER_TYPE:
        in->caller_type = contact_caller_types[0].code;
        break;
    case COL_CATEGORY:
        in->category = contact_categories[0].code;
        break;
    case COL_CALLER_PHONE:
        in->caller_phone = NULL;
        break;
    case COL_CALLER_COUNTRY:
        in->caller_country = NULL;
        break;
    case COL_CALLER_PROVINCE:
        in->caller_province = NULL;
        break;
    case COL_CALLER_PLACE:
        in->caller_place = NULL;
        break;
    case COL_PROBLEM_COUNTRY:
        in->problem_country = NULL;
        break;
    case COL_PROBLEM_PROVINCE:
        in->problem_province = NULL;
        break;
    case COL_PROBLEM_PLACE:
        in->problem_place = NULL;
        break;
    case COL_ISSUES:
        in->issues = 0;
        break;
    case COL_SECTOR:
        in->sector = NULL;
        break;
    case COL_N_AFFECTED:
        in->n_affected = 1;
        break;
    case COL_DANGER:
        in->is_danger = 0;
        break;
    case COL_SUMMARY:
        in->summary = NULL;
        break;
    case COL_NEEDS:
        in->needs = NULL;
        break;
    case COL_ACTION_TAKEN:
        in->action_taken = NULL;
        break;
    case COL_DURATION_S:
        in->duration_s = 0;
        break;
    case COL_CONSENT:
        in->consent = 0;
        break;
    default:
        break;
    }
}

/*
 * Turn the current record into *in (strings in a), reporting every
 * error. Returns the number of errors found.
 */
static int
read_row(struct state *st, struct arena *a, struct contact_input *in,
         const char *vals[COL__COUNT])
{
    int64_t line = st->line;
    int64_t before = st->rep->n_errors;
    memset(in, 0, sizeof *in);
    for (int c = 0; c < COL__COUNT; c++) {
        vals[c] = "";
    }
    if (st->is_too_wide || st->n_cells > st->n_header) {
        report_error(st, line, "", "more cells than the header has columns");
    }
    if (st->is_cell_too_big) {
        report_error(st, line, "", "a cell is longer than 8000 bytes");
    }
    for (size_t i = 0; i < st->n_cells && i < st->n_header; i++) {
        if (st->map[i] >= 0) {
            const char *v = trim(a, cell(st, i));
            /* undo an export's neutralising apostrophe ('=..., '+66...) */
            vals[st->map[i]] =
                v[0] == '\'' && export_is_risky(v + 1) ? v + 1 : v;
        }
    }
    /* the free-text cells keep their inner spacing; codes are trimmed */
    in->channel = lower(a, vals[COL_CHANNEL]);
    in->language = lower(a, vals[COL_LANGUAGE]);
    in->caller_type = lower(a, vals[COL_CALLER_TYPE]);
    in->category = lower(a, vals[COL_CATEGORY]);
    in->sector = lower(a, vals[COL_SECTOR]);
    in->caller_phone = vals[COL_CALLER_PHONE];
    in->phone_region = st->o->phone_region;
    in->caller_country = vals[COL_CALLER_COUNTRY];
    in->caller_province = vals[COL_CALLER_PROVINCE];
    in->caller_place = vals[COL_CALLER_PLACE];
    in->problem_country = vals[COL_PROBLEM_COUNTRY];
    in->problem_province = vals[COL_PROBLEM_PROVINCE];
    in->problem_place = vals[COL_PROBLEM_PLACE];
    in->summary = vals[COL_SUMMARY];
    in->needs = vals[COL_NEEDS];
    in->action_taken = vals[COL_ACTION_TAKEN];
    long long v;
    if (vals[COL_RECEIVED_AT][0] == '\0') {
        report_error(st, line, "received_at", "required");
    } else if (contact_parse_time(vals[COL_RECEIVED_AT], st->o->tz_offset_s,
                                  &in->received_at) != SR_OK) {
        report_error(st, line, "received_at",
                     "not a date and time (YYYY-MM-DD HH:MM)");
    }
    if (parse_int(vals[COL_N_AFFECTED], 0, 100000, 1, &v) != SR_OK) {
        report_error(st, line, "n_affected", "must be a number 0-100000");
        v = 1;
    }
    in->n_affected = (int)v;
    if (parse_int(vals[COL_DURATION_S], 0, 86400, 0, &v) != SR_OK) {
        report_error(st, line, "duration_s",
                     "must be a number of seconds 0-86400");
        v = 0;
    }
    in->duration_s = (int)v;
    const char *d = lower(a, vals[COL_DANGER]);
    if (d[0] == '\0' || strcmp(d, "no") == 0 || strcmp(d, "0") == 0 ||
        strcmp(d, "false") == 0) {
        in->is_danger = 0;
    } else if (strcmp(d, "yes") == 0 || strcmp(d, "1") == 0 ||
               strcmp(d, "true") == 0) {
        in->is_danger = 1;
    } else {
        report_error(st, line, "danger", "must be yes or no");
    }
    if (parse_codes(a, vals[COL_ISSUES], contact_issues, &in->issues) !=
        SR_OK) {
        report_error(st, line, "issues", "not one of the allowed values");
        in->issues = 0;
    }
    uint32_t consent = 0;
    if (parse_codes(a, vals[COL_CONSENT], contact_import_consent_codes,
                    &consent) != SR_OK) {
        report_error(st, line, "consent", "must be ngo, police or research");
        consent = 0;
    }
    in->consent = (int)consent;
    if (in->received_at == 0) {
        in->received_at = 946684800; /* placeholder: already reported */
    }
    /* then every error validation finds, one field at a time */
    struct contact_input probe = *in;
    for (int k = 0; k < COL__COUNT + 2; k++) {
        struct sr_err e = { 0 };
        if (contact_validate(&probe, &e) == SR_OK) {
            break;
        }
        const char *msg = sr_err_msg(&e);
        size_t n = strcspn(msg, ":");
        int c = col_of_field(msg, n);
        const char *rest = msg[n] == ':' ? msg + n + 1 : msg;
        while (*rest == ' ') {
            rest++;
        }
        report_error(st, line, c >= 0 ? columns[c].name : "", rest);
        sr_err_release(&e);
        if (c < 0) {
            break;
        }
        neutralise(&probe, c);
        if (c == COL_CALLER_COUNTRY) {
            probe.caller_province = NULL;
        } else if (c == COL_PROBLEM_COUNTRY) {
            probe.problem_province = NULL;
        }
    }
    return (int)(st->rep->n_errors - before);
}

/* The import key of the row: blind index over the organisation and the
 * row's canonical cells. */
static int
import_key(struct state *st, const char *vals[COL__COUNT],
           unsigned char out[32])
{
    crypto_generichash_state h;
    unsigned char digest[32];
    char hex[65], org[32];
    snprintf(org, sizeof org, "%lld", (long long)st->who->org_id);
    int bad = crypto_generichash_init(&h, NULL, 0, sizeof digest);
    bad |=
        crypto_generichash_update(&h, (const unsigned char *)org, strlen(org));
    for (int c = 0; c < COL__COUNT; c++) {
        unsigned char sep = 0x1f;
        bad |= crypto_generichash_update(&h, &sep, 1);
        bad |= crypto_generichash_update(&h, (const unsigned char *)vals[c],
                                         strlen(vals[c]));
    }
    bad |= crypto_generichash_final(&h, digest, sizeof digest);
    if (bad != 0) {
        return sr_err_set(st->err, SR_ECRYPTO, "import: cannot hash a row");
    }
    vault_hex(digest, sizeof digest, hex);
    return vault_blind_index(st->v, "import", hex, 64, out, st->err);
}

static void *
writer_main(void *arg)
{
    struct writer *w = arg;
    w->rc = contact_bulk_write(w->bulk, w->who, &w->bb, &w->n_created, &w->err);
    return NULL;
}

/* Wait for the writing thread, if any, count what it wrote and free its
 * batch and slot. Its error (if any) goes to st->err. */
static int
writer_join(struct state *st)
{
    struct writer *w = &st->writer;
    if (!w->is_running) {
        return SR_OK;
    }
    if (pthread_join(w->thread, NULL) != 0) {
        SR_BUG("cannot join the import's writing thread");
    }
    w->is_running = 0;
    int rc = w->rc;
    if (rc == SR_OK) {
        st->rep->n_created += (int64_t)w->n_created;
        st->rep->n_dup += (int64_t)(w->bb.n - w->n_created);
    } else {
        sr_err_set(st->err, w->err.code, "%s", sr_err_msg(&w->err));
    }
    sr_err_release(&w->err);
    contact_bulk_batch_release(&w->bb);
    arena_release(&st->slot[w->slot].arena);
    arena_init(&st->slot[w->slot].arena);
    return rc;
}

/* Bulk load: prepare the current batch here, then, once the batch before
 * it is written, hand it to the writing thread and read on into the
 * other slot. */
static int
flush_bulk(struct state *st)
{
    struct slot *b = &st->slot[st->cur];
    struct contact_bulk_batch bb;
    int rc = contact_bulk_prepare(st->bulk, st->v, b->items, st->n_batch, &bb,
                                  st->err);
    int rc_before = writer_join(st);
    if (rc == SR_OK) {
        rc = rc_before;
    }
    if (rc != SR_OK) {
        contact_bulk_batch_release(&bb);
        return rc;
    }
    struct writer *w = &st->writer;
    w->bulk = st->bulk;
    w->who = st->who;
    w->bb = bb;
    w->slot = st->cur;
    w->n_created = 0;
    w->rc = SR_OK;
    if (pthread_create(&w->thread, NULL, writer_main, w) == 0) {
        w->is_running = 1;
        st->cur ^= 1;
        return SR_OK;
    }
    /* no thread: write it here */
    writer_main(w);
    w->is_running = 0;
    rc = w->rc;
    if (rc == SR_OK) {
        st->rep->n_created += (int64_t)w->n_created;
        st->rep->n_dup += (int64_t)(bb.n - w->n_created);
    } else {
        sr_err_set(st->err, w->err.code, "%s", sr_err_msg(&w->err));
    }
    sr_err_release(&w->err);
    contact_bulk_batch_release(&w->bb);
    arena_release(&b->arena);
    arena_init(&b->arena);
    return rc;
}

static int
flush_batch(struct state *st)
{
    if (st->n_batch == 0 || st->rc != SR_OK) {
        return st->rc;
    }
    int rc;
    if (st->bulk != NULL) {
        rc = flush_bulk(st);
    } else {
        struct slot *b = &st->slot[st->cur];
        size_t created = 0;
        rc = contact_create_batch(st->db, st->v, st->who, b->items, st->n_batch,
                                  &created, st->err);
        if (rc == SR_OK) {
            st->rep->n_created += (int64_t)created;
            st->rep->n_dup += (int64_t)(st->n_batch - created);
        }
        arena_release(&b->arena);
        arena_init(&b->arena);
    }
    st->n_batch = 0;
    st->rc = rc;
    return rc;
}

static void
data_row(struct state *st)
{
    struct arena tmp;
    int is_writing = (st->pass & 2) != 0;
    struct slot *b = &st->slot[st->cur];
    struct arena *a = is_writing ? &b->arena : &tmp;
    if (!is_writing) {
        arena_init(&tmp);
    }
    const char *vals[COL__COUNT];
    struct contact_input in;
    sr_buf_reset(&st->reasons);
    st->rep->n_rows++;
    if (st->rep->n_rows > IMPORT_MAX_ROWS) {
        st->rc = sr_err_set(st->err, SR_ETOOBIG, "import: more than %d rows",
                            IMPORT_MAX_ROWS);
    } else if (read_row(st, a, &in, vals) > 0) {
        st->rep->n_invalid++;
        if (is_writing && st->o->is_skip_invalid && st->sink &&
            st->sink->on_reject) {
            const char *cells[IMPORT_MAX_COLUMNS];
            for (size_t i = 0; i < st->n_cells; i++) {
                cells[i] = cell(st, i);
            }
            st->sink->on_reject(st->line, cells, st->n_cells, st->reasons.data,
                                st->sink->ctx);
        }
    } else if (is_writing &&
               (st->rep->n_invalid == 0 || st->o->is_skip_invalid)) {
        /* (a bulk load checking as it writes stops writing at the first
         * invalid row, goes on checking, and is rolled back) */
        size_t i = st->n_batch++;
        b->inputs[i] = in;
        /* the strings live in the slot's arena until the batch is
         * written */
        b->items[i].in = &b->inputs[i];
        b->items[i].import_key = b->keys[i];
        if (import_key(st, vals, b->keys[i]) != SR_OK) {
            st->rc = SR_ECRYPTO;
        } else if (st->n_batch == st->cap_batch) {
            flush_batch(st);
        }
    }
    if (!is_writing) {
        arena_release(&tmp);
    }
}

static void
on_record(int c, void *ctx)
{
    struct state *st = ctx;
    (void)c;
    st->n_records++;
    if (st->rc == SR_OK) {
        if (st->n_records == 1) {
            st->n_header = st->n_cells;
            if (st->is_too_wide) {
                report_error(st, 1, "", "more than 64 columns");
                st->is_header_bad = 1;
            }
            for (size_t i = 0; i < st->n_cells; i++) {
                const char *s = cell(st, i);
                if (i == 0 && strncmp(s, "\xEF\xBB\xBF", 3) == 0) {
                    s += 3; /* a byte-order mark */
                }
                st->header[i] = sr_xstrdup(s);
            }
            if ((st->pass & 2) && st->sink && st->sink->on_header) {
                st->sink->on_header((const char *const *)st->header,
                                    st->n_header, st->sink->ctx);
            }
        } else if (!st->is_mapped) {
            int is_tags = is_tag_row(st);
            st->rep->has_hxl = is_tags;
            map_columns(st, is_tags);
            if (!is_tags && !st->is_header_bad) {
                data_row(st);
            }
        } else if (!st->is_header_bad) {
            data_row(st);
        }
    }
    st->line += 1 + st->n_breaks;
    st->n_breaks = 0;
    st->n_cells = 0;
    st->is_too_wide = st->is_cell_too_big = 0;
    sr_buf_reset(&st->cells);
}

static void
state_release(struct state *st)
{
    for (size_t i = 0; i < st->n_header; i++) {
        free(st->header[i]);
        st->header[i] = NULL;
    }
    st->n_header = 0;
    sr_buf_release(&st->cells);
    sr_buf_release(&st->reasons);
    for (int k = 0; k < 2; k++) {
        struct slot *b = &st->slot[k];
        arena_release(&b->arena);
        free(b->inputs);
        free(b->items);
        free(b->keys);
        b->inputs = NULL;
        b->items = NULL;
        b->keys = NULL;
    }
}

/* One pass over f. */
static int
run_pass(struct state *st, FILE *f)
{
    struct csv_parser p;
    char chunk[65536];
    int64_t total = 0;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        return sr_err_set(st->err, SR_ENOMEM, "import: no memory");
    }
    st->line = 1;
    st->n_records = 0;
    st->is_mapped = 0;
    st->is_header_bad = 0;
    size_t n;
    while (st->rc == SR_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        total += (int64_t)n;
        if (st->file_hash != NULL &&
            crypto_generichash_update(st->file_hash,
                                      (const unsigned char *)chunk, n) != 0) {
            st->rc =
                sr_err_set(st->err, SR_ECRYPTO, "import: cannot hash the file");
            break;
        }
        if (total > IMPORT_MAX_BYTES) {
            st->rc = sr_err_set(st->err, SR_ETOOBIG,
                                "import: file larger than 2 GiB");
            break;
        }
        if (csv_parse(&p, chunk, n, on_field, on_record, st) != n) {
            st->rc = sr_err_set(
                st->err, SR_EINVAL, "import: line %lld: malformed CSV (%s)",
                (long long)st->line, csv_strerror(csv_error(&p)));
        }
    }
    if (st->rc == SR_OK && ferror(f)) {
        st->rc = sr_err_set(st->err, SR_EIO, "import: cannot read the file");
    }
    if (st->rc == SR_OK && csv_fini(&p, on_field, on_record, st) != 0) {
        st->rc = sr_err_set(st->err, SR_EINVAL,
                            "import: line %lld: malformed CSV (%s)",
                            (long long)st->line, csv_strerror(csv_error(&p)));
    }
    csv_free(&p);
    if (st->rc == SR_OK && st->n_records == 0) {
        st->rc = sr_err_set(st->err, SR_EINVAL, "import: the file is empty");
    }
    if (st->rc == SR_OK && !st->is_mapped && st->n_records == 1) {
        st->n_cells = 0;
        map_columns(st, 0); /* a header alone: check it anyway */
    }
    return st->rc;
}

static void
state_init(struct state *st, const struct import_opts *o,
           const struct import_sink *sink, struct import_report *rep,
           struct sr_err *err)
{
    memset(st, 0, sizeof *st);
    sr_buf_init(&st->cells, (size_t)IMPORT_MAX_COLUMNS * (IMPORT_MAX_CELL + 1));
    sr_buf_init(&st->reasons, 65536);
    arena_init(&st->slot[0].arena);
    arena_init(&st->slot[1].arena);
    st->o = o;
    st->sink = sink;
    st->rep = rep;
    st->err = err;
    memset(rep, 0, sizeof *rep);
}

static int
finish_check(struct state *st)
{
    if (st->rc != SR_OK) {
        return st->rc;
    }
    if (st->is_header_bad) {
        return sr_err_set(st->err, SR_EINVAL,
                          "import: the header is wrong; nothing imported");
    }
    return SR_OK;
}

int
contact_import_check(FILE *f, const struct import_opts *o,
                     const struct import_sink *sink, struct import_report *rep,
                     struct sr_err *err)
{
    assert(f != NULL && o != NULL && rep != NULL);
    struct state st;
    state_init(&st, o, sink, rep, err);
    st.pass = 1;
    run_pass(&st, f);
    int rc = finish_check(&st);
    state_release(&st);
    return rc;
}

/* Write the file in one pass that also checks it, as one bulk load:
 * rolled back unless every row is valid (or --skip-invalid). */
static int
import_bulk(struct state *st, FILE *f, struct sr_err *err)
{
    struct contact_bulk bulk;
    crypto_generichash_state file_hash;
    int rc = contact_bulk_begin(st->db, &bulk, err);
    if (rc != SR_OK) {
        return rc;
    }
    st->bulk = &bulk;
    if (crypto_generichash_init(&file_hash, NULL, 0, 32) != 0) {
        contact_bulk_abort(&bulk);
        st->bulk = NULL;
        return sr_err_set(err, SR_ECRYPTO, "import: cannot hash the file");
    }
    st->file_hash = &file_hash;
    run_pass(st, f);
    if (st->rep->n_invalid == 0 || st->o->is_skip_invalid) {
        flush_batch(st);
    }
    /* the last batch's write, before the connection is used again */
    int rc_write = writer_join(st);
    if (rc_write != SR_OK && st->rc == SR_OK) {
        st->rc = rc_write;
    }
    rc = finish_check(st);
    if (rc == SR_OK && st->rep->n_invalid > 0 && !st->o->is_skip_invalid) {
        rc = sr_err_set(err, SR_EINVAL,
                        "import: %lld of %lld rows are invalid; nothing "
                        "imported",
                        (long long)st->rep->n_invalid,
                        (long long)st->rep->n_rows);
    }
    /* the audit row names the file by a keyed fingerprint (the blind
     * index of its BLAKE2b-256): the same file gives the same value, but
     * without the key it cannot be confirmed by guessing the file's
     * contents (its phone numbers) */
    unsigned char digest[32], print[32];
    char hex[65];
    if (rc == SR_OK &&
        crypto_generichash_final(&file_hash, digest, sizeof digest) != 0) {
        rc = sr_err_set(err, SR_ECRYPTO, "import: cannot hash the file");
    }
    if (rc == SR_OK) {
        vault_hex(digest, sizeof digest, hex);
        rc = vault_blind_index(st->v, "impfile", hex, 64, print, err);
    }
    if (rc == SR_OK) {
        vault_hex(print, sizeof print, hex);
        rc = contact_bulk_commit(&bulk, st->v, st->who, hex, err);
    } else {
        contact_bulk_abort(&bulk);
    }
    st->bulk = NULL;
    st->file_hash = NULL;
    if (rc != SR_OK) {
        /* rolled back: nothing of this import is stored */
        st->rep->n_created = 0;
        st->rep->n_dup = 0;
    }
    return rc;
}

int
contact_import(struct db *db, const struct vault *v,
               const struct principal *who, FILE *f,
               const struct import_opts *o, const struct import_sink *sink,
               struct import_report *rep, struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL && f != NULL);
    struct scope_filter sf;
    if (principal_scope(who, ACT_CONTACT_IMPORT, &sf) != SR_OK ||
        who->org_id <= 0) {
        memset(rep, 0, sizeof *rep);
        return sr_err_set(err, SR_EPERM, "import: not allowed");
    }
    /* into a workspace without contacts (a first import of earlier
     * records): one bulk load that checks as it writes and sorts the
     * indexes once at the end. It holds the write lock until it commits,
     * so it is kept to that case: into a workspace in use, the batched
     * way commits every batch_rows rows. */
    int64_t n_stored = 0;
    int rc = contact_count_hint(db, &n_stored, err);
    if (rc != SR_OK) {
        memset(rep, 0, sizeof *rep);
        return rc;
    }
    struct state st;
    size_t cap = o->batch_rows > 0 ? (size_t)o->batch_rows : 100000;
    int is_bulk = n_stored == 0;
    if (!is_bulk) {
        /* the batched way: check every row first, then write */
        rc = contact_import_check(f, o, sink, rep, err);
        if (rc != SR_OK) {
            return rc;
        }
        if (rep->n_invalid > 0 && !o->is_skip_invalid) {
            return sr_err_set(err, SR_EINVAL,
                              "import: %lld of %lld rows are invalid; nothing "
                              "imported",
                              (long long)rep->n_invalid,
                              (long long)rep->n_rows);
        }
        if (fseek(f, 0, SEEK_SET) != 0) {
            return sr_err_set(err, SR_EIO,
                              "import: cannot read the file again");
        }
    }
    struct import_report rep2;
    state_init(&st, o, sink, is_bulk ? rep : &rep2, err);
    st.pass = is_bulk ? 3 : 2;
    st.db = db;
    st.v = v;
    st.who = who;
    /* a bulk load writes in one transaction whatever the batch: smaller
     * batches keep the two threads busy sooner and hold less memory */
    st.cap_batch = is_bulk && o->batch_rows <= 0 ? BULK_BATCH_ROWS : cap;
    for (int k = 0; k < (is_bulk ? 2 : 1); k++) {
        struct slot *b = &st.slot[k];
        b->inputs = sr_xcalloc(st.cap_batch, sizeof b->inputs[0]);
        b->items = sr_xcalloc(st.cap_batch, sizeof b->items[0]);
        b->keys = sr_xcalloc(st.cap_batch, sizeof b->keys[0]);
    }
    vault_pin(v);
    if (is_bulk) {
        rc = import_bulk(&st, f, err);
    } else {
        run_pass(&st, f);
        flush_batch(&st);
        rc = finish_check(&st);
        rep->n_created = rep2.n_created;
        rep->n_dup = rep2.n_dup;
    }
    vault_unpin(v);
    state_release(&st);
    return rc;
}
