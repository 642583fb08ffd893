/*
 * stats_web.c - the evidence pages and their JSON API: survey data sets
 * (import, dictionary, delete), recorded analyses (run, result tables, a
 * forest plot of odds ratios, the MSE model ranking).
 *
 * No SQL (survey_store.c), no numerics (analysis.c, src/stats). Must not
 * show row-level data: pages carry the dictionary, counts, hashes and
 * aggregate results only, so they never show an identity whatever the
 * role. Data set names and column names come from users and are escaped.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/stats_web.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "stats/analysis.h"
#include "render/forest.h"
#include "web/json.h"
#include "stats/survey_store.h"
#include "base/workspace.h"
#include "core/banned.h"

/* ---- labels ------------------------------------------------------------- */

/* result keys shown with a translated label */
static const struct {
    const char *key, *msgid;
} key_labels[] = {
    { "method", N_("Method") },
    { "estimate", N_("Estimate") },
    { "lower", N_("Lower") },
    { "upper", N_("Upper") },
    { "se", N_("Standard error") },
    { "deff", N_("Design effect") },
    { "group", N_("Group") },
    { "level", N_("Level") },
    { "n", N_("N") },
    { "df", N_("df") },
    { "term", N_("Term") },
    { "odds_ratio", N_("Odds ratio") },
    { "wald_lower", N_("Lower") },
    { "wald_upper", N_("Upper") },
    { "p", N_("p-value") },
    { "model", N_("Model") },
    { "deviance", N_("Deviance") },
    { "aic", N_("AIC") },
    { "bic", N_("BIC") },
    { "status", N_("Status") },
    { "estimator", N_("Estimator") },
    { "outcome", N_("Outcome") },
    { "predictor", N_("Predictor") },
    { "chosen_model", N_("Chosen model") },
    { "profile_lower", N_("Profile-likelihood lower") },
    { "profile_upper", N_("Profile-likelihood upper") },
    { "intervals", N_("Intervals") },
    { "estimates", N_("Estimates") },
    { "coefficients", N_("Coefficients") },
    { "tests", N_("Tests") },
    { "models", N_("Model ranking") },
    { "interactions", N_("Interactions") },
};

static const char *
key_label(struct req *req, const char *key)
{
    for (size_t i = 0; i < sizeof key_labels / sizeof key_labels[0]; i++) {
        if (strcmp(key_labels[i].key, key) == 0) {
            return T(req, key_labels[i].msgid);
        }
    }
    return key;
}

static const struct {
    const char *code, *msgid;
} method_labels[] = {
    { "prevalence", N_("Prevalence") },
    { "risk", N_("Risk factors (logistic regression)") },
    { "mse", N_("Multiple systems estimation") },
    { "rds", N_("Respondent-driven sampling") },
};

static const char *
method_label(struct req *req, const char *code)
{
    for (size_t i = 0; i < 4; i++) {
        if (strcmp(method_labels[i].code, code) == 0) {
            return T(req, method_labels[i].msgid);
        }
    }
    return code;
}

/* ---- small writers ------------------------------------------------------ */

static void
th(struct html *h, const char *text)
{
    HTML_LIT(h, "<th scope=\"col\">");
    html_text(h, text);
    HTML_LIT(h, "</th>");
}

static void
value_html(struct html *h, const json_t *v)
{
    if (json_is_string(v)) {
        html_text(h, json_string_value(v));
    } else if (json_is_integer(v)) {
        html_printf_text(h, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        html_printf_text(h, "%.6g", json_real_value(v));
    } else if (json_is_true(v)) {
        html_text(h, "true");
    } else {
        html_text(h, "-");
    }
}

static void
field(struct html *h, struct req *req, const char *id, const char *name,
      const char *msgid, const char *hint)
{
    HTML_LIT(h, "<div class=\"field\">");
    web_label(h, req, id, msgid);
    HTML_LIT(h, "<input ");
    web_id_name(h, id, name);
    HTML_LIT(h, " maxlength=\"1000\" autocomplete=\"off\">");
    web_hint(h, req, hint);
    HTML_LIT(h, "</div>");
}

static int64_t
route_id(struct req *req)
{
    long long id = 0;
    const char *p = req_route_param(req, "id");
    if (p == NULL || sr_parse_i64(p, 1, INT64_MAX, &id) != SR_OK) {
        return 0;
    }
    return id;
}

/* status for a failed store or analysis call */
static int
status_of(int rc)
{
    switch (rc) {
    case SR_EPERM:
        return 403;
    case SR_ENOTFOUND:
        return 404;
    case SR_ECONFLICT:
        return 409;
    case SR_ETOOBIG:
        return 413;
    default:
        return 400;
    }
}

static const char *const dataset_cols[] = {
    N_("Name"),     N_("Code"),     N_("Rows"), N_("Columns"),
    N_("Analyses"), N_("Imported"), NULL,
};
static const char *const analysis_cols[] = {
    "#", N_("Method"), N_("Data set"), N_("Run"), NULL,
};
static const char *const dictionary_cols[] = {
    "#",           N_("Column"),          N_("HXL tag"),
    N_("Type"),    N_("Label"),           N_("Identifying"),
    N_("Missing"), N_("Distinct values"), NULL,
};
static const char *const label_cols[] = {
    "#",
    N_("Value"),
    N_("Label"),
    NULL,
};

/* a page that redisplays a form with an error message */
typedef int form_page_fn(struct req *req, struct resp *resp, const char *error,
                         int status);

/*
 * A form's failure: database and key errors go up as they are; any other
 * is shown above the form, with status.
 */
static int
form_failed(struct req *req, struct resp *resp, int rc, struct sr_err *err,
            form_page_fn *page, int status)
{
    if (rc == SR_EDB || rc == SR_ECRYPTO) {
        sr_err_release(err);
        return rc;
    }
    return page(req, resp, web_err_text(req, err), status);
}

/* ---- /stats ------------------------------------------------------------- */

static int
dataset_row_html(const struct survey_dataset_row *r, void *ctx)
{
    struct web_rows *c = ctx;
    HTML_LIT(c->h, "<tr><td><a href=\"/stats/datasets/");
    html_printf_text(c->h, "%lld", (long long)r->id);
    HTML_LIT(c->h, "\">");
    html_text(c->h, r->name);
    HTML_LIT(c->h, "</a></td>");
    web_td(c->h, r->code);
    web_td_num(c->h, (long long)r->n_rows);
    web_td_num(c->h, (long long)r->n_cols);
    web_td_num(c->h, (long long)r->n_analyses);
    web_td_time(c->h, c->req, r->created_at);
    HTML_LIT(c->h, "</tr>");
    c->n_rows++;
    return 0;
}

static int
analysis_row_html(const struct survey_analysis_row *r, void *ctx)
{
    struct web_rows *c = ctx;
    HTML_LIT(c->h, "<tr><td><a href=\"/stats/analyses/");
    html_printf_text(c->h, "%lld", (long long)r->id);
    HTML_LIT(c->h, "\">");
    html_printf_text(c->h, "%lld", (long long)r->id);
    HTML_LIT(c->h, "</a></td>");
    web_td(c->h, method_label(c->req, r->method));
    web_td(c->h, r->dataset_name);
    web_td_time(c->h, c->req, r->created_at);
    HTML_LIT(c->h, "</tr>");
    c->n_rows++;
    return 0;
}

static int
stats_page(struct req *req, struct resp *resp, const char *error, int status)
{
    struct html h;
    struct sr_err err = { 0 };
    struct web_rows c = { req, resp, NULL, 0 };
    web_page_begin(req, resp, &h, N_("Statistics"));
    c.h = &h;
    web_form_error(&h, error);
    HTML_LIT(&h, "<section><h2>");
    html_text(&h, T(req, "Data sets"));
    HTML_LIT(&h, "</h2>");
    web_table_begin(&h, req, "datasets", dataset_cols);
    int rc =
        survey_dataset_list(req->db, &req->who, dataset_row_html, &c, &err);
    HTML_LIT(&h, "</tbody></table></div>");
    if (rc == SR_OK && c.n_rows == 0) {
        web_muted(&h, req, NULL, N_("No data sets yet."));
    }
    HTML_LIT(&h, "<p><a class=\"btn\" href=\"/stats/analyses/new\">");
    html_text(&h, T(req, "New analysis"));
    HTML_LIT(&h, "</a></p></section><section><h2>");
    html_text(&h, T(req, "Recent analyses"));
    HTML_LIT(&h, "</h2>");
    web_table_begin(&h, req, "analyses", analysis_cols);
    if (rc == SR_OK) {
        rc = survey_analysis_list(req->db, &req->who, 0, 20, analysis_row_html,
                                  &c, &err);
    }
    HTML_LIT(&h, "</tbody></table></div></section>");
    if (policy_allows(&req->who, ACT_SURVEY_MANAGE, 0, 0)) {
        web_card_begin(&h, req, N_("Import a data set"));
        HTML_LIT(&h, "<form class=\"stack\" method=\"post\" "
                     "action=\"/stats/datasets\" id=\"import\">");
        web_csrf_field(req, resp, &h);
        HTML_LIT(&h, "<div class=\"field\">");
        web_label(&h, req, "ds-name", N_("Name"));
        web_input(&h, "ds-name", "name", 100, 1);
        HTML_LIT(&h, "</div><div class=\"field\">");
        web_label(&h, req, "ds-csv", N_("CSV data"));
        HTML_LIT(&h, "<textarea id=\"ds-csv\" name=\"csv\" "
                     "rows=\"8\" required spellcheck=\"false\"></textarea>"
                     "<p class=\"hint\">");
        html_text(&h, T(req, "Paste the CSV: a header row, an optional HXL "
                             "hashtag row, KoboToolbox or ODK exports. At "
                             "most 1 MiB here; larger files with siren "
                             "survey import."));
        HTML_LIT(&h, "</p></div><div class=\"field\">");
        web_label(&h, req, "ds-dict", N_("Data dictionary (optional)"));
        HTML_LIT(
            &h,
            "<textarea id=\"ds-dict\" name=\"dictionary\" rows=\"3\" spellcheck=\"false\"></textarea><p class=\"hint\">");
        html_text(&h, T(req, "CSV with the columns column, type, "
                             "identifying, label, values."));
        HTML_LIT(&h, "</p></div><div class=\"field\">");
        web_label(&h, req, "ds-ident", N_("Identifying columns"));
        HTML_LIT(&h, "<select id=\"ds-ident\" name=\"identifying\">");
        web_option(&h, "refuse", T(req, "Refuse the import"), 0);
        web_option(&h, "drop", T(req, "Drop them"), 0);
        if (policy_can_see_identity(req->who.role)) {
            web_option(&h, "keep", T(req, "Keep them (stored encrypted)"), 0);
        }
        HTML_LIT(&h, "</select></div>");
        web_form_actions(&h, req, N_("Import"), NULL);
        HTML_LIT(&h, "</form></section>");
    }
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, status);
}

int
web_stats(struct req *req, struct resp *resp)
{
    return stats_page(req, resp, NULL, 0);
}

/* import from a form or JSON; identifying "drop", "keep" or other */
static int
do_import(struct req *req, const char *name, const char *csv, const char *dict,
          const char *ident, struct survey_imported *out, struct sr_err *err)
{
    struct survey_import in;
    memset(&in, 0, sizeof in);
    in.name = name;
    in.csv = csv;
    in.csv_len = csv != NULL ? strlen(csv) : 0;
    in.dictionary = dict;
    in.dictionary_len = dict != NULL ? strlen(dict) : 0;
    in.keep_identifying = ident != NULL && strcmp(ident, "keep") == 0;
    in.drop_identifying = ident != NULL && strcmp(ident, "drop") == 0;
    return survey_dataset_import(req->db, req->app->ws->vault, &req->who, &in,
                                 out, err);
}

int
web_stats_import(struct req *req, struct resp *resp)
{
    struct survey_imported out;
    struct sr_err err = { 0 };
    int rc = do_import(req, req_param(req, "name"), req_param(req, "csv"),
                       req_param(req, "dictionary"),
                       req_param(req, "identifying"), &out, &err);
    if (rc == SR_OK) {
        resp_redirect(resp, arena_printf(req->arena, "/stats/datasets/%lld",
                                         (long long)out.id));
        return SR_OK;
    }
    return form_failed(req, resp, rc, &err, stats_page, status_of(rc));
}

/* ---- /stats/datasets/{id} ----------------------------------------------- */

struct ds_view {
    int is_found;
    int64_t id, n_rows, n_cols, n_dropped, created_at;
    char code[32], sha[65], name[SURVEY_NAME_MAX + 1];
};

static int
keep_dataset(const struct survey_dataset_row *r, void *ctx)
{
    struct ds_view *v = ctx;
    v->is_found = 1;
    v->id = r->id;
    v->n_rows = r->n_rows;
    v->n_cols = r->n_cols;
    v->n_dropped = r->n_dropped;
    v->created_at = r->created_at;
    snprintf(v->code, sizeof v->code, "%s", r->code);
    snprintf(v->sha, sizeof v->sha, "%s", r->sha256);
    snprintf(v->name, sizeof v->name, "%s", r->name);
    return 1;
}

static int
column_row_html(const struct survey_column *col, void *ctx)
{
    struct web_rows *c = ctx;
    HTML_LIT(c->h, "<tr>");
    web_td_num(c->h, (long long)col->position + 1);
    web_td(c->h, col->name);
    web_td(c->h, col->tag);
    web_td(c->h, T(c->req, survey_type_name(col->type)));
    web_td(c->h, col->label);
    web_td(c->h, col->is_identifying ? T(c->req, "Yes") : "");
    web_td_num(c->h, (long long)col->n_missing);
    web_td_num(c->h, (long long)col->n_distinct);
    HTML_LIT(c->h, "</tr>");
    return 0;
}

static int
label_row_html(size_t pos, const char *value, const char *label, void *ctx)
{
    struct web_rows *c = ctx;
    HTML_LIT(c->h, "<tr>");
    web_td_num(c->h, (long long)pos + 1);
    web_td(c->h, value);
    web_td(c->h, label);
    HTML_LIT(c->h, "</tr>");
    c->n_rows++;
    return 0;
}

int
web_stats_dataset(struct req *req, struct resp *resp)
{
    struct ds_view v;
    struct sr_err err = { 0 };
    struct html h;
    char buf[64];
    memset(&v, 0, sizeof v);
    int64_t id = route_id(req);
    int rc = id > 0 ? survey_dataset_get(req->db, &req->who, id, keep_dataset,
                                         &v, &err)
                    : SR_ENOTFOUND;
    sr_err_release(&err);
    if (rc != SR_OK) {
        return web_not_found(req, resp, rc);
    }
    web_page_begin(req, resp, &h, N_("Data set"));
    HTML_LIT(&h, "<h2 id=\"dataset-name\">");
    html_text(&h, v.name);
    HTML_LIT(&h, "</h2><dl class=\"kv\">");
    web_dt_dd(&h, req, N_("Code"), v.code);
    snprintf(buf, sizeof buf, "%lld", (long long)v.n_rows);
    web_dt_dd(&h, req, N_("Rows"), buf);
    snprintf(buf, sizeof buf, "%lld", (long long)v.n_cols);
    web_dt_dd(&h, req, N_("Columns"), buf);
    snprintf(buf, sizeof buf, "%lld", (long long)v.n_dropped);
    web_dt_dd(&h, req, N_("Identifying columns dropped"), buf);
    web_dt_dd(&h, req, N_("SHA-256"), v.sha);
    web_dt_dd_time(&h, req, N_("Imported"), v.created_at);
    HTML_LIT(&h, "</dl><p><a class=\"btn primary\" "
                 "href=\"/stats/analyses/new?dataset=");
    html_printf_text(&h, "%lld", (long long)v.id);
    HTML_LIT(&h, "\">");
    html_text(&h, T(req, "New analysis"));
    HTML_LIT(&h, "</a></p><h3>");
    html_text(&h, T(req, "Data dictionary"));
    HTML_LIT(&h, "</h3>");
    web_table_begin(&h, req, "dictionary", dictionary_cols);
    struct web_rows c = { req, resp, &h, 0 };
    rc = survey_dataset_columns(req->db, &req->who, id, column_row_html, &c,
                                &err);
    HTML_LIT(&h, "</tbody></table></div><h3>");
    html_text(&h, T(req, "Value labels"));
    HTML_LIT(&h, "</h3>");
    web_table_begin(&h, req, NULL, label_cols);
    if (rc == SR_OK) {
        rc = survey_value_labels(req->db, &req->who, id, label_row_html, &c,
                                 &err);
    }
    HTML_LIT(&h, "</tbody></table></div><h3>");
    html_text(&h, T(req, "Analyses"));
    HTML_LIT(&h, "</h3>");
    web_table_begin(&h, req, NULL, analysis_cols);
    if (rc == SR_OK) {
        rc = survey_analysis_list(req->db, &req->who, id, 100,
                                  analysis_row_html, &c, &err);
    }
    HTML_LIT(&h, "</tbody></table></div>");
    if (policy_allows(&req->who, ACT_SURVEY_MANAGE, 0, 0)) {
        HTML_LIT(&h, "<section class=\"card\"><h3>");
        html_text(&h, T(req, "Delete this data set"));
        HTML_LIT(&h, "</h3><form class=\"stack\" method=\"post\" "
                     "action=\"/stats/datasets/");
        html_printf_text(&h, "%lld", (long long)id);
        HTML_LIT(&h, "/delete\">");
        web_csrf_field(req, resp, &h);
        field(&h, req, "del-reason", "reason", N_("Reason"),
              N_("The data are erased; recorded analyses are kept."));
        HTML_LIT(&h, "<div class=\"form-actions\">");
        web_submit_danger(&h, req, N_("Delete"));
        HTML_LIT(&h, "</div></form></section>");
    }
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, 0);
}

int
web_stats_dataset_delete(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    int64_t id = route_id(req);
    int rc =
        id > 0 ? survey_dataset_delete(req->db, req->app->ws->vault, &req->who,
                                       id, req_param(req, "reason"), &err)
               : SR_ENOTFOUND;
    rc = web_write_done(req, resp, rc, &err, "/stats");
    if (rc == SR_OK || rc == SR_EDB) {
        return rc;
    }
    sr_err_release(&err);
    web_error(req, resp, 400, N_("A reason is required."));
    return SR_OK;
}

/* ---- /stats/analyses/new and POST /stats/analyses ---------------------- */

static int
dataset_option(const struct survey_dataset_row *r, void *ctx)
{
    struct web_rows *c = ctx;
    const char *sel = req_param(c->req, "dataset");
    long long want = 0;
    char value[32];
    snprintf(value, sizeof value, "%lld", (long long)r->id);
    web_option(c->h, value,
               arena_printf(c->req->arena, "%s (%s)", r->name, r->code),
               sel != NULL && sr_parse_i64(sel, 1, INT64_MAX, &want) == SR_OK &&
                   want == r->id);
    c->n_rows++;
    return 0;
}

/* one option field of a method form: label msgid and hint msgid */
struct opt_field {
    const char *name, *msgid, *hint;
};

static const struct opt_field prevalence_fields[] = {
    { "outcome", N_("Outcome column (0/1)"), NULL },
    { "by", N_("Subgroups by column"), NULL },
    { "weight", N_("Weight column"), NULL },
    { "strata", N_("Strata column"), NULL },
    { "cluster", N_("Cluster column"), NULL },
    { "level", N_("Confidence level"), N_("Default 0.95.") },
    { NULL, NULL, NULL },
};
static const struct opt_field risk_fields[] = {
    { "outcome", N_("Outcome column (0/1)"), NULL },
    { "predictors", N_("Predictors"),
      N_("Column names, separated by "
         "commas.") },
    { "ref", N_("Reference levels"),
      N_("COLUMN=LEVEL, separated by "
         "commas.") },
    { "categorical", N_("Categorical predictors"), NULL },
    { "weight", N_("Weight column"), NULL },
    { "strata", N_("Strata column"), NULL },
    { "cluster", N_("Cluster column"), NULL },
    { "level", N_("Confidence level"), N_("Default 0.95.") },
    { NULL, NULL, NULL },
};
static const struct opt_field mse_fields[] = {
    { "model", N_("Model choice"),
      N_("models (all hierarchical models, "
         "ranked) or stepwise.") },
    { "max-order", N_("Highest interaction order"), NULL },
    { "rank", N_("Rank by"), N_("bic (default) or aic.") },
    { "boot", N_("Bootstrap replicates"), N_("Stepwise only; 0 = none.") },
    { "level", N_("Confidence level"), N_("Default 0.95.") },
    { NULL, NULL, NULL },
};
static const struct opt_field rds_fields[] = {
    { "trait", N_("Trait column"), NULL },
    { "value", N_("Trait value"), N_("Empty when the column is 0/1.") },
    { "id", N_("Respondent id column"), N_("Default id.") },
    { "recruiter", N_("Recruiter id column"), N_("Default recruiter.id.") },
    { "degree", N_("Network size column"), N_("Default network.size.") },
    { "boot", N_("Bootstrap replicates"), N_("Default 1000.") },
    { "level", N_("Confidence level"), N_("Default 0.95.") },
    { NULL, NULL, NULL },
};

static const struct opt_field *
fields_of(const char *method)
{
    return strcmp(method, "prevalence") == 0 ? prevalence_fields
           : strcmp(method, "risk") == 0     ? risk_fields
           : strcmp(method, "mse") == 0      ? mse_fields
                                             : rds_fields;
}

static int
new_page(struct req *req, struct resp *resp, const char *error, int status)
{
    struct html h;
    struct sr_err err = { 0 };
    struct web_rows c = { req, resp, NULL, 0 };
    web_page_begin(req, resp, &h, N_("New analysis"));
    c.h = &h;
    web_form_error(&h, error);
    int rc = SR_OK;
    for (size_t m = 0; m < 4 && rc == SR_OK; m++) {
        const char *method = method_labels[m].code;
        web_card_begin(&h, req, method_labels[m].msgid);
        HTML_LIT(&h, "<form class=\"stack\" method=\"post\" "
                     "action=\"/stats/analyses\" id=\"run-");
        html_attr(&h, method);
        HTML_LIT(&h, "\">");
        web_csrf_field(req, resp, &h);
        HTML_LIT(&h, "<input type=\"hidden\" name=\"method\" value=\"");
        html_attr(&h, method);
        HTML_LIT(&h, "\"><div class=\"field\"><label for=\"");
        html_attr(&h, method);
        HTML_LIT(&h, "-dataset\">");
        html_text(&h, T(req, "Data set"));
        HTML_LIT(&h, "</label><select name=\"dataset\" id=\"");
        html_attr(&h, method);
        HTML_LIT(&h, "-dataset\">");
        rc = survey_dataset_list(req->db, &req->who, dataset_option, &c, &err);
        HTML_LIT(&h, "</select></div>");
        for (const struct opt_field *f = fields_of(method); f->name != NULL;
             f++) {
            char id[64];
            snprintf(id, sizeof id, "%s-%s", method, f->name);
            field(&h, req, id, f->name, f->msgid, f->hint);
        }
        web_form_actions(&h, req, TC(req, "button", "Run"), NULL);
        HTML_LIT(&h, "</form></section>");
    }
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, status);
}

int
web_stats_new(struct req *req, struct resp *resp)
{
    return new_page(req, resp, NULL, 0);
}

/* the data set named by s: an id, a name or a code; 0 if none */
static int64_t
dataset_ref(struct req *req, const json_t *j, const char *s)
{
    int64_t id = 0;
    long long n;
    if (json_is_integer(j)) {
        return (int64_t)json_integer_value(j);
    }
    if (s == NULL || s[0] == '\0') {
        return 0;
    }
    if (sr_parse_i64(s, 1, INT64_MAX, &n) == SR_OK) {
        return n;
    }
    return survey_dataset_find(req->db, &req->who, s, &id, NULL) == SR_OK ? id
                                                                          : 0;
}

int
web_stats_run(struct req *req, struct resp *resp)
{
    const char *method = req_param(req, "method");
    struct sr_err err = { 0 };
    int64_t id = 0;
    if (method == NULL || !analysis_method_valid(method)) {
        return new_page(req, resp, T(req, "Choose a method."), 400);
    }
    int64_t ds = dataset_ref(req, NULL, req_param(req, "dataset"));
    json_t *opts = json_object();
    const char *const *names = analysis_option_names(method);
    for (size_t i = 0; names[i] != NULL; i++) {
        const char *v = req_param(req, names[i]);
        if (v != NULL && v[0] != '\0') {
            json_object_set_new(opts, names[i], json_string(v));
        }
    }
    int rc = ds > 0
                 ? analysis_run(req->db, req->app->ws->vault, &req->who, method,
                                ds, opts, 0, &id, NULL, &err)
                 : sr_err_set(&err, SR_ENOTFOUND, "dataset: choose a data set");
    json_decref(opts);
    if (rc == SR_OK) {
        resp_redirect(resp, arena_printf(req->arena, "/stats/analyses/%lld",
                                         (long long)id));
        return SR_OK;
    }
    return form_failed(req, resp, rc, &err, new_page,
                       rc == SR_ENOTFOUND ? 400 : status_of(rc));
}

/* ---- /stats/analyses/{id} ----------------------------------------------- */

struct an_view {
    int is_found;
    int64_t id, dataset_id, seed, created_at;
    bool is_live;
    char method[16], sha[65], version[32], code[32];
    char name[SURVEY_NAME_MAX + 1];
    char *options, *result; /* arena copies */
    struct arena *arena;
};

static int
keep_analysis(const struct survey_analysis_row *r, void *ctx)
{
    struct an_view *v = ctx;
    v->is_found = 1;
    v->id = r->id;
    v->dataset_id = r->dataset_id;
    v->seed = r->seed;
    v->created_at = r->created_at;
    v->is_live = r->is_dataset_live;
    snprintf(v->method, sizeof v->method, "%s", r->method);
    snprintf(v->sha, sizeof v->sha, "%s", r->dataset_sha256);
    snprintf(v->version, sizeof v->version, "%s", r->version);
    snprintf(v->code, sizeof v->code, "%s", r->dataset_code);
    snprintf(v->name, sizeof v->name, "%s", r->dataset_name);
    v->options = arena_strdup(v->arena, r->options);
    v->result = arena_strdup(v->arena, r->result);
    return 1;
}

static int
load_analysis(struct req *req, struct an_view *v)
{
    struct sr_err err = { 0 };
    memset(v, 0, sizeof(*v));
    v->arena = req->arena;
    int64_t id = route_id(req);
    int rc = id > 0 ? survey_analysis_get(req->db, &req->who, id, keep_analysis,
                                          v, &err)
                    : SR_ENOTFOUND;
    sr_err_release(&err);
    return rc;
}

/* The head row of a result table: its first row's keys, labelled. */
static void
result_head(struct html *h, struct req *req, const json_t *first)
{
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)first, key, val)
    {
        th(h, key_label(req, key));
    }
    HTML_LIT(h, "</tr></thead><tbody>");
}

/* One row of a result table, numbers in "num" cells. */
static void
result_row(struct html *h, const json_t *row)
{
    const char *key;
    json_t *val;
    HTML_LIT(h, "<tr>");
    json_object_foreach((json_t *)row, key, val)
    {
        if (json_is_number(val)) {
            HTML_LIT(h, "<td class=\"num\">");
        } else {
            HTML_LIT(h, "<td>");
        }
        value_html(h, val);
        HTML_LIT(h, "</td>");
    }
    HTML_LIT(h, "</tr>");
}

static void
result_table(struct html *h, struct req *req, const char *name,
             const json_t *rows)
{
    size_t i;
    json_t *row;
    if (json_array_size(rows) == 0) {
        return;
    }
    HTML_LIT(h, "<h3>");
    html_text(h, key_label(req, name));
    HTML_LIT(h, "</h3>");
    web_table_open(h, "table-", name);
    result_head(h, req, json_array_get(rows, 0));
    json_array_foreach(rows, i, row)
    {
        result_row(h, row);
    }
    HTML_LIT(h, "</tbody></table></div>");
}

static double
jnum(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static void
forest_section(struct html *h, struct req *req, const json_t *coef)
{
    size_t n = json_array_size(coef), k = 0, i;
    json_t *row;
    struct forest_row *rows = arena_alloc(req->arena, (n + 1) * sizeof(*rows));
    json_array_foreach(coef, i, row)
    {
        const char *term = json_string_value(json_object_get(row, "term"));
        if (term == NULL || strcmp(term, "(Intercept)") == 0) {
            continue;
        }
        rows[k].label = term;
        rows[k].est = jnum(row, "odds_ratio");
        rows[k].lo = jnum(row, "wald_lower");
        rows[k].hi = jnum(row, "wald_upper");
        k++;
    }
    if (k == 0) {
        return;
    }
    HTML_LIT(h, "<div class=\"grid\"><figure class=\"chart card\" "
                "id=\"forest\">");
    forest_svg(h, T(req, "Odds ratios with their intervals (log scale)"), rows,
               k);
    HTML_LIT(h, "<figcaption>");
    html_text(h, T(req, "Odds ratios with their intervals (log scale)"));
    HTML_LIT(h, "</figcaption></figure><div class=\"card\">");
    web_table_open(h, "", "forest-table");
    th(h, T(req, "Term"));
    th(h, T(req, "Odds ratio"));
    th(h, T(req, "Lower"));
    th(h, T(req, "Upper"));
    HTML_LIT(h, "</tr></thead><tbody>");
    for (i = 0; i < k; i++) {
        HTML_LIT(h, "<tr>");
        web_td(h, rows[i].label);
        const double v[3] = { rows[i].est, rows[i].lo, rows[i].hi };
        for (int j = 0; j < 3; j++) {
            HTML_LIT(h, "<td class=\"num\">");
            if (isfinite(v[j])) {
                html_printf_text(h, "%.3f", v[j]);
            } else {
                html_text(h, "-");
            }
            HTML_LIT(h, "</td>");
        }
        HTML_LIT(h, "</tr>");
    }
    HTML_LIT(h, "</tbody></table></div></div></div>");
}

int
web_stats_analysis(struct req *req, struct resp *resp)
{
    struct an_view v;
    struct html h;
    char buf[64];
    int rc = load_analysis(req, &v);
    if (rc != SR_OK) {
        return web_not_found(req, resp, rc);
    }
    json_t *res = json_loads(v.result, 0, NULL);
    if (res == NULL) {
        return SR_EINVAL;
    }
    web_page_begin(req, resp, &h, N_("Analysis"));
    HTML_LIT(&h, "<h2>");
    html_text(&h, method_label(req, v.method));
    HTML_LIT(&h, "</h2><dl class=\"kv\" id=\"analysis-record\">");
    web_dt_dd(&h, req, N_("Data set"), v.name);
    web_dt_dd(&h, req, N_("Code"), v.code);
    web_dt_dd(&h, req, N_("SHA-256"), v.sha);
    web_dt_dd(&h, req, N_("Options"), v.options);
    snprintf(buf, sizeof buf, "%lld", (long long)v.seed);
    web_dt_dd(&h, req, N_("Random seed"), buf);
    web_dt_dd(&h, req, N_("SIREN version"), v.version);
    web_dt_dd_time(&h, req, N_("Run"), v.created_at);
    HTML_LIT(&h, "</dl><h3>");
    html_text(&h, T(req, "Summary"));
    HTML_LIT(&h, "</h3><dl class=\"kv\" id=\"result-info\">");
    const char *key;
    json_t *val;
    json_object_foreach(json_object_get(res, "info"), key, val)
    {
        HTML_LIT(&h, "<dt>");
        html_text(&h, key_label(req, key));
        HTML_LIT(&h, "</dt><dd>");
        value_html(&h, val);
        HTML_LIT(&h, "</dd>");
    }
    HTML_LIT(&h, "</dl>");
    const json_t *tables = json_object_get(res, "tables");
    if (strcmp(v.method, "risk") == 0) {
        forest_section(&h, req, json_object_get(tables, "coefficients"));
    }
    json_object_foreach((json_t *)tables, key, val)
    {
        result_table(&h, req, key, val);
    }
    json_decref(res);
    web_page_end(req, resp, &h);
    return SR_OK;
}

/* ---- JSON API ----------------------------------------------------------- */

static int
dataset_json(const struct survey_dataset_row *r, void *ctx)
{
    json_array_append_new(
        ctx,
        json_pack("{s:I,s:s,s:s,s:I,s:I,s:I,s:s,s:I,s:I}", "id",
                  (json_int_t)r->id, "code", r->code, "name", r->name, "rows",
                  (json_int_t)r->n_rows, "columns", (json_int_t)r->n_cols,
                  "dropped", (json_int_t)r->n_dropped, "sha256", r->sha256,
                  "created_at", (json_int_t)r->created_at, "analyses",
                  (json_int_t)r->n_analyses));
    return 0;
}

int
api_datasets(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    json_t *arr = json_array();
    int rc = survey_dataset_list(req->db, &req->who, dataset_json, arr, &err);
    sr_err_release(&err);
    return json_respond_list(resp, rc, "datasets", arr);
}

static json_t *
body_json(struct req *req)
{
    json_t *j =
        json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, NULL);
    if (j != NULL && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

static const char *
jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

int
api_dataset_import(struct req *req, struct resp *resp)
{
    struct survey_imported out;
    struct sr_err err = { 0 };
    json_t *b = body_json(req);
    if (b == NULL) {
        json_error(resp, 400, "body: need a JSON object {name, csv}");
        return SR_OK;
    }
    int rc =
        do_import(req, jstr(b, "name"), jstr(b, "csv"), jstr(b, "dictionary"),
                  jstr(b, "identifying"), &out, &err);
    json_decref(b);
    if (rc == SR_OK) {
        json_respond(resp, 201,
                     json_pack("{s:I,s:s,s:s,s:I,s:I,s:I}", "id",
                               (json_int_t)out.id, "code", out.code, "sha256",
                               out.sha256, "rows", (json_int_t)out.n_rows,
                               "columns", (json_int_t)out.n_cols, "dropped",
                               (json_int_t)out.n_dropped));
    } else if (rc != SR_EDB && rc != SR_ECRYPTO) {
        json_error(resp, status_of(rc), sr_err_msg(&err));
        rc = SR_OK;
    }
    sr_err_release(&err);
    return rc;
}

static json_t *
analysis_json(const struct an_view *v)
{
    json_t *opts = json_loads(v->options, 0, NULL);
    json_t *res = json_loads(v->result, 0, NULL);
    return json_pack(
        "{s:I,s:s,s:{s:I,s:s,s:s,s:b},s:o,s:I,s:s,s:I,s:o}", "id",
        (json_int_t)v->id, "method", v->method, "dataset", "id",
        (json_int_t)v->dataset_id, "code", v->code, "sha256", v->sha, "live",
        v->is_live, "options", opts ? opts : json_object(), "seed",
        (json_int_t)v->seed, "version", v->version, "created_at",
        (json_int_t)v->created_at, "result", res ? res : json_null());
}

int
api_analysis_get(struct req *req, struct resp *resp)
{
    struct an_view v;
    int rc = load_analysis(req, &v);
    if (rc == SR_ENOTFOUND) {
        json_error(resp, 404, "analysis: not found");
        return SR_OK;
    }
    if (rc != SR_OK) {
        return rc;
    }
    json_respond(resp, 200, analysis_json(&v));
    return SR_OK;
}

int
api_analysis_run(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    int64_t id = 0;
    long long seed = 0;
    json_t *b = body_json(req);
    if (b == NULL) {
        json_error(resp, 400,
                   "body: need a JSON object {method, dataset, options}");
        return SR_OK;
    }
    const json_t *ds_j = json_object_get(b, "dataset");
    int64_t ds = dataset_ref(req, ds_j, json_string_value(ds_j));
    const json_t *seed_j = json_object_get(b, "seed");
    int rc = SR_OK;
    if (seed_j != NULL) {
        seed = json_is_integer(seed_j) ? json_integer_value(seed_j) : -1;
        if (seed < 1 || seed > 4294967295LL) {
            rc = sr_err_set(&err, SR_EINVAL,
                            "seed: a whole number from 1 to 4294967295");
        }
    }
    if (rc == SR_OK && ds <= 0) {
        rc = sr_err_set(&err, SR_ENOTFOUND, "dataset: no such data set");
    }
    if (rc == SR_OK) {
        rc = analysis_run(req->db, req->app->ws->vault, &req->who,
                          jstr(b, "method"), ds, json_object_get(b, "options"),
                          (unsigned long)seed, &id, NULL, &err);
    }
    json_decref(b);
    if (rc == SR_EDB || rc == SR_ECRYPTO) {
        sr_err_release(&err);
        return rc;
    }
    if (rc != SR_OK) {
        json_error(resp, status_of(rc), sr_err_msg(&err));
        sr_err_release(&err);
        return SR_OK;
    }
    sr_err_release(&err);
    struct an_view v;
    memset(&v, 0, sizeof v);
    v.arena = req->arena;
    rc = survey_analysis_get(req->db, &req->who, id, keep_analysis, &v, NULL);
    if (rc != SR_OK) {
        return rc;
    }
    json_respond(resp, 201, analysis_json(&v));
    return SR_OK;
}
