/*
 * survey_cli.c - `siren survey import|list|show|delete` and `siren
 * analysis run|list|show|rerun`: survey data sets and recorded analyses
 * in a workspace, from the command line.
 *
 * Owns the two commands' options and output. The command line acts as
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

#define EXIT_FAIL  1
#define EXIT_USAGE 2
#define MAX_ARGS   64

static const char survey_usage[] =
    "usage: siren survey COMMAND [options] [-w DIR]\n"
    "  import FILE.csv --name NAME [--dictionary DICT.csv]\n"
    "         [--drop-identifying | --keep-identifying]\n"
    "  list\n"
    "  show NAME|CODE|ID\n"
    "  delete NAME|CODE|ID --reason TEXT\n"
    "The passphrase comes from SIREN_PASSPHRASE or --passphrase-file F.\n";

static const char analysis_usage[] =
    "usage: siren analysis COMMAND [options] [-w DIR]\n"
    "  run prevalence|risk|mse|rds --dataset NAME [--seed S]\n"
    "      [--format text|json] [method options as in `siren stats`,\n"
    "      e.g. --outcome COL --predictors A,B --ref A=LEVEL]\n"
    "  list [--dataset NAME]\n"
    "  show ID [--format text|json]\n"
    "  rerun ID      run again from the record; exit 1 unless identical\n";

/* parsed arguments: flags, --key value pairs and positionals */
struct args {
    const char *pos[8];
    int n_pos;
    const char *key[MAX_ARGS];
    const char *val[MAX_ARGS];
    int n_kv;
    bool is_drop, is_keep, is_help;
};

static int
parse_args(int argc, char **argv, struct args *a, const char *usage)
{
    memset(a, 0, sizeof(*a));
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
            a->is_help = true;
        } else if (strcmp(s, "--drop-identifying") == 0) {
            a->is_drop = true;
        } else if (strcmp(s, "--keep-identifying") == 0) {
            a->is_keep = true;
        } else if (strcmp(s, "-w") == 0 || strncmp(s, "--", 2) == 0) {
            if (i + 1 >= argc || a->n_kv >= MAX_ARGS) {
                fprintf(stderr, "siren: option '%s' needs a value\n%s", s,
                        usage);
                return EXIT_USAGE;
            }
            a->key[a->n_kv] = strcmp(s, "-w") == 0 ? "workspace" : s + 2;
            a->val[a->n_kv++] = argv[++i];
        } else if (a->n_pos < 8) {
            a->pos[a->n_pos++] = s;
        } else {
            fprintf(stderr, "siren: too many arguments\n%s", usage);
            return EXIT_USAGE;
        }
    }
    return 0;
}

static const char *
arg(const struct args *a, const char *key)
{
    for (int i = a->n_kv - 1; i >= 0; i--) {
        if (strcmp(a->key[i], key) == 0) {
            return a->val[i];
        }
    }
    return NULL;
}

static int
read_file(const char *path, struct sr_buf *out)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;
    if (f == NULL) {
        fprintf(stderr, "siren: cannot read '%s': %s\n", path, strerror(errno));
        return EXIT_FAIL;
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (sr_buf_add(out, chunk, n) != SR_OK) {
            fclose(f);
            fprintf(stderr, "siren: '%s' is larger than %zu bytes\n", path,
                    out->max);
            return EXIT_FAIL;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "siren: cannot read '%s'\n", path);
        return EXIT_FAIL;
    }
    return 0;
}

/* open the workspace of -w / SIREN_WORKSPACE with the passphrase */
static int
open_ws(const struct args *a, struct ws **out)
{
    const char *dir = arg(a, "workspace");
    const char *pfile = arg(a, "passphrase-file");
    char pass[4096] = "";
    struct sr_err err = { 0 };
    if (dir == NULL) {
        dir = getenv("SIREN_WORKSPACE");
    }
    if (dir == NULL) {
        fprintf(stderr, "siren: no workspace: use -w DIR or set "
                        "SIREN_WORKSPACE\n");
        return EXIT_USAGE;
    }
    if (pfile != NULL) {
        FILE *f = fopen(pfile, "r");
        if (f == NULL || fgets(pass, sizeof pass, f) == NULL) {
            fprintf(stderr, "siren: cannot read '%s'\n", pfile);
            if (f != NULL) {
                fclose(f);
            }
            return EXIT_FAIL;
        }
        fclose(f);
        pass[strcspn(pass, "\r\n")] = '\0';
    } else if (getenv("SIREN_PASSPHRASE") != NULL) {
        snprintf(pass, sizeof pass, "%s", getenv("SIREN_PASSPHRASE"));
    }
    if (pass[0] == '\0') {
        fprintf(stderr, "siren: no passphrase: set SIREN_PASSPHRASE or use "
                        "--passphrase-file F\n");
        return EXIT_FAIL;
    }
    int rc = ws_open(dir, pass, strlen(pass), 0, out, &err);
    sodium_memzero(pass, sizeof pass);
    return rc == SR_OK ? 0 : cli_fail(&err);
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
    return EXIT_FAIL;
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

static int
survey_import_cmd(struct ws *ws, const struct args *a)
{
    struct principal who = principal_local(); /* the passphrase holder */
    struct sr_buf csv, dict;
    struct survey_import in;
    struct survey_imported out;
    struct sr_err err = { 0 };
    int rc;
    if (a->n_pos < 2 || arg(a, "name") == NULL) {
        fprintf(stderr, "%s", survey_usage);
        return EXIT_USAGE;
    }
    sr_buf_init(&csv, SURVEY_MAX_BYTES);
    sr_buf_init(&dict, 4 * 1024 * 1024);
    rc = read_file(a->pos[1], &csv);
    if (rc == 0 && arg(a, "dictionary") != NULL) {
        rc = read_file(arg(a, "dictionary"), &dict);
    }
    if (rc == 0) {
        memset(&in, 0, sizeof in);
        in.name = arg(a, "name");
        in.csv = csv.data;
        in.csv_len = csv.len;
        in.dictionary = dict.len ? dict.data : NULL;
        in.dictionary_len = dict.len;
        in.keep_identifying = a->is_keep;
        in.drop_identifying = a->is_drop;
        if (survey_dataset_import(ws->db, ws->vault, &who, &in, &out, &err) !=
            SR_OK) {
            if (err.code == SR_EINVAL && !a->is_keep && !a->is_drop &&
                strstr(sr_err_msg(&err), "identifying columns") != NULL) {
                fprintf(stderr,
                        "siren: %s (--drop-identifying or "
                        "--keep-identifying)\n",
                        sr_err_msg(&err));
                sr_err_release(&err);
                rc = EXIT_FAIL;
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

static int
survey_show_cmd(struct ws *ws, const struct args *a)
{
    struct principal who = principal_local(); /* the passphrase holder */
    int64_t id;
    struct sr_err err = { 0 };
    if (a->n_pos < 2) {
        fprintf(stderr, "%s", survey_usage);
        return EXIT_USAGE;
    }
    if (dataset_id(ws, a->pos[1], &id) != 0) {
        return EXIT_FAIL;
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
survey_cli_main(int argc, char **argv)
{
    struct principal who = principal_local(); /* the passphrase holder */
    struct args a;
    struct ws *ws = NULL;
    struct sr_err err = { 0 };
    int rc = parse_args(argc, argv, &a, survey_usage);
    if (rc != 0) {
        return rc;
    }
    const char *cmd = a.n_pos > 0 ? a.pos[0] : NULL;
    if (a.is_help || cmd == NULL) {
        fputs(survey_usage, cmd == NULL && !a.is_help ? stderr : stdout);
        return cmd == NULL && !a.is_help ? EXIT_USAGE : 0;
    }
    if (strcmp(cmd, "import") != 0 && strcmp(cmd, "list") != 0 &&
        strcmp(cmd, "show") != 0 && strcmp(cmd, "delete") != 0) {
        fprintf(stderr, "siren: unknown survey command '%s'\n%s", cmd,
                survey_usage);
        return EXIT_USAGE;
    }
    if ((rc = open_ws(&a, &ws)) != 0) {
        return rc;
    }
    if (strcmp(cmd, "import") == 0) {
        rc = survey_import_cmd(ws, &a);
    } else if (strcmp(cmd, "list") == 0) {
        rc = survey_dataset_list(ws->db, &who, print_dataset, NULL, &err) ==
                     SR_OK
                 ? 0
                 : cli_fail(&err);
    } else if (strcmp(cmd, "show") == 0) {
        rc = survey_show_cmd(ws, &a);
    } else {
        int64_t id;
        if (a.n_pos < 2 || arg(&a, "reason") == NULL) {
            fprintf(stderr, "%s", survey_usage);
            rc = EXIT_USAGE;
        } else if ((rc = dataset_id(ws, a.pos[1], &id)) == 0) {
            rc = survey_dataset_delete(ws->db, ws->vault, &who, id,
                                       arg(&a, "reason"), &err) == SR_OK
                     ? 0
                     : cli_fail(&err);
            if (rc == 0) {
                printf("deleted data set %lld\n", (long long)id);
            }
        }
    }
    ws_close(ws);
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

static bool
is_control_key(const char *k)
{
    static const char *const keys[] = { "workspace", "passphrase-file",
                                        "dataset", "seed", "format" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(keys[i], k) == 0) {
            return true;
        }
    }
    return false;
}

static int
analysis_run_cmd(struct ws *ws, const struct args *a)
{
    struct principal who = principal_local(); /* the passphrase holder */
    const char *method = a->n_pos > 1 ? a->pos[1] : NULL;
    const char *fmt = arg(a, "format");
    long long seed = 0;
    int64_t ds, id;
    struct sr_err err = { 0 };
    json_t *res = NULL;
    if (method == NULL || arg(a, "dataset") == NULL) {
        fprintf(stderr, "%s", analysis_usage);
        return EXIT_USAGE;
    }
    if (arg(a, "seed") != NULL &&
        sr_parse_i64(arg(a, "seed"), 1, 4294967295LL, &seed) != SR_OK) {
        fprintf(stderr, "siren: --seed: need a whole number from 1 to "
                        "4294967295\n");
        return EXIT_USAGE;
    }
    if (fmt != NULL && strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0) {
        fprintf(stderr, "siren: --format: text or json\n");
        return EXIT_USAGE;
    }
    if (dataset_id(ws, arg(a, "dataset"), &ds) != 0) {
        return EXIT_FAIL;
    }
    json_t *opts = json_object();
    for (int i = 0; i < a->n_kv; i++) {
        if (!is_control_key(a->key[i])) {
            json_object_set_new(opts, a->key[i], json_string(a->val[i]));
        }
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
analysis_cli_main(int argc, char **argv)
{
    struct principal who = principal_local(); /* the passphrase holder */
    struct args a;
    struct ws *ws = NULL;
    struct sr_err err = { 0 };
    long long id = 0;
    int rc = parse_args(argc, argv, &a, analysis_usage);
    if (rc != 0) {
        return rc;
    }
    const char *cmd = a.n_pos > 0 ? a.pos[0] : NULL;
    if (a.is_help || cmd == NULL) {
        fputs(analysis_usage, cmd == NULL && !a.is_help ? stderr : stdout);
        return cmd == NULL && !a.is_help ? EXIT_USAGE : 0;
    }
    bool needs_id = strcmp(cmd, "show") == 0 || strcmp(cmd, "rerun") == 0;
    if (!needs_id && strcmp(cmd, "run") != 0 && strcmp(cmd, "list") != 0) {
        fprintf(stderr, "siren: unknown analysis command '%s'\n%s", cmd,
                analysis_usage);
        return EXIT_USAGE;
    }
    if (needs_id &&
        (a.n_pos < 2 || sr_parse_i64(a.pos[1], 1, INT64_MAX, &id) != SR_OK)) {
        fprintf(stderr, "siren: %s needs an analysis id\n", cmd);
        return EXIT_USAGE;
    }
    gsl_set_error_handler_off();
    if ((rc = open_ws(&a, &ws)) != 0) {
        return rc;
    }
    if (strcmp(cmd, "run") == 0) {
        rc = analysis_run_cmd(ws, &a);
    } else if (strcmp(cmd, "list") == 0) {
        int64_t ds = 0;
        rc = arg(&a, "dataset") != NULL
                 ? dataset_id(ws, arg(&a, "dataset"), &ds)
                 : 0;
        if (rc == 0 &&
            survey_analysis_list(ws->db, &who, ds, 1000, list_analysis, NULL,
                                 &err) != SR_OK) {
            rc = cli_fail(&err);
        }
    } else if (strcmp(cmd, "show") == 0) {
        const char *fmt = arg(&a, "format");
        struct show_ctx c = { fmt != NULL && strcmp(fmt, "json") == 0 };
        rc = survey_analysis_get(ws->db, &who, id, print_analysis, &c, &err) ==
                     SR_OK
                 ? 0
                 : cli_fail(&err);
    } else {
        bool is_same = false;
        if (analysis_rerun(ws->db, ws->vault, &who, id, &is_same, &err) !=
            SR_OK) {
            rc = cli_fail(&err);
        } else if (is_same) {
            printf("analysis %lld: rerun gives identical results\n", id);
        } else {
            fprintf(stderr,
                    "siren: analysis %lld: rerun results differ "
                    "from the record\n",
                    id);
            rc = EXIT_FAIL;
        }
    }
    ws_close(ws);
    return rc;
}
