/*
 * survey_store.h - survey data sets kept in the workspace (canonical CSV,
 * encrypted, with its SHA-256), their data dictionary, and the recorded
 * analyses run on them. All of their SQL lives in survey_store.c.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_SURVEY_STORE_H
#define SR_SURVEY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "base/policy.h"
#include "base/store.h"

struct vault;
struct frame;

#define SURVEY_NAME_MAX     100                        /* bytes of a name */
#define SURVEY_MAX_BYTES    ((size_t)32 * 1024 * 1024) /* CSV bytes */
#define SURVEY_MAX_ROWS     1000000                    /* data rows */
#define SURVEY_MAX_COLS     1000                       /* columns */
#define SURVEY_MAX_CELL     4096                       /* bytes of a cell */
#define SURVEY_REASON_MAX   500                        /* bytes of a reason */
#define SURVEY_MAX_DISTINCT 1000 /* distinct values counted per column */

enum survey_type {
    SURVEY_NUMERIC = 0, /* every non-missing cell a finite number */
    SURVEY_CATEGORICAL, /* a few distinct values */
    SURVEY_TEXT,        /* many distinct values: free text, ids */
    SURVEY_DATE,        /* every non-missing cell YYYY-MM-DD[...] */
    SURVEY_TYPE__COUNT
};

/* "numeric", "categorical", "text", "date"; NULL when out of range. */
const char *survey_type_name(enum survey_type t);
/* Parse a type name; -1 when unknown. */
int survey_type_parse(const char *name);

/* One column of a data dictionary. */
struct survey_column {
    size_t position;       /* 0-based column in the stored CSV */
    const char *name;      /* header text; borrowed */
    const char *tag;       /* HXL hashtag or ""; borrowed */
    enum survey_type type; /* inferred, or from the dictionary */
    const char *label;     /* description or ""; borrowed */
    bool is_identifying;   /* names, phones, ID numbers, free text */
    size_t n_missing;      /* missing cells (frame_is_missing) */
    size_t n_distinct;     /* distinct values, capped at SURVEY_MAX_DISTINCT */
};

/*
 * Whether a column identifies people: an HXL tag with the +name or +phone
 * attribute or base #contact, or a name whose last '/'-segment contains
 * (ignoring case) one of name, phone, mobile, telephone, email, address,
 * passport, national_id, id_number, idcard, id_card, nid, gps,
 * geolocation, narrative, comment, remark, note; or free text (type
 * SURVEY_TEXT). Thread-safe.
 */
bool survey_is_identifying(const char *name, const char *tag,
                           enum survey_type type);

/*
 * Infer column col's type and counts from f into *out (name and tag point
 * into f): numeric, else date, else text when it has more than 50
 * distinct values, more than half its non-missing cells are distinct and
 * under 90% of them are numbers (a recruiter id column with "seed" among
 * numbers stays categorical), else categorical. A column with no value is categorical. is_identifying
 * from survey_is_identifying(). Thread-safe.
 */
void survey_infer_column(const struct frame *f, size_t col,
                         struct survey_column *out);

/* What to import. */
struct survey_import {
    const char *name; /* 1..SURVEY_NAME_MAX bytes of UTF-8, no
                               control characters; unique among live sets */
    const char *csv;  /* the CSV bytes (frame.c's formats) */
    size_t csv_len;
    const char *dictionary; /* optional dictionary CSV (docs/analysis.md):
                               column,type,identifying,label,values */
    size_t dictionary_len;
    bool keep_identifying; /* keep identifying columns (needs a role
                              that may hold identities) */
    bool drop_identifying; /* drop identifying columns instead */
};

/* What an import did. */
struct survey_imported {
    int64_t id;       /* the new data set's id */
    char code[32];    /* its code, "D-XXXX-XXXX" */
    char sha256[65];  /* hex SHA-256 of the stored canonical CSV */
    size_t n_rows;    /* data rows */
    size_t n_cols;    /* columns kept */
    size_t n_dropped; /* identifying columns dropped */
};

/*
 * Import in: parse the CSV with frame_parse() (header, optional HXL row,
 * Kobo/ODK group paths), infer the dictionary, apply the dictionary file,
 * then refuse identifying columns unless drop_identifying (they are
 * removed) or keep_identifying by a principal that may see identities
 * (kept). who needs survey.manage (SR_EPERM); the data set belongs to
 * who's organisation (the command line's: workspace-wide). The kept
 * columns are written back as canonical CSV (header, HXL row when any
 * tag, LF line ends, RFC 4180 quoting only where needed), hashed with
 * SHA-256 and stored vault-encrypted; dictionary rows are stored beside
 * it. One transaction with its audit row (survey.import). Errors change
 * nothing: SR_EINVAL (bad name, malformed CSV or dictionary - the message
 * names the line, column or field, never a cell - or identifying columns
 * refused: the message names them), SR_ECONFLICT (name taken),
 * SR_ETOOBIG (over SURVEY_MAX_*), SR_EDB, SR_ECRYPTO.
 */
int survey_dataset_import(struct db *db, const struct vault *v,
                          const struct principal *who,
                          const struct survey_import *in,
                          struct survey_imported *out, struct sr_err *err);

/* A listed data set; strings borrowed until the callback returns. */
struct survey_dataset_row {
    int64_t id;
    const char *code, *name, *sha256;
    int64_t n_rows, n_cols, n_dropped, n_bytes;
    bool has_identity;
    int64_t created_at; /* unix seconds */
    int64_t n_analyses; /* analyses recorded on it */
};

/*
 * Scope: every read below takes who (never NULL) and reaches the data
 * sets and analyses of its survey.manage or stats.run scope
 * (principal_scope()): those of its organisation and the workspace-wide
 * ones, or all; one outside is SR_ENOTFOUND, as if it did not exist.
 */

/* Call fn for each live data set in who's scope, newest first; fn returns
 * non-zero to stop. SR_OK or SR_EDB. */
int survey_dataset_list(struct db *db, const struct principal *who,
                        int (*fn)(const struct survey_dataset_row *r,
                                  void *ctx),
                        void *ctx, struct sr_err *err);

/* Call fn once with the live data set id. SR_ENOTFOUND (also when
 * deleted), SR_EDB. */
int survey_dataset_get(struct db *db, const struct principal *who, int64_t id,
                       int (*fn)(const struct survey_dataset_row *r, void *ctx),
                       void *ctx, struct sr_err *err);

/* The id of the live data set named name, or with code name.
 * SR_ENOTFOUND (message names neither, the name may be hostile). */
int survey_dataset_find(struct db *db, const struct principal *who,
                        const char *name, int64_t *out_id, struct sr_err *err);

/* Call fn for each column of data set id in position order. */
int survey_dataset_columns(struct db *db, const struct principal *who,
                           int64_t id,
                           int (*fn)(const struct survey_column *c, void *ctx),
                           void *ctx, struct sr_err *err);

/* Call fn for each value label of data set id (by position, value). */
int survey_value_labels(struct db *db, const struct principal *who, int64_t id,
                        int (*fn)(size_t position, const char *value,
                                  const char *label, void *ctx),
                        void *ctx, struct sr_err *err);

/*
 * Decrypt live data set id's canonical CSV into out (emptied first; wipe
 * with vault_buf_wipe()) and its stored hash into sha256. The SHA-256 of
 * the plaintext is checked against the stored one: SR_ECONFLICT when they
 * differ. For a principal without identity permission the columns
 * marked identifying are left out of out. SR_ENOTFOUND, SR_ECRYPTO,
 * SR_EDB. Not audited by itself: the caller records why it read (an
 * analysis).
 */
int survey_dataset_load(struct db *db, const struct vault *v,
                        const struct principal *who, int64_t id,
                        struct sr_buf *out, char sha256[65],
                        struct sr_err *err);

/*
 * Edit one dictionary entry of data set id: type (NULL keeps), label
 * (NULL keeps; at most 500 bytes) and identifying flag (-1 keeps, 0, 1).
 * A column may be marked identifying only; clearing the flag on a kept
 * identifying column needs a principal that may see identities. Needs
 * survey.manage over the data set. Audited (survey.dictionary).
 * SR_EINVAL (naming the field), SR_ENOTFOUND, SR_EPERM, SR_EDB.
 */
int survey_column_update(struct db *db, const struct vault *v,
                         const struct principal *who, int64_t id,
                         size_t position, const char *type, const char *label,
                         int is_identifying, struct sr_err *err);

/* Soft-delete live data set id with reason (1..SURVEY_REASON_MAX bytes);
 * its ciphertext is replaced by an empty blob, its analyses kept.
 * Needs survey.manage over the data set. Audited (survey.delete).
 * SR_EINVAL, SR_ENOTFOUND, SR_EDB. */
int survey_dataset_delete(struct db *db, const struct vault *v,
                          const struct principal *who, int64_t id,
                          const char *reason, struct sr_err *err);

/* A recorded analysis; strings borrowed. */
struct survey_analysis_row {
    int64_t id;
    int64_t dataset_id;
    const char *dataset_code; /* "" if the data set row is gone */
    const char *dataset_name;
    bool is_dataset_live;
    const char *dataset_sha256; /* the hash when it was run */
    const char *method;         /* prevalence, risk, mse, rds */
    const char *options;        /* JSON object */
    int64_t seed;
    const char *version;
    const char *result; /* JSON */
    int64_t created_by; /* 0: command line */
    int64_t created_at; /* unix seconds */
};

/*
 * Record an analysis (r->id and r->created_at ignored; set here) with its
 * audit row (analysis.run) in one transaction; *out_id gets its id.
 * who needs stats.run over the data set (SR_EPERM, SR_ENOTFOUND); the
 * analysis belongs to who's organisation. SR_EINVAL (unknown method),
 * SR_EDB.
 */
int survey_analysis_insert(struct db *db, const struct vault *v,
                           const struct principal *who,
                           const struct survey_analysis_row *r, int64_t *out_id,
                           struct sr_err *err);

/* Call fn with analysis id. SR_ENOTFOUND, SR_EDB. */
int survey_analysis_get(struct db *db, const struct principal *who, int64_t id,
                        int (*fn)(const struct survey_analysis_row *r,
                                  void *ctx),
                        void *ctx, struct sr_err *err);

/* Call fn for analyses newest first: of data set dataset_id (0 = all),
 * at most limit (1..1000). fn returns non-zero to stop. */
int survey_analysis_list(struct db *db, const struct principal *who,
                         int64_t dataset_id, int limit,
                         int (*fn)(const struct survey_analysis_row *r,
                                   void *ctx),
                         void *ctx, struct sr_err *err);

#endif
