/*
 * contact_cli.c - `siren contact add|list|show|import|export|delete`.
 *
 * Its rows in commands.c name the options (the contact fields are many);
 * cli.c parses them and opens the workspace; these handlers call
 * contact.c, contact_import.c and contact_export.c.
 * The command line acts as the holder of the workspace passphrase: for
 * scope it acts for the organisation given by --org, or for every
 * organisation (list, show, export) when none is given.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/contact_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <sodium.h>

#include "base/auth.h"
#include "cli/cli.h"
#include "core/csv.h"
#include "hotline/contact.h"
#include "hotline/contact_export.h"
#include "hotline/contact_import.h"
#include "base/org.h"
#include "base/principal.h"
#include "base/vault.h"
#include "base/workspace.h"
#include "core/banned.h"

static int
tz(const struct ws *ws)
{
    int off = 0;
    (void)contact_tz_offset(ws->cfg.timezone, &off);
    return off;
}

static int
keep_user_id(const struct user_row *u, void *ctx)
{
    *(int64_t *)ctx = u->id;
    return 1;
}

/* Read the list filters; CLI_USAGE naming a bad one. */
static int
read_filter(struct ws *ws, const struct cli_args *o, struct contact_filter *f)
{
    memset(f, 0, sizeof *f);
    int off = tz(ws);
    const char *from = cli_opt(o, "--from"), *to = cli_opt(o, "--to");
    if (from && contact_parse_time(from, off, &f->from) != SR_OK) {
        fprintf(stderr, "siren: --from must be YYYY-MM-DD [HH:MM]\n");
        return CLI_USAGE;
    }
    if (to) {
        if (contact_parse_time(to, off, &f->to) != SR_OK) {
            fprintf(stderr, "siren: --to must be YYYY-MM-DD [HH:MM]\n");
            return CLI_USAGE;
        }
        if (strlen(to) == 10) {
            f->to += 86399;
        }
    }
    f->category = cli_opt(o, "--category");
    f->sector = cli_opt(o, "--sector");
    f->province = cli_opt(o, "--province");
    f->language = cli_opt(o, "--language");
    f->channel = cli_opt(o, "--channel");
    const char *issue = cli_opt(o, "--issue");
    if (issue) {
        int k = vocab_find(contact_issues, issue);
        if (k < 0) {
            fprintf(stderr, "siren: --issue: not one of the allowed "
                            "values\n");
            return CLI_USAGE;
        }
        f->issues = 1u << k;
    }
    const char *danger = cli_opt(o, "--danger");
    if (danger) {
        if (strcmp(danger, "yes") == 0) {
            f->danger = 1;
        } else if (strcmp(danger, "no") == 0) {
            f->danger = 2;
        } else {
            fprintf(stderr, "siren: --danger must be yes or no\n");
            return CLI_USAGE;
        }
    }
    const char *op = cli_opt(o, "--operator");
    if (op) {
        struct sr_err err = { 0 };
        f->operator_id = -1;
        if (user_get(ws->db, 0, op, keep_user_id, &f->operator_id, &err) !=
            SR_OK) {
            sr_err_release(&err);
            fprintf(stderr, "siren: --operator: no such user\n");
            return CLI_USAGE;
        }
    }
    long long v;
    const char *limit = cli_opt(o, "--limit");
    if (limit) {
        if (sr_parse_i64(limit, 1, CONTACT_MAX_PAGE, &v) != SR_OK) {
            fprintf(stderr, "siren: --limit must be 1 to %d\n",
                    CONTACT_MAX_PAGE);
            return CLI_USAGE;
        }
        f->limit = (int)v;
    }
    const char *after = cli_opt(o, "--after");
    if (after) {
        char at[32];
        const char *sep = strchr(after, '_');
        long long id;
        if (sep == NULL || (size_t)(sep - after) >= sizeof at) {
            fprintf(stderr, "siren: --after must be the cursor printed by "
                            "the last page\n");
            return CLI_USAGE;
        }
        memcpy(at, after, (size_t)(sep - after));
        at[sep - after] = '\0';
        if (sr_parse_i64(at, INT64_MIN, INT64_MAX, &v) != SR_OK ||
            sr_parse_i64(sep + 1, 1, INT64_MAX, &id) != SR_OK) {
            fprintf(stderr, "siren: --after must be the cursor printed by "
                            "the last page\n");
            return CLI_USAGE;
        }
        f->before_at = v;
        f->before_id = id;
    }
    return CLI_OK;
}

/* ---- add ---------------------------------------------------------------- */

static int
codes_bits(const char *s, const struct vocab_item *list, uint32_t *out)
{
    char buf[1024];
    uint32_t bits = 0;
    snprintf(buf, sizeof buf, "%s", s ? s : "");
    for (char *p = buf; *p;) {
        size_t n = strcspn(p, ";,| ");
        char save = p[n];
        p[n] = '\0';
        if (n > 0) {
            int k = vocab_find(list, p);
            if (k < 0) {
                return -1;
            }
            bits |= 1u << k;
        }
        p[n] = save;
        p += n + (save != '\0');
    }
    *out = bits;
    return 0;
}

int
contact_cli_add(struct ws *ws, const struct cli_args *o)
{
    struct contact_input in;
    memset(&in, 0, sizeof in);
    const char *at = cli_opt(o, "--at");
    if (at && contact_parse_time(at, tz(ws), &in.received_at) != SR_OK) {
        fprintf(stderr, "siren: --at must be YYYY-MM-DD HH:MM\n");
        return CLI_USAGE;
    }
    in.channel = cli_opt(o, "--channel");
    in.language = cli_opt(o, "--language");
    in.caller_type = cli_opt(o, "--caller-type");
    in.phone_region = ws->cfg.phone_region;
    in.caller_country = cli_opt(o, "--caller-country");
    in.caller_province = cli_opt(o, "--caller-province");
    in.problem_country = cli_opt(o, "--problem-country");
    in.problem_province = cli_opt(o, "--problem-province");
    in.category = cli_opt(o, "--category");
    in.sector = cli_opt(o, "--sector");
    if (codes_bits(cli_opt(o, "--issues"), contact_issues, &in.issues) != 0) {
        fprintf(stderr, "siren: issues: not one of the allowed values\n");
        return CLI_FAIL;
    }
    uint32_t consent = 0;
    if (codes_bits(cli_opt(o, "--consent"), contact_cli_consent_names,
                   &consent) != 0) {
        fprintf(stderr, "siren: consent: must be ngo, police or research\n");
        return CLI_FAIL;
    }
    in.consent = (int)consent;
    long long v;
    in.n_affected = 1;
    if ((cli_opt(o, "--affected") != NULL)) {
        if (sr_parse_i64(cli_opt(o, "--affected"), 0, 100000, &v) != SR_OK) {
            fprintf(stderr, "siren: n_affected: must be 0 to 100000\n");
            return CLI_FAIL;
        }
        in.n_affected = (int)v;
    }
    if ((cli_opt(o, "--duration-s") != NULL)) {
        if (sr_parse_i64(cli_opt(o, "--duration-s"), 0, 86400, &v) != SR_OK) {
            fprintf(stderr, "siren: duration_s: must be 0 to 86400\n");
            return CLI_FAIL;
        }
        in.duration_s = (int)v;
    }
    const char *danger = cli_opt(o, "--danger");
    if (danger && strcmp(danger, "yes") != 0 && strcmp(danger, "no") != 0) {
        fprintf(stderr, "siren: danger: must be yes or no\n");
        return CLI_FAIL;
    }
    in.is_danger = danger && strcmp(danger, "yes") == 0;
    /* identity fields only from a file or standard input, never argv */
    static const char *const id_keys[] = { "phone",         "caller_place",
                                           "problem_place", "summary",
                                           "needs",         "action_taken" };
    const char *id_values[6] = { 0 };
    struct sr_buf ident;
    sr_buf_init(&ident, 65536);
    if ((cli_opt(o, "--identity-file") != NULL) &&
        cli_read_identity_file(cli_opt(o, "--identity-file"), &ident, id_keys,
                               id_values, 6) != 0) {
        vault_buf_wipe(&ident);
        return CLI_FAIL;
    }
    in.caller_phone = id_values[0];
    in.caller_place = id_values[1];
    in.problem_place = id_values[2];
    in.summary = id_values[3];
    in.needs = id_values[4];
    in.action_taken = id_values[5];
    struct sr_err err = { 0 };
    char code[32];
    int created =
        contact_create(ws->db, ws->vault, &o->who, &in, NULL, code, NULL, &err);
    vault_buf_wipe(&ident);
    if (created != SR_OK) {
        return cli_fail(&err);
    }
    printf("%s\n", code);
    return CLI_OK;
}

/* ---- list --------------------------------------------------------------- */

enum fmt { FMT_TEXT, FMT_CSV, FMT_JSON };

struct list_ctx {
    enum fmt fmt;
    int tz;
    json_t *rows;
};

/* The texts of a contact row that are not stored as text. */
struct row_text {
    char when[32];    /* received_at in the workspace's zone */
    char issues[512]; /* the issue codes, ';'-separated */
};

static struct row_text
row_text(const struct contact_row *r, int tz)
{
    struct row_text t;
    contact_format_time(r->received_at, tz, t.when, sizeof t.when);
    size_t n = 0;
    t.issues[0] = '\0';
    for (int i = 0; contact_issues[i].code != NULL && n < sizeof t.issues;
         i++) {
        if (r->issues & (1u << i)) {
            n += (size_t)snprintf(t.issues + n, sizeof t.issues - n, "%s%s",
                                  n ? ";" : "", contact_issues[i].code);
        }
    }
    return t;
}

static int
print_row(const struct contact_row *r, void *ctx)
{
    struct list_ctx *c = ctx;
    const struct row_text t = row_text(r, c->tz);
    if (c->fmt == FMT_TEXT) {
        printf("%-12s %-16s %-10s %-4s %-16s %-18s %-7s %-3s %s\n", r->code,
               t.when, r->channel, r->language, r->category,
               r->sector[0] ? r->sector : "-",
               r->problem_province[0] ? r->problem_province : "-",
               r->is_danger ? "yes" : "no",
               r->operator_name[0] ? r->operator_name : "-");
    } else if (c->fmt == FMT_CSV) {
        const char *cells[] = { r->code,
                                t.when,
                                r->channel,
                                r->language,
                                r->category,
                                t.issues,
                                r->sector,
                                r->problem_province,
                                r->is_danger ? "yes" : "no",
                                r->operator_name };
        struct sr_csv w;
        sr_csv_init_file(&w, stdout, SR_CSV_CRLF | SR_CSV_QUOTE_ALL);
        sr_csv_row(&w, cells, sizeof cells / sizeof cells[0]);
    } else {
        json_array_append_new(
            c->rows,
            json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
                      " s:s, s:b, s:i, s:s}",
                      "code", r->code, "received", t.when, "received_at",
                      (json_int_t)r->received_at, "channel", r->channel,
                      "language", r->language, "caller_type", r->caller_type,
                      "category", r->category, "issues", t.issues, "sector",
                      r->sector, "problem_country", r->problem_country,
                      "problem_province", r->problem_province, "danger",
                      r->is_danger, "n_affected", r->n_affected, "operator",
                      r->operator_name));
    }
    return 0;
}

int
contact_cli_list(struct ws *ws, const struct cli_args *o)
{
    struct contact_filter f;
    int rc = read_filter(ws, o, &f);
    if (rc != CLI_OK) {
        return rc;
    }
    struct list_ctx c = { FMT_TEXT, tz(ws), NULL };
    const char *fmt = cli_opt(o, "--format");
    if (fmt == NULL || strcmp(fmt, "text") == 0) {
        c.fmt = FMT_TEXT;
        printf("%-12s %-16s %-10s %-4s %-16s %-18s %-7s %-3s %s\n", "CODE",
               "RECEIVED", "CHANNEL", "LANG", "CATEGORY", "SECTOR", "PROV",
               "DGR", "OPERATOR");
    } else if (strcmp(fmt, "csv") == 0) {
        c.fmt = FMT_CSV;
        const char *h[] = { "code",     "received_at",      "channel",
                            "language", "category",         "issues",
                            "sector",   "problem_province", "danger",
                            "operator" };
        struct sr_csv w;
        sr_csv_init_file(&w, stdout, SR_CSV_CRLF | SR_CSV_QUOTE_ALL);
        sr_csv_row(&w, h, sizeof h / sizeof h[0]);
    } else if (strcmp(fmt, "json") == 0) {
        c.fmt = FMT_JSON;
        c.rows = json_array();
    } else {
        fprintf(stderr, "siren: --format must be text, csv or json\n");
        return CLI_USAGE;
    }
    struct contact_cursor next;
    struct sr_err err = { 0 };
    rc = contact_list(ws->db, &o->who, &f, print_row, &c, &next, &err);
    if (rc != SR_OK) {
        json_decref(c.rows);
        return cli_fail(&err);
    }
    char cursor[64] = "";
    if (next.has_more) {
        snprintf(cursor, sizeof cursor, "%lld_%lld", (long long)next.at,
                 (long long)next.id);
    }
    if (c.fmt == FMT_JSON) {
        json_t *root = json_pack("{s:o, s:s?}", "contacts", c.rows, "next",
                                 next.has_more ? cursor : NULL);
        json_dumpf(root, stdout, JSON_INDENT(1));
        fputc('\n', stdout);
        json_decref(root);
    } else if (c.fmt == FMT_TEXT && next.has_more) {
        printf("more: --after %s\n", cursor);
    }
    return CLI_OK;
}

/* ---- show --------------------------------------------------------------- */

struct show_ctx {
    int tz;
    int64_t id;
};

static int
show_row(const struct contact_row *r, void *ctx)
{
    struct show_ctx *c = ctx;
    const struct row_text t = row_text(r, c->tz);
    c->id = r->id;
    printf("code              %s\nreceived_at       %s\nchannel           "
           "%s\nlanguage          %s\ncaller_type       %s\n"
           "caller_country    %s\ncaller_province   %s\n"
           "problem_country   %s\nproblem_province  %s\n"
           "category          %s\nissues            %s\n"
           "sector            %s\nn_affected        %d\n"
           "danger            %s\nduration_s        %d\nconsent           "
           "%d\noperator          %s\n",
           r->code, t.when, r->channel, r->language, r->caller_type,
           r->caller_country, r->caller_province, r->problem_country,
           r->problem_province, r->category, t.issues, r->sector, r->n_affected,
           r->is_danger ? "yes" : "no", r->duration_s, r->consent,
           r->operator_name[0] ? r->operator_name : "-");
    return 1;
}

int
contact_cli_show(struct ws *ws, const struct cli_args *o)
{
    struct show_ctx c = { tz(ws), 0 };
    struct sr_err err = { 0 };
    if (contact_get(ws->db, &o->who, o->args[1], show_row, &c, &err) != SR_OK) {
        return cli_fail(&err);
    }
    if (cli_flag(o, "--identity")) {
        struct contact_identity idn;
        if (contact_identity_read(ws->db, ws->vault, &o->who, c.id, &idn,
                                  &err) != SR_OK) {
            return cli_fail(&err);
        }
        printf("caller_phone      %s\ncaller_place      %s\n"
               "problem_place     %s\nsummary           %s\n"
               "needs             %s\naction_taken      %s\n",
               idn.phone.data, idn.caller_place.data, idn.problem_place.data,
               idn.summary.data, idn.needs.data, idn.action_taken.data);
        contact_identity_release(&idn);
    }
    return CLI_OK;
}

/* ---- import ------------------------------------------------------------- */

struct sink_ctx {
    FILE *reject;
    const char *const *header;
    size_t n_header;
    int has_header_out;
};

static void
print_error(int64_t line, const char *column, const char *msg, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "line %lld%s%s: %s\n", (long long)line,
            column[0] ? ", column " : "", column, msg);
}

static void
keep_header(const char *const *cells, size_t n, void *ctx)
{
    struct sink_ctx *c = ctx;
    if (c->reject == NULL) {
        return;
    }
    struct sr_csv w;
    sr_csv_init_file(&w, c->reject, SR_CSV_CRLF | SR_CSV_QUOTE_ALL);
    for (size_t i = 0; i < n; i++) {
        sr_csv_text(&w, cells[i]);
    }
    sr_csv_text(&w, "line");
    sr_csv_text(&w, "reason");
    sr_csv_end_row(&w);
}

static void
write_reject(int64_t line, const char *const *cells, size_t n,
             const char *reasons, void *ctx)
{
    struct sink_ctx *c = ctx;
    char num[32];
    if (c->reject == NULL) {
        return;
    }
    struct sr_csv w;
    sr_csv_init_file(&w, c->reject, SR_CSV_CRLF | SR_CSV_QUOTE_ALL);
    for (size_t i = 0; i < n; i++) {
        sr_csv_text(&w, cells[i]);
    }
    snprintf(num, sizeof num, "%lld", (long long)line);
    sr_csv_text(&w, num);
    sr_csv_text(&w, reasons);
    sr_csv_end_row(&w);
}

int
contact_cli_import(struct ws *ws, const struct cli_args *o)
{
    struct import_opts io = { cli_flag(o, "--skip-invalid"), tz(ws), 0,
                              ws->cfg.phone_region };
    long long v;
    if ((cli_opt(o, "--batch") != NULL)) {
        if (sr_parse_i64(cli_opt(o, "--batch"), 1, 100000, &v) != SR_OK) {
            fprintf(stderr, "siren: --batch must be 1 to 100000\n");
            return CLI_USAGE;
        }
        io.batch_rows = (int)v;
    }
    if ((cli_opt(o, "--reject-file") != NULL) && !io.is_skip_invalid) {
        fprintf(stderr, "siren: --reject-file goes with --skip-invalid\n");
        return CLI_USAGE;
    }
    FILE *f = fopen(o->args[1], "r");
    if (f == NULL) {
        fprintf(stderr, "siren: cannot read '%s'\n", o->args[1]);
        return CLI_FAIL;
    }
    struct sink_ctx sc = { NULL, NULL, 0, 0 };
    if ((cli_opt(o, "--reject-file") != NULL)) {
        /* the rejected rows hold identities: owner-only */
        mode_t old = umask(077);
        sc.reject = fopen(cli_opt(o, "--reject-file"), "w");
        umask(old);
        if (sc.reject == NULL) {
            fclose(f);
            fprintf(stderr, "siren: cannot write the reject file\n");
            return CLI_FAIL;
        }
    }
    struct import_sink sink = { print_error, keep_header, write_reject, &sc };
    struct import_report rep;
    struct sr_err err = { 0 };
    int rc =
        contact_import(ws->db, ws->vault, &o->who, f, &io, &sink, &rep, &err);
    fclose(f);
    if (sc.reject != NULL && fclose(sc.reject) != 0 && rc == SR_OK) {
        rc = sr_err_set(&err, SR_EIO, "cannot write the reject file");
    }
    if (rep.n_errors > IMPORT_MAX_ERRORS) {
        fprintf(stderr, "(%lld more errors not shown)\n",
                (long long)(rep.n_errors - IMPORT_MAX_ERRORS));
    }
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    printf("rows %lld, imported %lld, already there %lld, rejected %lld%s\n",
           (long long)rep.n_rows, (long long)rep.n_created,
           (long long)rep.n_dup, (long long)rep.n_invalid,
           rep.has_hxl ? " (HXL tags)" : "");
    return CLI_OK;
}

/* ---- export ------------------------------------------------------------- */

int
contact_cli_export(struct ws *ws, const struct cli_args *o)
{
    struct contact_filter f;
    int rc = read_filter(ws, o, &f);
    if (rc != CLI_OK) {
        return rc;
    }
    const char *fmt = cli_opt(o, "--format");
    enum export_format ef = EXPORT_CSV;
    if (fmt != NULL && strcmp(fmt, "xlsx") == 0) {
        ef = EXPORT_XLSX;
    } else if (fmt != NULL && strcmp(fmt, "csv") != 0) {
        fprintf(stderr, "siren: --format must be csv or xlsx\n");
        return CLI_USAGE;
    }
    const char *out = cli_opt(o, "--out") ? cli_opt(o, "--out") : "-";
    int64_t n = 0;
    struct sr_err err = { 0 };
    mode_t old = umask(077);
    rc = contact_export(ws->db, ws->vault, &o->who, &f,
                        cli_flag(o, "--identity"), ef, out, tz(ws), &n, &err);
    umask(old);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    if (strcmp(out, "-") != 0) {
        printf("exported %lld contacts to %s\n", (long long)n, out);
    }
    return CLI_OK;
}

/* ---- delete ------------------------------------------------------------- */

int
contact_cli_delete(struct ws *ws, const struct cli_args *o)
{
    struct sr_err err = { 0 };
    if (contact_delete(ws->db, ws->vault, &o->who, o->args[1],
                       cli_opt(o, "--reason"), &err) != SR_OK) {
        return cli_fail(&err);
    }
    printf("%s deleted\n", o->args[1]);
    return CLI_OK;
}
