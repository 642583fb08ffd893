/*
 * survey_cli.c - `siren survey import|list|show|delete` and `siren
 * analysis run|list|show|rerun`: survey data sets and recorded analyses
 * in a workspace, from the command line.
 *
 * Owns the two commands' output (their rows in commands.c name the
 * options). The command line acts as
 * the holder of the workspace passphrase (policy action local): it may
 * keep identifying columns, but only when asked (--keep-identifying); by
 * default they are refused, as for an analyst. Must not print a cell of
 * the data: only the dictionary, counts, hashes and aggregate results.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/survey_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <jansson.h>
#include <sodium.h>

#include "stats/analysis.h"
#include "core/buf.h"
#include "stats/survey_store.h"
#include "base/workspace.h"
#include "cli/cli.h"
#include "base/principal.h"
#include "core/banned.h"

static int
read_file(const char *path, struct sr_buf *out)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;
    if (f == NULL) {
        fprintf(stderr, "siren: cannot read '%s': %s\n", path, strerror(errno));
        return CLI_FAIL;
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (sr_buf_add(out, chunk, n) != SR_OK) {
            fclose(f);
            fprintf(stderr, "siren: '%s' is larger than %zu bytes\n", path,
                    out->max);
            return CLI_FAIL;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "siren: cannot read '%s'\n", path);
        return CLI_FAIL;
    }
    return 0;
}

/* the id of the data set named by s: a number, a name or a code */
static int
dataset_id(struct ws *ws, const char *s, int64_t *out)
{
    struct principal who = principal_local(); /* the passphrase holder */
    struct sr_err err = { 0 };
    long long id;
    if (survey_dataset_find(ws->db, &who, s, out, &err) == SR_OK) {
        return 0;
    }
    sr_err_release(&err);
    if (sr_parse_i64(s, 1, INT64_MAX, &id) == SR_OK) {
        *out = id;
        return 0;
    }
    fprintf(stderr, "siren: no live data set of that name, code or id\n");
    return CLI_FAIL;
}

/* ---- survey ------------------------------------------------------------- */

static int
print_dataset(const struct survey_dataset_row *r, void *ctx)
{
    (void)ctx;
    printf("%lld\t%s\t%s\t%lld rows\t%lld columns\t%s\n", (long long)r->id,
           r->code, r->name, (long long)r->n_rows, (long long)r->n_cols,
           r->sha256);
    return 0;
}

static int
print_column(const struct survey_column *c, void *ctx)
{
    (void)ctx;
    printf("  %zu\t%s\t%s\t%s\t%s\tmissing %zu\tdistinct %zu%s\n",
           c->position + 1, c->name, c->tag[0] ? c->tag : "-",
           survey_type_name(c->type), c->is_identifying ? "identifying" : "-",
           c->n_missing, c->n_distinct,
           c->n_distinct >= SURVEY_MAX_DISTINCT ? "+" : "");
    return 0;
}

static int
print_label(size_t pos, const char *value, const char *label, void *ctx)
{
    (void)ctx;
    printf("  %zu\t%s = %s\n", pos + 1, value, label);
    return 0;
}

int
survey_cli_import(struct ws *ws, const struct cli_args *a)
{
    struct principal who = principal_local(); /* the passphrase holder */
    struct sr_buf csv, dict;
    struct survey_import in;
    struct survey_imported out;
    struct sr_err err = { 0 };
    int rc;
    sr_buf_init(&csv, SURVEY_MAX_BYTES);
    sr_buf_init(&dict, 4 * 1024 * 1024);
    rc = read_file(a->args[1], &csv);
    if (rc == 0 && cli_opt(a, "--dictionary") != NULL) {
        rc = read_file(cli_opt(a, "--dictionary"), &dict);
    }
    if (rc == 0) {
        memset(&in, 0, sizeof in);
        in.name = cli_opt(a, "--name");
        in.csv = csv.data;
        in.csv_len = csv.len;
        in.dictionary = dict.len ? dict.data : NULL;
        in.dictionary_len = dict.len;
        in.keep_identifying = cli_flag(a, "--keep-identifying");
        in.drop_identifying = cli_flag(a, "--drop-identifying");
        if (survey_dataset_import(ws->db, ws->vault, &who, &in, &out, &err) !=
            SR_OK) {
            if (err.code == SR_EINVAL && !cli_flag(a, "--keep-identifying") &&
                !cli_flag(a, "--drop-identifying") &&
                strstr(sr_err_msg(&err), "identifying columns") != NULL) {
                fprintf(stderr,
                        "siren: %s (--drop-identifying or "
                        "--keep-identifying)\n",
                        sr_err_msg(&err));
                sr_err_release(&err);
                rc = CLI_FAIL;
            } else {
                rc = cli_fail(&err);
            }
        } else {
            printf("imported %s: %zu rows, %zu columns (%zu identifying "
                   "dropped)\nid %lld\nsha256 %s\n",
                   out.code, out.n_rows, out.n_cols, out.n_dropped,
                   (long long)out.id, out.sha256);
        }
    }
    vault_buf_wipe(&csv);
    sr_buf_release(&dict);
    return rc;
}

int
survey_cli_show(struct ws *ws, const struct cli_args *a)
{
    struct principal who = principal_local(); /* the passphrase holder */
    int64_t id;
    struct sr_err err = { 0 };
    if (dataset_id(ws, a->args[1], &id) != 0) {
        return CLI_FAIL;
    }
    if (survey_dataset_get(ws->db, &who, id, print_dataset, NULL, &err) !=
        SR_OK) {
        return cli_fail(&err);
    }
    printf("columns (position, name, HXL tag, type, identifying):\n");
    if (survey_dataset_columns(ws->db, &who, id, print_column, NULL, &err) !=
            SR_OK ||
        survey_value_labels(ws->db, &who, id, print_label, NULL, &err) !=
            SR_OK) {
        return cli_fail(&err);
    }
    return 0;
}

int
survey_cli_list(struct ws *ws, const struct cli_args *a)
{
    struct principal who = principal_local(); /* the passphrase holder */
    (void)a;
    struct sr_err err = { 0 };
    return survey_dataset_list(ws->db, &who, print_dataset, NULL, &err) == SR_OK
               ? 0
               : cli_fail(&err);
}

int
survey_cli_delete(struct ws *ws, const struct cli_args *a)
{
    struct principal who = principal_local(); /* the passphrase holder */
    struct sr_err err = { 0 };
    int64_t id;
    int rc = dataset_id(ws, a->args[1], &id);
    if (rc == 0) {
        rc = survey_dataset_delete(ws->db, ws->vault, &who, id,
                                   cli_opt(a, "--reason"), &err) == SR_OK
                 ? 0
                 : cli_fail(&err);
        if (rc == 0) {
            printf("deleted data set %lld\n", (long long)id);
        }
    }
    return rc;
}

/* ---- analysis ----------------------------------------------------------- */

static void
print_result(const char *text, bool is_json)
{
    json_t *r = json_loads(text, 0, NULL);
    if (r == NULL) {
        return;
    }
    if (is_json) {
        char *s = json_dumps(r, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        if (s != NULL) {
            puts(s);
            free(s);
        }
        json_decref(r);
        return;
    }
    const char *key;
    json_t *val;
    json_object_foreach(json_object_get(r, "info"), key, val)
    {
        if (json_is_string(val)) {
            printf("%s: %s\n", key, json_string_value(val));
        } else if (json_is_integer(val)) {
            printf("%s: %lld\n", key, (long long)json_integer_value(val));
        } else if (json_is_real(val)) {
            printf("%s: %.7g\n", key, json_real_value(val));
        } else {
            printf("%s: NA\n", key);
        }
    }
    json_object_foreach(json_object_get(r, "tables"), key, val)
    {
        size_t i;
        json_t *row;
        printf("\n%s\n", key);
        json_array_foreach(val, i, row)
        {
            const char *k;
            json_t *v;
            int c = 0;
            if (i == 0) {
                json_object_foreach(row, k, v)
                {
                    printf("%s%s", c++ ? "\t" : "", k);
                }
                putchar('\n');
                c = 0;
            }
            json_object_foreach(row, k, v)
            {
                fputs(c++ ? "\t" : "", stdout);
                if (json_is_string(v)) {
                    fputs(json_string_value(v), stdout);
                } else if (json_is_integer(v)) {
                    printf("%lld", (long long)json_integer_value(v));
                } else if (json_is_real(v)) {
                    printf("%.7g", json_real_value(v));
                } else {
                    fputs("NA", stdout);
                }
            }
            putchar('\n');
        }
    }
    json_decref(r);
}

struct show_ctx {
    bool is_json;
};

static int
print_analysis(const struct survey_analysis_row *r, void *ctx)
{
    struct show_ctx *c = ctx;
    printf("analysis %lld: %s on data set %s (%s)\n", (long long)r->id,
           r->method, r->dataset_code, r->dataset_name);
    printf("dataset_sha256: %s\noptions: %s\nseed: %lld\nversion: %s\n",
           r->dataset_sha256, r->options, (long long)r->seed, r->version);
    if (c != NULL) {
        putchar('\n');
        print_result(r->result, c->is_json);
    }
    return 0;
}

static int
list_analysis(const struct survey_analysis_row *r, void *ctx)
{
    (void)ctx;
    printf("%lld\t%s\t%s\t%s\tseed %lld\n", (long long)r->id, r->method,
           r->dataset_code, r->options, (long long)r->seed);
    return 0;
}

int
analysis_cli_run(struct ws *ws, const struct cli_args *a)
{
    struct principal who = principal_local(); /* the passphrase holder */
    const char *method = a->args[1];
    const char *fmt = cli_opt(a, "--format");
    long long seed = 0;
    int64_t ds, id;
    struct sr_err err = { 0 };
    json_t *res = NULL;
    if (cli_opt(a, "--seed") != NULL &&
        sr_parse_i64(cli_opt(a, "--seed"), 1, 4294967295LL, &seed) != SR_OK) {
        fprintf(stderr, "siren: --seed: need a whole number from 1 to "
                        "4294967295\n");
        return CLI_USAGE;
    }
    if (fmt != NULL && strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0) {
        fprintf(stderr, "siren: --format: text or json\n");
        return CLI_USAGE;
    }
    if (dataset_id(ws, cli_opt(a, "--dataset"), &ds) != 0) {
        return CLI_FAIL;
    }
    json_t *opts = json_object();
    for (int i = 0; i < a->n_extra; i++) {
        json_object_set_new(opts, a->extra_names[i] + 2,
                            json_string(a->extra_values[i]));
    }
    int rc = analysis_run(ws->db, ws->vault, &who, method, ds, opts,
                          (unsigned long)seed, &id, &res, &err);
    json_decref(opts);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    json_decref(res);
    struct show_ctx c = { fmt != NULL && strcmp(fmt, "json") == 0 };
    survey_analysis_get(ws->db, &who, id, print_analysis, &c, NULL);
    return 0;
}

int
analysis_cli_list(struct ws *ws, const struct cli_args *a)
{
    struct principal who = principal_local(); /* the passphrase holder */
    struct sr_err err = { 0 };
    int64_t ds = 0;
    const char *dataset = cli_opt(a, "--dataset");
    int rc = dataset != NULL ? dataset_id(ws, dataset, &ds) : 0;
    if (rc == 0 && survey_analysis_list(ws->db, &who, ds, 1000, list_analysis,
                                        NULL, &err) != SR_OK) {
        rc = cli_fail(&err);
    }
    return rc;
}

/* What show and rerun do with analysis id in open workspace ws. */
typedef int analysis_fn(struct ws *ws, const struct cli_args *a, long long id);

/* Parse the analysis id of show and rerun, then open the workspace (a bad
 * id is a usage error before any passphrase is asked), run fn, close it;
 * the exit status. */
static int
on_analysis(const struct cli_args *a, analysis_fn *fn)
{
    long long id;
    if (sr_parse_i64(a->args[1], 1, INT64_MAX, &id) != SR_OK) {
        fprintf(stderr, "siren: %s needs an analysis id\n", a->args[0]);
        return CLI_USAGE;
    }
    struct ws *ws;
    int rc = cli_open_workspace(a, 0, &ws);
    if (rc != 0) {
        return rc;
    }
    rc = fn(ws, a, id);
    ws_close(ws);
    return rc;
}

static int
show_analysis(struct ws *ws, const struct cli_args *a, long long id)
{
    struct principal who = principal_local(); /* the passphrase holder */
    struct sr_err err = { 0 };
    const char *fmt = cli_opt(a, "--format");
    struct show_ctx c = { fmt != NULL && strcmp(fmt, "json") == 0 };
    return survey_analysis_get(ws->db, &who, id, print_analysis, &c, &err) ==
                   SR_OK
               ? 0
               : cli_fail(&err);
}

int
analysis_cli_show(struct ws *unused, const struct cli_args *a)
{
    (void)unused;
    return on_analysis(a, show_analysis);
}

static int
rerun_analysis(struct ws *ws, const struct cli_args *a, long long id)
{
    struct principal who = principal_local(); /* the passphrase holder */
    struct sr_err err = { 0 };
    bool is_same = false;
    (void)a;
    if (analysis_rerun(ws->db, ws->vault, &who, id, &is_same, &err) != SR_OK) {
        return cli_fail(&err);
    }
    if (!is_same) {
        fprintf(stderr,
                "siren: analysis %lld: rerun results differ "
                "from the record\n",
                id);
        return CLI_FAIL;
    }
    printf("analysis %lld: rerun gives identical results\n", id);
    return CLI_OK;
}

int
analysis_cli_rerun(struct ws *unused, const struct cli_args *a)
{
    (void)unused;
    return on_analysis(a, rerun_analysis);
}
