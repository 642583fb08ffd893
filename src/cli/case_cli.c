/*
 * case_cli.c - `siren case|person|consent|dup`: call case.c and person.c
 * as the holder of the workspace passphrase, print (cli.c parses).
 *
 * Owns no data. Identity values (names, phones, document numbers,
 * addresses, note text) are read only from files or standard input, never
 * from argv, which other users of the machine can see. Prints codes, not
 * identities, except for `person show --identity`, whose read is audited.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/case_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases/case.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "base/org.h"
#include "base/principal.h"
#include "cases/person.h"
#include "base/vault.h"
#include "base/workspace.h"

#include "core/banned.h"

static int
parse_int(const char *s, long long min, long long max, const char *what,
          long long *out)
{
    if (sr_parse_i64(s, min, max, out) != SR_OK) {
        fprintf(stderr, "siren: %s must be %lld to %lld\n", what, min, max);
        return -1;
    }
    return 0;
}

/* ---- case --------------------------------------------------------------- */

static int
fill_case_input(const struct cli_args *o, struct case_input *in,
                struct sr_err *err)
{
    memset(in, 0, sizeof *in);
    in->traf_status = cli_opt(o, "--trafficking-status");
    in->decided_by = cli_opt(o, "--decided-by");
    in->industry = cli_opt(o, "--industry");
    in->sex_type = cli_opt(o, "--sex-exploitation");
    in->recruit_method = cli_opt(o, "--recruitment-method");
    in->recruit_sites = cli_opt(o, "--recruitment-sites");
    in->recruit_province = cli_opt(o, "--recruit-province");
    in->recruit_date = cli_opt(o, "--recruit-date");
    in->transit_province = cli_opt(o, "--transit-province");
    in->exploit_province = cli_opt(o, "--exploit-province");
    in->exploit_from = cli_opt(o, "--exploit-from");
    in->exploit_to = cli_opt(o, "--exploit-to");
    in->legal_aid_org = cli_opt(o, "--legal-aid");
    int rc = case_parse_bits(case_exploitation, cli_opt(o, "--exploitation"),
                             "exploitation", &in->exploitation, err);
    if (rc == SR_OK) {
        rc = case_parse_bits(case_control_methods, cli_opt(o, "--control"),
                             "control_methods", &in->control_methods, err);
    }
    return rc;
}

static void
print_bits(const char *label, const struct vocab_item *list, uint32_t bits)
{
    printf("%-20s", label);
    cli_print_bits(stdout, list, bits);
    putchar('\n');
}

static int
print_case_line(const struct case_row *r, void *ctx)
{
    (void)ctx;
    char when[16];
    sr_time_text(r->identified_at, 0, SR_TIME_DAY, when, sizeof when);
    printf("%-12s %-16s %-10s %s %3d people%s\n", r->code, r->status,
           r->traf_status, when, r->n_people,
           r->n_retraf > 0 ? "  possible re-trafficking" : "");
    return 0;
}

static int
print_contact(const char *code, void *ctx)
{
    (void)ctx;
    printf(" %s", code);
    return 0;
}

static int
print_person_line(const struct person_row *r, void *ctx)
{
    (void)ctx;
    printf("  %-12s %-12s %-8s %-2s %s%s\n", r->code, r->role,
           r->gender[0] ? r->gender : "-",
           r->citizenship[0] ? r->citizenship : "-",
           r->merged_into[0] ? "merged" : "",
           r->n_cases > 1 ? "possible re-trafficking" : "");
    return 0;
}

static int
print_support(const struct support_row *r, void *ctx)
{
    (void)ctx;
    printf("  %-14s %-12s %-10s %-10s %-12s %s\n", r->service, r->status,
           r->planned_date[0] ? r->planned_date : "-",
           r->actual_date[0] ? r->actual_date : "-",
           r->person_code[0] ? r->person_code : "-", r->provider_name);
    return 0;
}

static int
show_case(const struct case_row *r, void *ctx)
{
    struct db *db = ctx;
    struct sr_err err = { 0 };
    char when[16];
    printf("%-20s%s\n", "code", r->code);
    printf("%-20s%s\n", "organisation", r->org_name);
    printf("%-20s%s%s%s\n", "status", r->status, r->close_reason[0] ? " " : "",
           r->close_reason);
    printf("%-20s%s%s%s\n", "trafficking status", r->traf_status,
           r->decided_by[0] ? " by " : "", r->decided_by);
    sr_time_text(r->identified_at, 0, SR_TIME_DAY, when, sizeof when);
    printf("%-20s%s\n", "identified", when);
    print_bits("exploitation", case_exploitation, r->exploitation);
    print_bits("control methods", case_control_methods, r->control_methods);
    printf("%-20s%s\n", "industry", r->industry[0] ? r->industry : "-");
    printf("%-20s%s\n", "recruitment",
           r->recruit_method[0] ? r->recruit_method : "-");
    printf("%-20s%s %s %s\n", "recruited in", r->recruit_country,
           r->recruit_province, r->recruit_date);
    printf("%-20s%s %s %s..%s\n", "exploited in", r->exploit_country,
           r->exploit_province, r->exploit_from, r->exploit_to);
    sr_time_text(r->legal_aid_from, 0, SR_TIME_DAY, when, sizeof when);
    printf("%-20s%s%s%s\n", "legal aid",
           r->legal_aid_name[0] ? r->legal_aid_name : "-",
           r->legal_aid_name[0] ? " since " : "",
           r->legal_aid_name[0] ? when : "");
    printf("%-20s%s\n", "assigned to",
           r->assigned_name[0] ? r->assigned_name : "-");
    printf("%-20s", "contacts");
    case_contacts(db, r->id, print_contact, NULL, &err);
    printf("\npeople (%d, %d possibly re-trafficked):\n", r->n_people,
           r->n_retraf);
    person_list_for_case(db, r->id, print_person_line, NULL, &err);
    printf("support plan:\n");
    case_support_list(db, r->id, print_support, NULL, &err);
    sr_err_release(&err);
    return 0;
}

int
case_cli_case_open(struct ws *ws, const struct cli_args *o)
{
    struct sr_err err = { 0 };
    int rc = SR_OK;
    const char *contacts = cli_opt(o, "--contacts");
    struct case_input in;
    const char *codes[CASE_MAX_CONTACTS + 1];
    char list[1024];
    size_t n = 0;
    snprintf(list, sizeof list, "%s", contacts ? contacts : "");
    for (char *p = list; *p && n <= CASE_MAX_CONTACTS;) {
        codes[n++] = p;
        char *comma = strchr(p, ',');
        if (comma == NULL) {
            break;
        }
        *comma = '\0';
        p = comma + 1;
    }
    char code[32];
    rc = fill_case_input(o, &in, &err);
    if (rc == SR_OK) {
        rc = case_open(ws->db, ws->vault, &o->who, &in, codes, n, code, NULL,
                       &err);
    }
    if (rc == SR_OK) {
        printf("%s\n", code);
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
case_cli_case_list(struct ws *ws, const struct cli_args *o)
{
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    int rc = SR_OK;
    struct case_filter f = { 0 };
    f.exploitation = -1;
    f.status = cli_opt(o, "--status");
    f.traf_status = cli_opt(o, "--trafficking-status");
    long long v = 50;
    const char *limit = cli_opt(o, "--limit");
    if (limit != NULL && parse_int(limit, 1, 500, "--limit", &v) != 0) {
        return CLI_USAGE;
    }
    f.limit = (int)v;
    printf("%-12s %-16s %-10s %-10s %s\n", "CODE", "STATUS", "TRAFFICKING",
           "IDENTIFIED", "PEOPLE");
    rc = case_list(ws->db, who, &f, print_case_line, NULL, &err);
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
case_cli_case_show(struct ws *ws, const struct cli_args *o)
{
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    int rc = case_get(ws->db, who, o->args[1], show_case, ws->db, &err);
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
case_cli_case_update(struct ws *ws, const struct cli_args *o)
{
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    int rc = SR_OK;
    struct case_input in;
    rc = fill_case_input(o, &in, &err);
    if (rc == SR_OK) {
        rc = case_update(ws->db, ws->vault, who, o->args[1], &in, &err);
    }
    if (rc == SR_OK) {
        printf("%s updated\n", o->args[1]);
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
case_cli_case_status(struct ws *ws, const struct cli_args *o)
{
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    int rc = case_set_status(ws->db, ws->vault, who, o->args[1], o->args[2],
                             cli_opt(o, "--reason"), &err);
    if (rc == SR_OK) {
        printf("%s is %s\n", o->args[1], o->args[2]);
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
case_cli_case_note(struct ws *ws, const struct cli_args *o)
{
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    int rc = SR_OK;
    struct sr_buf text;
    sr_buf_init(&text, 65536);
    if (cli_read_text(cli_opt(o, "--text-file"), &text) != 0) {
        vault_buf_wipe(&text);
        return CLI_FAIL;
    }
    rc = case_note_add(ws->db, ws->vault, who, o->args[1], text.data, &err);
    vault_buf_wipe(&text);
    if (rc == SR_OK) {
        printf("note added to %s\n", o->args[1]);
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
case_cli_case_support(struct ws *ws, const struct cli_args *o)
{
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    int rc = SR_OK;
    struct support_input si = { cli_opt(o, "--service"),
                                cli_opt(o, "--person"),
                                cli_opt(o, "--org"),
                                cli_opt(o, "--planned"),
                                NULL,
                                cli_opt(o, "--status") };
    rc = case_support_add(ws->db, ws->vault, who, o->args[1], &si, &err);
    if (rc == SR_OK) {
        printf("support item added to %s\n", o->args[1]);
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

/* ---- person ------------------------------------------------------------- */

static int
print_case_of(const char *code, const char *role, void *ctx)
{
    (void)ctx;
    printf("  %-12s %s\n", code, role);
    return 0;
}

static int
show_person(const struct person_row *r, void *ctx)
{
    struct db *db = ctx;
    struct sr_err err = { 0 };
    printf("%-16s%s\n", "code", r->code);
    printf("%-16s%s\n", "gender", r->gender[0] ? r->gender : "-");
    if (r->birth_year > 0) {
        printf("%-16s%d\n", "birth year", r->birth_year);
    }
    printf("%-16s%s\n", "citizenship",
           r->citizenship[0] ? r->citizenship : "-");
    if (r->merged_into[0]) {
        printf("%-16s%s\n", "merged into", r->merged_into);
    }
    if (r->n_cases > 1) {
        printf("%-16s%d cases\n", "re-trafficking?", r->n_cases);
    }
    printf("cases:\n");
    person_cases(db, r->id, print_case_of, NULL, &err);
    sr_err_release(&err);
    return 0;
}

int
case_cli_person_add(struct ws *ws, const struct cli_args *o)
{
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    int rc = SR_OK;
    struct person_input in;
    memset(&in, 0, sizeof in);
    in.age_trafficked = -1;
    struct sr_buf name, ident;
    sr_buf_init(&name, 4096);
    sr_buf_init(&ident, 65536);
    int bad = 0;
    if (cli_opt(o, "--identity-file") != NULL) {
        static const char *const keys[] = { "name",   "aliases",   "birth_date",
                                            "phone",  "id_number", "passport",
                                            "address" };
        const char *values[7] = { 0 };
        bad = cli_read_identity_file(cli_opt(o, "--identity-file"), &ident,
                                     keys, values, 7) != 0;
        in.name = values[0];
        in.aliases = values[1];
        in.birth_date = values[2];
        in.phone = values[3];
        in.phone_region = ws->cfg.phone_region;
        in.id_number = values[4];
        in.passport = values[5];
        in.address = values[6];
    }
    if (!bad && cli_opt(o, "--name-file") != NULL) {
        bad = cli_read_text(cli_opt(o, "--name-file"), &name) != 0;
        in.name = name.data;
    }
    long long v;
    if (!bad && cli_opt(o, "--birth-year") != NULL) {
        bad = parse_int(cli_opt(o, "--birth-year"), 1900, 2100, "--birth-year",
                        &v);
        in.birth_year = (int)v;
    }
    if (!bad && cli_opt(o, "--age-trafficked") != NULL) {
        bad = parse_int(cli_opt(o, "--age-trafficked"), 0, 120,
                        "--age-trafficked", &v);
        in.age_trafficked = (int)v;
    }
    if (bad) {
        vault_buf_wipe(&name);
        vault_buf_wipe(&ident);
        return CLI_FAIL;
    }
    in.gender = cli_opt(o, "--gender");
    in.citizenship = cli_opt(o, "--citizenship");
    in.languages = cli_opt(o, "--languages");
    in.education = cli_opt(o, "--education");
    char code[32];
    int n_dups = 0;
    rc = person_add(ws->db, ws->vault, who, o->args[1], cli_opt(o, "--role"),
                    &in, code, NULL, &n_dups, &err);
    vault_buf_wipe(&name);
    vault_buf_wipe(&ident);
    if (rc == SR_OK) {
        printf("%s\n", code);
        if (n_dups > 0) {
            fprintf(stderr,
                    "siren: %d possible duplicate(s): see 'siren dup "
                    "list'\n",
                    n_dups);
        }
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
case_cli_person_show(struct ws *ws, const struct cli_args *o)
{
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    int rc = person_get(ws->db, who, o->args[1], show_person, ws->db, &err);
    if (rc == SR_OK && cli_flag(o, "--identity")) {
        struct person_identity id;
        rc =
            person_identity_read(ws->db, ws->vault, who, o->args[1], &id, &err);
        if (rc == SR_OK) {
            printf("%-16s%s\n%-16s%s\n%-16s%s\n%-16s%s\n%-16s%s\n", "name",
                   id.name.data, "birth date", id.birth_date.data, "phone",
                   id.phone.data, "id number", id.id_number.data, "passport",
                   id.passport.data);
            person_identity_release(&id);
        }
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
case_cli_person_link(struct ws *ws, const struct cli_args *o)
{
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    int rc = person_link(ws->db, ws->vault, who, o->args[1], o->args[2],
                         cli_opt(o, "--role"), &err);
    if (rc == SR_OK) {
        printf("%s linked to %s\n", o->args[2], o->args[1]);
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

/* ---- consent and duplicates --------------------------------------------- */

static int
print_consent(const struct consent_row *r, void *ctx)
{
    (void)ctx;
    char when[16];
    sr_time_text(r->recorded_at, 0, SR_TIME_DAY, when, sizeof when);
    printf("%-16s %-10s %s %s\n", r->purpose, r->state, when,
           r->recorded_by[0] ? r->recorded_by : "-");
    return 0;
}

int
case_cli_consent_set(struct ws *ws, const struct cli_args *o)
{
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    int rc = person_consent_set(ws->db, ws->vault, who, o->args[1],
                                cli_opt(o, "--purpose"), cli_opt(o, "--state"),
                                &err);
    if (rc == SR_OK) {
        printf("%s %s %s\n", o->args[1], cli_opt(o, "--purpose"),
               cli_opt(o, "--state"));
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
case_cli_consent_show(struct ws *ws, const struct cli_args *o)
{
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    int64_t id = 0;
    int rc = person_id(ws->db, who, o->args[1], &id, &err);
    if (rc == SR_OK) {
        rc = person_consent_list(ws->db, id, print_consent, NULL, &err);
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

static int
print_dup(const struct dup_row *r, void *ctx)
{
    (void)ctx;
    printf("%6lld %-12s %-12s %-10s %.3f %s\n", (long long)r->id, r->code_a,
           r->code_b, r->basis, r->score, r->state);
    return 0;
}

int
case_cli_dup_list(struct ws *ws, const struct cli_args *o)
{
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    int rc;
    printf("%6s %-12s %-12s %-10s %-5s %s\n", "ID", "EARLIER", "LATER", "BASIS",
           "SCORE", "STATE");
    const char *state = cli_opt(o, "--state");
    rc = person_dup_list(ws->db, who, state != NULL ? state : "suggested",
                         print_dup, NULL, &err);
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
case_cli_dup_decide(struct ws *ws, const struct cli_args *o)
{
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    int rc;
    long long id;
    if (parse_int(o->args[1], 1, INT64_MAX, "the suggestion id", &id) != 0) {
        return CLI_USAGE;
    }
    int is_confirm = o->args[0][0] == 'c';
    rc = person_dup_decide(ws->db, ws->vault, who, id, is_confirm, &err);
    if (rc == SR_OK) {
        printf("suggestion %lld %s\n", id,
               is_confirm ? "confirmed: merged" : "rejected");
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}
