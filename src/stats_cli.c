/*
 * stats_cli.c - `siren stats prevalence|risk|rds`: option parsing, CSV
 * columns to arrays, calls into src/stats, and text/CSV/JSON output.
 *
 * Owns: the stats subcommands' interface (usage text, exit codes 0 ok,
 * 1 data error, 2 usage error). Thin like the
 * other front doors: numerics live in src/stats, CSV reading in frame.c.
 * Must not: print cell contents in errors (they may identify people), or
 * write anything but results to stdout.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "stats_cli.h"

#include <assert.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <jansson.h>

#include "buf.h"
#include "frame.h"
#include "stats_common.h"
#include "stats/binom.h"
#include "stats/logit.h"
#include "stats/rds.h"
#include "stats/survey.h"

#include "banned.h"

#define EXIT_DATA      1
#define EXIT_USAGE     2
#define MAX_PREDICTORS 200

static const char usage_text[] =
    "usage: siren stats <command> [options]\n"
    "\n"
    "commands:\n"
    "  prevalence --x X --n N [--level L]\n"
    "      binomial intervals for X of N: Wilson, Wilson with continuity\n"
    "      correction, Clopper-Pearson, Agresti-Coull, Wald\n"
    "  prevalence FILE.csv --outcome COL [--weight COL] [--strata COL]\n"
    "             [--cluster COL] [--fpc COL] [--by COL]\n"
    "             [--lonely adjust|certainty|fail] [--level L]\n"
    "      design-based proportion of COL (0/1; empty or NA = missing):\n"
    "      estimate, linearised SE, design effect, logit and Korn-Graubard\n"
    "      intervals; --by adds one row per subgroup (domain estimation)\n"
    "  risk FILE.csv --outcome COL --predictors A,B,... [--ref COL=LEVEL,...]\n"
    "       [--categorical A,...] [--weight COL] [--strata COL]\n"
    "       [--cluster COL] [--fpc COL] [--profile] [--level L]\n"
    "      logistic regression: odds ratios with Wald (and, with --profile,\n"
    "      profile-likelihood) intervals, a test per predictor (likelihood\n"
    "      ratio; Wald with the design-based covariance when a design is\n"
    "      given), deviance, AIC. Predictors whose cells are all numbers\n"
    "      are numeric unless named in --categorical or --ref\n"
    "  rds FILE.csv --trait COL [--value V] [--id COL] [--recruiter COL]\n"
    "      [--degree COL] [--boot N] [--seed S]\n"
    "      [--missing-degree drop|median|mean] [--level L]\n"
    "      respondent-driven sampling: RDS-I and RDS-II estimates with\n"
    "      tree-bootstrap SEs; columns default to id, recruiter.id,\n"
    "      network.size; the trait is 0/1, or 1 where it equals --value.\n"
    "      Recruiters not among the ids are seeds if 'seed', -1, 0 or\n"
    "      empty. Network size 0 counts as 1; missing is dropped by\n"
    "      default (as RDS 0.9-10's Volz-Heckathorn weights)\n"
    "\n"
    "common options:\n"
    "  --format text|csv|json   output format (default text)\n"
    "  --level L                interval level, 0 < L < 1 (default 0.95)\n"
    "  --help                   this text\n"
    "\n"
    "Columns may be named in full, by HXL hashtag (#tag), or by the last\n"
    "part of a KoboToolbox/ODK group path when that is unambiguous.\n"
    "exit status: 0 success, 1 data error, 2 usage error\n";

enum fmt { FMT_TEXT = 0, FMT_CSV, FMT_JSON };

/* ---- options ---- */

struct opts {
    const char *file;
    const char *x, *n, *level, *format;
    const char *outcome, *weight, *strata, *cluster, *fpc, *by, *lonely;
    const char *predictors, *ref, *categorical;
    const char *trait, *value, *id, *recruiter, *degree, *boot, *seed;
    const char *miss_deg;
    bool is_profile;
    bool is_help;
};

struct opt_def {
    const char *name;
    size_t off; /* offset of the const char * in struct opts */
};

#define OPT(name, field)                   \
    {                                      \
        name, offsetof(struct opts, field) \
    }
static const struct opt_def opt_defs[] = {
    OPT("x", x),
    OPT("n", n),
    OPT("level", level),
    OPT("format", format),
    OPT("outcome", outcome),
    OPT("weight", weight),
    OPT("strata", strata),
    OPT("cluster", cluster),
    OPT("fpc", fpc),
    OPT("by", by),
    OPT("lonely", lonely),
    OPT("predictors", predictors),
    OPT("ref", ref),
    OPT("categorical", categorical),
    OPT("trait", trait),
    OPT("value", value),
    OPT("id", id),
    OPT("recruiter", recruiter),
    OPT("degree", degree),
    OPT("boot", boot),
    OPT("seed", seed),
    OPT("missing-degree", miss_deg),
};

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("siren stats: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n(see 'siren stats --help')\n", stderr);
    return EXIT_USAGE;
}

static int
data_error(const struct sr_err *err)
{
    fprintf(stderr, "siren stats: %s\n", sr_err_msg(err));
    return EXIT_DATA;
}

/* argv[0] is the subcommand; returns 0 or EXIT_USAGE */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
    int i;

    memset(o, 0, sizeof(*o));
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL, *eq;
        size_t k, name_len;
        bool is_found = false;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->is_help = true;
            continue;
        }
        if (strcmp(a, "--profile") == 0) {
            o->is_profile = true;
            continue;
        }
        if (strncmp(a, "--", 2) != 0) {
            if (o->file != NULL) {
                return usage_error("unexpected argument '%s'", a);
            }
            o->file = a;
            continue;
        }
        a += 2;
        eq = strchr(a, '=');
        name_len = eq != NULL ? (size_t)(eq - a) : strlen(a);
        for (k = 0; k < sizeof(opt_defs) / sizeof(opt_defs[0]); k++) {
            const struct opt_def *d = &opt_defs[k];
            if (strlen(d->name) == name_len &&
                memcmp(d->name, a, name_len) == 0) {
                if (eq != NULL) {
                    val = eq + 1;
                } else if (i + 1 < argc) {
                    val = argv[++i];
                } else {
                    return usage_error("option '--%s' needs a value", d->name);
                }
                memcpy((char *)o + d->off, &val, sizeof(val));
                is_found = true;
                break;
            }
        }
        if (!is_found) {
            return usage_error("unknown option '%s'", argv[i]);
        }
    }
    return 0;
}

static int
parse_double_arg(const char *name, const char *s, double lo, double hi,
                 double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || !(v > lo && v < hi)) {
        return usage_error("invalid --%s: need a number in (%g, %g)", name, lo,
                           hi);
    }
    *out = v;
    return 0;
}

static int
common_opts(const struct opts *o, double *level, enum fmt *fmt)
{
    *level = 0.95;
    *fmt = FMT_TEXT;
    if (o->level != NULL &&
        parse_double_arg("level", o->level, 0, 1, level) != 0) {
        return EXIT_USAGE;
    }
    if (o->format != NULL) {
        if (strcmp(o->format, "text") == 0) {
            *fmt = FMT_TEXT;
        } else if (strcmp(o->format, "csv") == 0) {
            *fmt = FMT_CSV;
        } else if (strcmp(o->format, "json") == 0) {
            *fmt = FMT_JSON;
        } else {
            return usage_error("invalid --format '%s': text, csv or json",
                               o->format);
        }
    }
    return 0;
}

/* ---- output: one JSON model, rendered as text, CSV or JSON ---- */

/*
 * A report is {"command": s, "info": {k: v}, "tables": {name: [row]}},
 * each row an object with the same keys in the same order.
 */
static json_t *
num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static void
set_num(json_t *o, const char *k, double v)
{
    json_object_set_new(o, k, num(v));
}

static void
set_int(json_t *o, const char *k, size_t v)
{
    json_object_set_new(o, k, json_integer((json_int_t)v));
}

static void
set_str(json_t *o, const char *k, const char *v)
{
    /* strings from the data were checked as UTF-8 by frame.c */
    json_object_set_new(o, k, v != NULL ? json_string(v) : json_null());
}

static json_t *
report_new(const char *command, json_t **info, json_t **tables)
{
    json_t *r = json_object();

    set_str(r, "command", command);
    *info = json_object();
    *tables = json_object();
    json_object_set_new(r, "info", *info);
    json_object_set_new(r, "tables", *tables);
    return r;
}

static void
value_text(struct sr_buf *b, const json_t *v)
{
    if (json_is_string(v)) {
        (void)sr_buf_adds(b, json_string_value(v));
    } else if (json_is_integer(v)) {
        (void)sr_buf_printf(b, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        (void)sr_buf_printf(b, "%.7g", json_real_value(v));
    } else if (json_is_true(v)) {
        (void)sr_buf_adds(b, "true");
    } else if (json_is_false(v)) {
        (void)sr_buf_adds(b, "false");
    } else {
        (void)sr_buf_adds(b, "NA");
    }
}

static void
csv_field(FILE *fp, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s != '\0'; s++) {
        if (*s == '"') {
            fputc('"', fp);
        }
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static void
render_table(FILE *fp, const char *name, const json_t *rows, enum fmt fmt)
{
    size_t n_rows = json_array_size(rows), n_cols, r, c;
    const json_t *first = json_array_get(rows, 0);
    const char *key;
    const json_t *val;
    size_t *width;
    struct sr_buf b;

    if (first == NULL) {
        return;
    }
    n_cols = json_object_size(first);
    width = sr_xcalloc(n_cols + 1, sizeof(*width));
    sr_buf_init(&b, 0);
    /* column widths for text */
    c = 0;
    json_object_foreach((json_t *)first, key, val)
    {
        width[c++] = strlen(key);
    }
    for (r = 0; r < n_rows; r++) {
        c = 0;
        json_object_foreach(json_array_get(rows, r), key, val)
        {
            sr_buf_reset(&b);
            value_text(&b, val);
            if (c < n_cols && b.len > width[c]) {
                width[c] = b.len;
            }
            c++;
        }
    }
    if (fmt == FMT_TEXT) {
        fprintf(fp, "\n%s\n", name);
    } else {
        fprintf(fp, "\n# %s\n", name);
    }
    c = 0;
    json_object_foreach((json_t *)first, key, val)
    {
        if (fmt == FMT_TEXT) {
            fprintf(fp, "%s%-*s", c ? "  " : "",
                    c + 1 < n_cols ? (int)width[c] : 0, key);
        } else {
            fputs(c ? "," : "", fp);
            csv_field(fp, key);
        }
        c++;
    }
    fputc('\n', fp);
    for (r = 0; r < n_rows; r++) {
        c = 0;
        json_object_foreach(json_array_get(rows, r), key, val)
        {
            sr_buf_reset(&b);
            value_text(&b, val);
            if (fmt == FMT_TEXT) {
                fprintf(fp, "%s%-*s", c ? "  " : "",
                        c + 1 < n_cols ? (int)width[c] : 0, b.data);
            } else {
                fputs(c ? "," : "", fp);
                csv_field(fp, b.data);
            }
            c++;
        }
        fputc('\n', fp);
    }
    sr_buf_release(&b);
    free(width);
}

static int
report_print(json_t *r, enum fmt fmt)
{
    const char *key;
    json_t *val;
    struct sr_buf b;

    if (fmt == FMT_JSON) {
        char *s = json_dumps(r, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        if (s == NULL) {
            SR_BUG("json_dumps failed");
        }
        puts(s);
        free(s);
        json_decref(r);
        return 0;
    }
    sr_buf_init(&b, 0);
    if (fmt == FMT_CSV) {
        puts("key,value");
    }
    json_object_foreach(json_object_get(r, "info"), key, val)
    {
        sr_buf_reset(&b);
        value_text(&b, val);
        if (fmt == FMT_TEXT) {
            printf("%s: %s\n", key, b.data);
        } else {
            csv_field(stdout, key);
            putchar(',');
            csv_field(stdout, b.data);
            putchar('\n');
        }
    }
    json_object_foreach(json_object_get(r, "tables"), key, val)
    {
        render_table(stdout, key, val, fmt);
    }
    sr_buf_release(&b);
    json_decref(r);
    return 0;
}

/* ---- columns to arrays ---- */

static int
find_col(const struct frame *f, const char *name, size_t *col)
{
    struct sr_err err = { 0 };
    int rc = frame_col_find(f, name, col, &err);

    if (rc != SR_OK) {
        data_error(&err);
        sr_err_release(&err);
        return EXIT_DATA;
    }
    return 0;
}

/* numeric column; if is_required, a missing cell is an error */
static int
num_col(const struct frame *f, size_t col, bool is_required, double lo,
        double hi, double *out)
{
    struct sr_err err = { 0 };
    size_t r;

    if (frame_col_numeric(f, col, out, NULL, &err) != SR_OK) {
        data_error(&err);
        sr_err_release(&err);
        return EXIT_DATA;
    }
    for (r = 0; r < f->n_rows; r++) {
        if (isnan(out[r]) && is_required) {
            fprintf(stderr,
                    "siren stats: column '%s', line %zu: missing "
                    "value\n",
                    f->cols[col].name, f->row_line[r]);
            return EXIT_DATA;
        }
        if (!isnan(out[r]) && (out[r] < lo || out[r] > hi)) {
            fprintf(stderr,
                    "siren stats: column '%s', line %zu: value out "
                    "of range [%g, %g]\n",
                    f->cols[col].name, f->row_line[r], lo, hi);
            return EXIT_DATA;
        }
    }
    return 0;
}

/* outcome: 0/1 or missing */
static int
binary_col(const struct frame *f, size_t col, double *out)
{
    size_t r;
    int rc = num_col(f, col, false, 0, 1, out);

    for (r = 0; rc == 0 && r < f->n_rows; r++) {
        if (!isnan(out[r]) && out[r] != 0 && out[r] != 1) {
            fprintf(stderr,
                    "siren stats: column '%s', line %zu: must be 0 "
                    "or 1\n",
                    f->cols[col].name, f->row_line[r]);
            rc = EXIT_DATA;
        }
    }
    return rc;
}

struct str_ref {
    const char *s;
    size_t row;
};

static int
cmp_str_ref(const void *a, const void *b)
{
    return strcmp(((const struct str_ref *)a)->s,
                  ((const struct str_ref *)b)->s);
}

/*
 * Group ids for strata and clusters: the integer value when every cell is
 * an integer (so messages match the data), else the 1-based rank of the
 * cell's text. Missing cells are errors.
 */
static int
id_col(const struct frame *f, size_t col, long *out)
{
    size_t r, n = f->n_rows, rank = 0;
    bool is_int = true;
    struct str_ref *v;

    for (r = 0; r < n; r++) {
        const char *c = frame_cell(f, r, col);
        long long x;
        if (frame_is_missing(c)) {
            fprintf(stderr,
                    "siren stats: column '%s', line %zu: missing "
                    "value\n",
                    f->cols[col].name, f->row_line[r]);
            return EXIT_DATA;
        }
        if (is_int &&
            sr_parse_i64(c, -1000000000000LL, 1000000000000LL, &x) == SR_OK) {
            out[r] = (long)x;
        } else {
            is_int = false;
        }
    }
    if (is_int) {
        return 0;
    }
    v = sr_xcalloc(n ? n : 1, sizeof(*v));
    for (r = 0; r < n; r++) {
        v[r].s = frame_cell(f, r, col);
        v[r].row = r;
    }
    qsort(v, n, sizeof(*v), cmp_str_ref);
    for (r = 0; r < n; r++) {
        if (r == 0 || strcmp(v[r].s, v[r - 1].s) != 0) {
            rank++;
        }
        out[v[r].row] = (long)rank;
    }
    free(v);
    return 0;
}

/* the design from --weight/--strata/--cluster/--fpc; arrays owned by d */
struct cli_design {
    struct survey_design d;
    double *w, *fpc;
    long *s, *c;
};

static void
cli_design_release(struct cli_design *cd)
{
    free(cd->w);
    free(cd->fpc);
    free(cd->s);
    free(cd->c);
    memset(cd, 0, sizeof(*cd));
}

static int
cli_design_build(const struct frame *f, const struct opts *o,
                 struct cli_design *cd, bool *is_any)
{
    size_t n = f->n_rows, col;
    int rc = 0;

    memset(cd, 0, sizeof(*cd));
    cd->d.n = n;
    cd->d.lonely = SURVEY_LONELY_ADJUST;
    if (o->lonely != NULL) {
        if (strcmp(o->lonely, "adjust") == 0) {
            cd->d.lonely = SURVEY_LONELY_ADJUST;
        } else if (strcmp(o->lonely, "certainty") == 0) {
            cd->d.lonely = SURVEY_LONELY_CERTAINTY;
        } else if (strcmp(o->lonely, "fail") == 0) {
            cd->d.lonely = SURVEY_LONELY_FAIL;
        } else {
            return usage_error("invalid --lonely '%s': adjust, certainty "
                               "or fail",
                               o->lonely);
        }
    }
    *is_any = o->weight || o->strata || o->cluster || o->fpc;
    if (o->weight != NULL) {
        cd->w = sr_xcalloc(n + 1, sizeof(*cd->w));
        if ((rc = find_col(f, o->weight, &col)) != 0 ||
            (rc = num_col(f, col, true, 0, INFINITY, cd->w)) != 0) {
            return rc;
        }
        cd->d.weight = cd->w;
    }
    if (o->fpc != NULL) {
        cd->fpc = sr_xcalloc(n + 1, sizeof(*cd->fpc));
        if ((rc = find_col(f, o->fpc, &col)) != 0 ||
            (rc = num_col(f, col, true, 0, INFINITY, cd->fpc)) != 0) {
            return rc;
        }
        cd->d.fpc = cd->fpc;
    }
    if (o->strata != NULL) {
        cd->s = sr_xcalloc(n + 1, sizeof(*cd->s));
        if ((rc = find_col(f, o->strata, &col)) != 0 ||
            (rc = id_col(f, col, cd->s)) != 0) {
            return rc;
        }
        cd->d.stratum = cd->s;
    }
    if (o->cluster != NULL) {
        cd->c = sr_xcalloc(n + 1, sizeof(*cd->c));
        if ((rc = find_col(f, o->cluster, &col)) != 0 ||
            (rc = id_col(f, col, cd->c)) != 0) {
            return rc;
        }
        cd->d.cluster = cd->c;
    }
    return 0;
}

static int
load_frame(const struct opts *o, struct frame *f)
{
    struct sr_err err = { 0 };

    if (frame_load(f, o->file, NULL, &err) != SR_OK) {
        data_error(&err);
        sr_err_release(&err);
        return EXIT_DATA;
    }
    if (f->n_rows == 0) {
        fprintf(stderr, "siren stats: '%s' has no data rows\n", o->file);
        frame_release(f);
        return EXIT_DATA;
    }
    return 0;
}

/* ---- prevalence ---- */

static int
cmd_prevalence_xn(const struct opts *o, double level, enum fmt fmt)
{
    long long x, n;
    json_t *r, *info, *tables, *rows;
    int m;

    if (o->x == NULL || o->n == NULL) {
        return usage_error("prevalence needs --x and --n, or a FILE");
    }
    if (sr_parse_i64(o->n, 1, 1000000000000LL, &n) != SR_OK) {
        return usage_error("invalid --n '%s': need a whole number >= 1", o->n);
    }
    if (sr_parse_i64(o->x, 0, n, &x) != SR_OK) {
        return usage_error("invalid --x '%s': need a whole number from 0 "
                           "to n (%lld)",
                           o->x, n);
    }
    r = report_new("prevalence", &info, &tables);
    set_int(info, "x", (size_t)x);
    set_int(info, "n", (size_t)n);
    set_num(info, "estimate", (double)x / (double)n);
    set_num(info, "level", level);
    rows = json_array();
    for (m = 0; m < BINOM__COUNT; m++) {
        struct binom_ci ci;
        struct sr_err err = { 0 };
        json_t *row;
        if (binom_ci((long)x, (long)n, level, (enum binom_method)m, &ci,
                     &err) != SR_OK) {
            data_error(&err);
            sr_err_release(&err);
            json_decref(rows);
            json_decref(r);
            return EXIT_DATA;
        }
        row = json_object();
        set_str(row, "method", binom_method_name((enum binom_method)m));
        set_num(row, "estimate", ci.est);
        set_num(row, "lower", ci.lo);
        set_num(row, "upper", ci.hi);
        json_array_append_new(rows, row);
    }
    json_object_set_new(tables, "intervals", rows);
    return report_print(r, fmt);
}

static json_t *
est_row(const char *group, const char *lvl, const struct survey_est *e)
{
    json_t *row = json_object();

    set_str(row, "group", group);
    set_str(row, "level", lvl);
    set_int(row, "n", e->n);
    set_num(row, "sum_weights", e->sum_w);
    set_num(row, "estimate", e->est);
    set_num(row, "se", e->se);
    set_num(row, "deff", e->deff);
    set_num(row, "df", e->df);
    set_num(row, "logit_lower", e->logit_lo);
    set_num(row, "logit_upper", e->logit_hi);
    set_num(row, "kg_lower", e->kg_lo);
    set_num(row, "kg_upper", e->kg_hi);
    return row;
}

static int
cmd_prevalence_file(const struct opts *o, double level, enum fmt fmt)
{
    struct frame f = { 0 };
    struct cli_design cd = { 0 };
    struct survey_est e;
    struct sr_err err = { 0 };
    double *y = NULL;
    bool *dom = NULL, is_design;
    size_t col, r, n_missing = 0;
    json_t *rep = NULL, *info, *tables, *rows;
    int rc;

    if (o->outcome == NULL) {
        return usage_error("prevalence FILE needs --outcome COL");
    }
    if (o->x != NULL || o->n != NULL) {
        return usage_error("give either FILE or --x/--n, not both");
    }
    if ((rc = load_frame(o, &f)) != 0) {
        return rc;
    }
    y = sr_xcalloc(f.n_rows, sizeof(*y));
    if ((rc = find_col(&f, o->outcome, &col)) != 0 ||
        (rc = binary_col(&f, col, y)) != 0 ||
        (rc = cli_design_build(&f, o, &cd, &is_design)) != 0) {
        goto done;
    }
    for (r = 0; r < f.n_rows; r++) {
        n_missing += isnan(y[r]);
    }
    if (survey_mean(&cd.d, y, NULL, level, true, &e, &err) != SR_OK) {
        rc = data_error(&err);
        goto done;
    }
    rep = report_new("prevalence", &info, &tables);
    set_str(info, "outcome", f.cols[col].name);
    set_int(info, "rows", f.n_rows);
    set_int(info, "missing_outcome", n_missing);
    set_str(info, "design",
            is_design ? "weighted/stratified/clustered"
                      : "simple random sample");
    set_num(info, "level", level);
    rows = json_array();
    json_array_append_new(rows, est_row("all", "", &e));
    if (o->by != NULL) {
        size_t bc, k;
        struct str_ref *v = sr_xcalloc(f.n_rows, sizeof(*v));
        size_t nv = 0;
        if ((rc = find_col(&f, o->by, &bc)) != 0) {
            free(v);
            json_decref(rows);
            goto done;
        }
        for (r = 0; r < f.n_rows; r++) {
            if (!frame_is_missing(frame_cell(&f, r, bc))) {
                v[nv].s = frame_cell(&f, r, bc);
                v[nv++].row = r;
            }
        }
        qsort(v, nv, sizeof(*v), cmp_str_ref);
        dom = sr_xcalloc(f.n_rows, sizeof(*dom));
        for (k = 0; k < nv;) {
            size_t j = k;
            memset(dom, 0, f.n_rows * sizeof(*dom));
            while (j < nv && strcmp(v[j].s, v[k].s) == 0) {
                dom[v[j++].row] = true;
            }
            if (survey_mean(&cd.d, y, dom, level, true, &e, &err) == SR_OK) {
                json_array_append_new(rows,
                                      est_row(f.cols[bc].name, v[k].s, &e));
            } else {
                /* a subgroup with no outcome: report it empty */
                json_t *row = json_object();
                set_str(row, "group", f.cols[bc].name);
                set_str(row, "level", v[k].s);
                set_int(row, "n", 0);
                json_array_append_new(rows, row);
                sr_err_release(&err);
            }
            k = j;
        }
        free(v);
    }
    if (o->by != NULL) {
        /* rows must share keys for text/CSV: fill empty subgroups */
        size_t i;
        json_t *full = json_array_get(rows, 0);
        for (i = 1; i < json_array_size(rows); i++) {
            json_t *row = json_array_get(rows, i);
            const char *key;
            json_t *val;
            if (json_object_size(row) == json_object_size(full)) {
                continue;
            }
            json_object_foreach(full, key, val)
            {
                if (json_object_get(row, key) == NULL) {
                    json_object_set_new(row, key, json_null());
                }
            }
        }
    }
    json_object_set_new(tables, "estimates", rows);
    rc = report_print(rep, fmt);
    rep = NULL;
done:
    json_decref(rep);
    sr_err_release(&err);
    cli_design_release(&cd);
    free(y);
    free(dom);
    frame_release(&f);
    return rc;
}

/* ---- risk ---- */

/* split a comma list into a new array of new strings */
static size_t
split_list(const char *s, char ***out)
{
    size_t n = 0, cap = 8;
    char **v = sr_xcalloc(cap, sizeof(*v));

    while (s != NULL && *s != '\0') {
        const char *comma = strchr(s, ',');
        size_t len = comma != NULL ? (size_t)(comma - s) : strlen(s);
        if (len > 0) {
            if (n == cap) {
                cap *= 2;
                v = sr_xrealloc(v, cap * sizeof(*v));
            }
            v[n++] = sr_xstrndup(s, len);
        }
        s = comma != NULL ? comma + 1 : NULL;
    }
    *out = v;
    return n;
}

static void
free_list(char **v, size_t n)
{
    size_t i;

    for (i = 0; v != NULL && i < n; i++) {
        free(v[i]);
    }
    free(v);
}

static bool
in_list(char *const *v, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(v[i], s) == 0) {
            return true;
        }
    }
    return false;
}

static int
cmd_risk(const struct opts *o, double level, enum fmt fmt)
{
    struct frame f = { 0 };
    struct cli_design cd = { 0 };
    struct logit_fit fit = { 0 };
    struct logit_term *terms = NULL;
    struct logit_input in;
    struct sr_err err = { 0 };
    char **pred = NULL, **refs = NULL, **cats = NULL;
    size_t n_pred, n_refs, n_cats, i, r, col;
    double *y = NULL, **nums = NULL;
    const char ***strs = NULL;
    bool is_design;
    json_t *rep, *info, *tables, *rows;
    int rc;

    if (o->outcome == NULL || o->predictors == NULL) {
        return usage_error("risk needs FILE, --outcome and --predictors");
    }
    n_pred = split_list(o->predictors, &pred);
    n_refs = split_list(o->ref, &refs);
    n_cats = split_list(o->categorical, &cats);
    if (n_pred == 0 || n_pred > MAX_PREDICTORS) {
        rc = usage_error("--predictors needs 1 to %d names", MAX_PREDICTORS);
        goto lists;
    }
    for (i = 0; i < n_refs; i++) {
        char *eq = strchr(refs[i], '=');
        if (eq == NULL || eq == refs[i]) {
            rc = usage_error("invalid --ref '%s': need COL=LEVEL", refs[i]);
            goto lists;
        }
        *eq = '\0';
        if (!in_list(pred, n_pred, refs[i])) {
            rc = usage_error("--ref names '%s', which is not in --predictors",
                             refs[i]);
            goto lists;
        }
    }
    if ((rc = load_frame(o, &f)) != 0) {
        goto lists;
    }
    y = sr_xcalloc(f.n_rows, sizeof(*y));
    terms = sr_xcalloc(n_pred, sizeof(*terms));
    nums = sr_xcalloc(n_pred, sizeof(*nums));
    strs = sr_xcalloc(n_pred, sizeof(*strs));
    if ((rc = find_col(&f, o->outcome, &col)) != 0 ||
        (rc = binary_col(&f, col, y)) != 0 ||
        (rc = cli_design_build(&f, o, &cd, &is_design)) != 0) {
        goto done;
    }
    for (i = 0; i < n_pred; i++) {
        size_t pc, k;
        bool is_cat;
        if ((rc = find_col(&f, pred[i], &pc)) != 0) {
            goto done;
        }
        terms[i].name = pred[i];
        is_cat = in_list(cats, n_cats, pred[i]);
        for (k = 0; k < n_refs; k++) {
            if (strcmp(refs[k], pred[i]) == 0) {
                terms[i].ref = refs[k] + strlen(refs[k]) + 1;
                is_cat = true;
            }
        }
        if (!is_cat) {
            bool is_num = false;
            nums[i] = sr_xcalloc(f.n_rows, sizeof(*nums[i]));
            if (stats_risk_column(&f, pc, nums[i], &is_num, &err) != SR_OK) {
                rc = data_error(&err);
                goto done;
            }
            is_cat = !is_num;
        }
        if (is_cat) {
            strs[i] = sr_xcalloc(f.n_rows, sizeof(*strs[i]));
            for (r = 0; r < f.n_rows; r++) {
                const char *c = frame_cell(&f, r, pc);
                strs[i][r] = frame_is_missing(c) ? NULL : c;
            }
            terms[i].cat = strs[i];
        } else {
            terms[i].num = nums[i];
        }
    }
    in.n = f.n_rows;
    in.y = y;
    in.n_terms = n_pred;
    in.terms = terms;
    in.design = is_design ? &cd.d : NULL;
    in.level = level;
    in.want_profile = o->is_profile;
    if (o->is_profile && is_design) {
        rc = usage_error("--profile is for unweighted fits: profile "
                         "likelihood does not apply to a survey design");
        goto done;
    }
    if (logit_fit(&in, &fit, &err) != SR_OK) {
        rc = data_error(&err);
        goto done;
    }
    rep = report_new("risk", &info, &tables);
    set_str(info, "outcome", f.cols[col].name);
    set_int(info, "rows_used", fit.n_used);
    set_int(info, "rows_dropped_missing", fit.n_dropped);
    set_str(info, "standard_errors",
            fit.is_design ? "design-based (linearisation)" : "model-based");
    set_num(info, "deviance", fit.deviance);
    set_num(info, "null_deviance", fit.null_deviance);
    set_num(info, "aic", fit.aic);
    set_int(info, "iterations", (size_t)fit.iterations);
    if (fit.is_design) {
        set_num(info, "design_df", fit.design_df);
    }
    set_num(info, "level", level);
    rows = json_array();
    for (i = 0; i < fit.n_coef; i++) {
        const struct logit_coef *c = &fit.coef[i];
        json_t *row = json_object();
        set_str(row, "term", c->name);
        set_num(row, "odds_ratio", c->odds_ratio);
        set_num(row, "wald_lower", c->or_lo);
        set_num(row, "wald_upper", c->or_hi);
        if (o->is_profile) {
            set_num(row, "profile_lower", c->pl_lo);
            set_num(row, "profile_upper", c->pl_hi);
        }
        set_num(row, "beta", c->beta);
        set_num(row, "se", c->se);
        set_num(row, "z", c->z);
        set_num(row, "p", c->p);
        json_array_append_new(rows, row);
    }
    json_object_set_new(tables, "coefficients", rows);
    rows = json_array();
    for (i = 0; i < fit.n_terms; i++) {
        json_t *row = json_object();
        set_str(row, "predictor", terms[i].name);
        set_str(row, "test", fit.is_wald_test ? "wald" : "likelihood-ratio");
        set_num(row, "chisq", fit.test[i].stat);
        set_num(row, "df", fit.test[i].df);
        set_num(row, "p", fit.test[i].p);
        json_array_append_new(rows, row);
    }
    json_object_set_new(tables, "tests", rows);
    rc = report_print(rep, fmt);
done:
    for (i = 0; nums != NULL && i < n_pred; i++) {
        free(nums[i]);
        free(strs[i]);
    }
    free(nums);
    free(strs);
    free(terms);
    free(y);
    logit_fit_release(&fit);
    cli_design_release(&cd);
    sr_err_release(&err);
    frame_release(&f);
lists:
    free_list(pred, n_pred);
    free_list(refs, n_refs);
    free_list(cats, n_cats);
    return rc;
}

/* ---- rds ---- */

static int
cmd_rds(const struct opts *o, double level, enum fmt fmt)
{
    struct frame f = { 0 };
    struct stats_rds_data d = { 0 };
    struct rds_options opt;
    struct rds_result res;
    struct rds_input in;
    struct sr_err err = { 0 };
    long long v;
    size_t col;
    json_t *rep, *info, *tables, *rows, *row;
    int rc;

    if (o->file == NULL || o->trait == NULL) {
        return usage_error("rds needs FILE and --trait COL");
    }
    rds_options_default(&opt);
    opt.level = level;
    if (o->boot != NULL) {
        if (sr_parse_i64(o->boot, 0, 100000, &v) != SR_OK) {
            return usage_error("invalid --boot '%s': 0 to 100000", o->boot);
        }
        opt.n_boot = (size_t)v;
    }
    if (o->seed != NULL) {
        if (sr_parse_i64(o->seed, 0, 4294967295LL, &v) != SR_OK) {
            return usage_error("invalid --seed '%s': 0 to 4294967295", o->seed);
        }
        opt.seed = (unsigned long)v;
    }
    if (o->miss_deg != NULL) {
        if (strcmp(o->miss_deg, "drop") == 0) {
            opt.missing_degree = RDS_DEGREE_DROP;
        } else if (strcmp(o->miss_deg, "median") == 0) {
            opt.missing_degree = RDS_DEGREE_MEDIAN;
        } else if (strcmp(o->miss_deg, "mean") == 0) {
            opt.missing_degree = RDS_DEGREE_MEAN;
        } else {
            return usage_error("invalid --missing-degree '%s': drop, median "
                               "or mean",
                               o->miss_deg);
        }
    }
    if ((rc = load_frame(o, &f)) != 0) {
        return rc;
    }
    if ((rc = find_col(&f, o->trait, &col)) != 0) {
        goto done;
    }
    if (o->value == NULL) {
        double *t = sr_xcalloc(f.n_rows, sizeof(*t));
        rc = binary_col(&f, col, t);
        free(t);
        if (rc != 0) {
            goto done;
        }
    }
    if (stats_rds_load(&f, o->id ? o->id : "id",
                       o->recruiter ? o->recruiter : "recruiter.id",
                       o->degree ? o->degree : "network.size", o->trait,
                       o->value, &d, &err) != SR_OK) {
        rc = data_error(&err);
        goto done;
    }
    in.n = d.n;
    in.recruiter = d.recruiter;
    in.degree = d.degree;
    in.trait = d.trait;
    if (rds_estimate(&in, &opt, &res, &err) != SR_OK) {
        rc = data_error(&err);
        goto done;
    }
    rep = report_new("rds", &info, &tables);
    set_str(info, "trait", f.cols[col].name);
    if (o->value != NULL) {
        set_str(info, "trait_value", o->value);
    }
    set_int(info, "respondents", f.n_rows);
    set_int(info, "used", res.n);
    set_int(info, "seeds", res.n_seeds);
    set_int(info, "degree_missing", res.n_degree_missing);
    set_int(info, "degree_zero_set_to_1", res.n_degree_zero);
    set_str(info, "missing_degree",
            opt.missing_degree == RDS_DEGREE_DROP     ? "dropped"
            : opt.missing_degree == RDS_DEGREE_MEDIAN ? "median"
                                                      : "mean");
    set_num(info, "s01", res.s01);
    set_num(info, "s10", res.s10);
    set_num(info, "harmonic_mean_degree_0", res.h0);
    set_num(info, "harmonic_mean_degree_1", res.h1);
    set_int(info, "bootstrap_replicates", res.n_boot_used);
    set_int(info, "bootstrap_seed", opt.seed);
    set_num(info, "level", level);
    rows = json_array();
    row = json_object();
    set_str(row, "estimator", "RDS-I");
    set_num(row, "estimate", res.rds1);
    set_num(row, "se", res.se1);
    set_num(row, "deff", res.deff1);
    set_num(row, "lower", res.lo1);
    set_num(row, "upper", res.hi1);
    json_array_append_new(rows, row);
    row = json_object();
    set_str(row, "estimator", "RDS-II");
    set_num(row, "estimate", res.rds2);
    set_num(row, "se", res.se2);
    set_num(row, "deff", res.deff2);
    set_num(row, "lower", res.lo2);
    set_num(row, "upper", res.hi2);
    json_array_append_new(rows, row);
    row = json_object();
    set_str(row, "estimator", "sample");
    set_num(row, "estimate", res.naive);
    set_num(row, "se", NAN);
    set_num(row, "deff", NAN);
    set_num(row, "lower", NAN);
    set_num(row, "upper", NAN);
    json_array_append_new(rows, row);
    json_object_set_new(tables, "estimates", rows);
    rc = report_print(rep, fmt);
done:
    stats_rds_data_release(&d);
    sr_err_release(&err);
    frame_release(&f);
    return rc;
}

int
stats_cli_main(int argc, char **argv)
{
    struct opts o;
    double level;
    enum fmt fmt;
    const char *cmd;
    int rc;

    gsl_set_error_handler_off();
    if (argc < 1 || argv[0] == NULL || strcmp(argv[0], "--help") == 0 ||
        strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "help") == 0) {
        fputs(usage_text, argc < 1 || argv[0] == NULL ? stderr : stdout);
        return argc < 1 || argv[0] == NULL ? EXIT_USAGE : 0;
    }
    cmd = argv[0];
    if ((rc = parse_opts(argc, argv, &o)) != 0) {
        return rc;
    }
    if (o.is_help) {
        fputs(usage_text, stdout);
        return 0;
    }
    if ((rc = common_opts(&o, &level, &fmt)) != 0) {
        return rc;
    }
    if (strcmp(cmd, "prevalence") == 0) {
        return o.file != NULL ? cmd_prevalence_file(&o, level, fmt)
                              : cmd_prevalence_xn(&o, level, fmt);
    }
    if (strcmp(cmd, "risk") == 0) {
        if (o.file == NULL) {
            return usage_error("risk needs FILE");
        }
        return cmd_risk(&o, level, fmt);
    }
    if (strcmp(cmd, "rds") == 0) {
        return cmd_rds(&o, level, fmt);
    }
    return usage_error("unknown command '%s'", cmd);
}
