/*
 * stats_cli.c - `siren stats prevalence|risk|rds`: checking option
 * values, and text output of the report analysis.c computes (its CSV and
 * JSON come from render/analysis_out.c).
 *
 * Owns: the checks of the stats subcommands' option values (their rows
 * in commands.c name the options; exit codes 0 ok, 1 data error, 2 usage
 * error) and the text rendering of a report. Thin like
 * the other front doors: the options become the JSON object a stored
 * analysis takes, and analysis_compute_frame() computes (the one
 * computation of each method, shared with the web pages and the API);
 * numerics live in src/stats, CSV reading in frame.c.
 * Must not: print cell contents in errors (they may identify people), or
 * write anything but results to stdout.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/stats_cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <jansson.h>

#include "stats/analysis.h"
#include "core/buf.h"
#include "stats/frame.h"
#include "stats/num/rds.h"
#include "cli/cli.h"
#include "render/analysis_out.h"

#include "core/banned.h"

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
    return CLI_USAGE;
}

static int
data_error(const struct sr_err *err)
{
    fprintf(stderr, "siren stats: %s\n", sr_err_msg(err));
    return CLI_FAIL;
}

/* The row's options (cli.c parsed them) into o; FILE is args[1]. */
static void
fill_opts(const struct cli_args *a, struct opts *o)
{
    memset(o, 0, sizeof(*o));
    o->file = a->n_args > 1 ? a->args[1] : NULL;
    for (size_t i = 0; a->cmd->options[i].name != NULL; i++) {
        const char *name = a->cmd->options[i].name + 2, *val = a->values[i];
        if (val == NULL) {
            continue;
        }
        if (strcmp(name, "profile") == 0) {
            o->is_profile = true;
        }
        for (size_t k = 0; k < sizeof(opt_defs) / sizeof(opt_defs[0]); k++) {
            if (strcmp(opt_defs[k].name, name) == 0) {
                memcpy((char *)o + opt_defs[k].off, &val, sizeof(val));
            }
        }
    }
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
        return CLI_USAGE;
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

static void
render_table(FILE *fp, const char *name, const json_t *rows)
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
            (void)analysis_out_value(&b, val);
            if (c < n_cols && b.len > width[c]) {
                width[c] = b.len;
            }
            c++;
        }
    }
    fprintf(fp, "\n%s\n", name);
    c = 0;
    json_object_foreach((json_t *)first, key, val)
    {
        fprintf(fp, "%s%-*s", c ? "  " : "", c + 1 < n_cols ? (int)width[c] : 0,
                key);
        c++;
    }
    fputc('\n', fp);
    for (r = 0; r < n_rows; r++) {
        c = 0;
        json_object_foreach(json_array_get(rows, r), key, val)
        {
            sr_buf_reset(&b);
            (void)analysis_out_value(&b, val);
            fprintf(fp, "%s%-*s", c ? "  " : "",
                    c + 1 < n_cols ? (int)width[c] : 0, b.data);
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
        if (analysis_out_json(r, stdout) == SR_ENOMEM) {
            SR_BUG("json_dumps failed");
        }
        json_decref(r);
        return 0;
    }
    if (fmt == FMT_CSV) {
        (void)analysis_out_csv(r, stdout);
        json_decref(r);
        return 0;
    }
    sr_buf_init(&b, 0);
    json_object_foreach(json_object_get(r, "info"), key, val)
    {
        sr_buf_reset(&b);
        (void)analysis_out_value(&b, val);
        printf("%s: %s\n", key, b.data);
    }
    json_object_foreach(json_object_get(r, "tables"), key, val)
    {
        render_table(stdout, key, val);
    }
    sr_buf_release(&b);
    json_decref(r);
    return 0;
}

/* ---- commands: options to analysis.c, its report to stdout ---- */

static int
load_frame(const struct opts *o, struct frame *f)
{
    struct sr_err err = { 0 };

    if (frame_load(f, o->file, NULL, &err) != SR_OK) {
        data_error(&err);
        sr_err_release(&err);
        return CLI_FAIL;
    }
    if (f->n_rows == 0) {
        fprintf(stderr, "siren stats: '%s' has no data rows\n", o->file);
        frame_release(f);
        return CLI_FAIL;
    }
    return 0;
}

static int
cmd_prevalence_xn(const struct opts *o, double level, enum fmt fmt)
{
    long long x, n;
    struct sr_err err = { 0 };
    json_t *rep;

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
    if (analysis_binomial(x, n, level, &rep, &err) != SR_OK) {
        data_error(&err);
        sr_err_release(&err);
        return CLI_FAIL;
    }
    return report_print(rep, fmt);
}

/*
 * The options object of a stored analysis, from the command line: each of
 * the method's options (analysis_option_names()) that was given, --profile
 * as "1". Returns 0 or CLI_USAGE (a value that is not UTF-8).
 */
static int
options_json(const char *method, const struct opts *o, json_t **out)
{
    const char *const *names = analysis_option_names(method);
    json_t *j = json_object();
    size_t i, k;

    for (i = 0; names != NULL && names[i] != NULL; i++) {
        const char *val = NULL;
        for (k = 0; k < sizeof(opt_defs) / sizeof(opt_defs[0]); k++) {
            if (strcmp(opt_defs[k].name, names[i]) == 0) {
                memcpy(&val, (const char *)o + opt_defs[k].off, sizeof(val));
            }
        }
        if (strcmp(names[i], "profile") == 0 && o->is_profile) {
            val = "1";
        }
        if (val != NULL &&
            json_object_set_new(j, names[i], json_string(val)) != 0) {
            json_decref(j);
            return usage_error("invalid --%s: not UTF-8 text", names[i]);
        }
    }
    *out = j;
    return 0;
}

/* prevalence FILE, risk, rds: computed by analysis.c in the CLI form */
static int
cmd_file(const char *cmd, const struct opts *o, enum fmt fmt)
{
    struct frame f = { 0 };
    struct sr_err err = { 0 };
    struct rds_options ro;
    json_t *options = NULL, *rep = NULL;
    long long v;
    int rc;

    rds_options_default(&ro); /* the bootstrap's seed unless --seed */
    if (o->seed != NULL && strcmp(cmd, "rds") == 0) {
        if (sr_parse_i64(o->seed, 0, 4294967295LL, &v) != SR_OK) {
            return usage_error("invalid --seed '%s': 0 to 4294967295", o->seed);
        }
        ro.seed = (unsigned long)v;
    }
    if ((rc = options_json(cmd, o, &options)) != 0) {
        return rc;
    }
    if (analysis_check_options(cmd, options, &err) != SR_OK) {
        /* its messages start with the option's name */
        rc = usage_error("--%s", sr_err_msg(&err));
    } else if ((rc = load_frame(o, &f)) == 0) {
        if (analysis_compute_frame(cmd, &f, options, ro.seed, ANALYSIS_FORM_CLI,
                                   &rep, &err) != SR_OK) {
            rc = data_error(&err);
        } else {
            rc = report_print(rep, fmt);
        }
        frame_release(&f);
    }
    json_decref(options);
    sr_err_release(&err);
    return rc;
}

/* Options and format of a stats row; 0 or CLI_USAGE. */
static int
start(const struct cli_args *a, struct opts *o, double *level, enum fmt *fmt)
{
    fill_opts(a, o);
    return common_opts(o, level, fmt);
}

/* prevalence [FILE], risk FILE and rds FILE (the row's subcommand names
 * the method; only prevalence may go without a FILE, and only it has
 * --x and --n) */
int
stats_cli_file(struct ws *ws, const struct cli_args *a)
{
    struct opts o;
    double level;
    enum fmt fmt;
    int rc;

    (void)ws;
    if ((rc = start(a, &o, &level, &fmt)) != 0) {
        return rc;
    }
    if (o.file == NULL) {
        return cmd_prevalence_xn(&o, level, fmt);
    }
    if (o.x != NULL || o.n != NULL) {
        return usage_error("give either FILE or --x/--n, not both");
    }
    return cmd_file(a->cmd->sub, &o, fmt);
}

int
stats_cli_prevalence(struct ws *ws, const struct cli_args *a)
{
    return stats_cli_file(ws, a);
}
