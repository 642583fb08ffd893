/*
 * case_cli.c - `siren case|person|consent|dup`: parse, call case.c and
 * person.c as the holder of the workspace passphrase, print.
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
#include "base/org.h"
#include "base/principal.h"
#include "cases/person.h"
#include "base/vault.h"
#include "base/workspace.h"

#include "core/banned.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

#define MAX_ARGS 8

struct copts {
    const char *ws, *pass_file, *org, *contacts, *status, *reason;
    const char *traf_status, *decided_by, *exploitation, *industry;
    const char *sex_type, *control, *recruit_method, *recruit_sites;
    const char *recruit_province, *recruit_date, *transit_province;
    const char *exploit_province, *exploit_from, *exploit_to, *legal_aid;
    const char *role, *name_file, *identity_file, *gender, *birth_year;
    const char *age, *citizenship, *languages, *education, *purpose;
    const char *state, *limit, *text_file, *service, *person, *planned;
    int has_identity;
    const char *args[MAX_ARGS];
    int n_args;
};

#define COPT(n, f) CLI_OPT(struct copts, n, f)
static const struct cli_option specs[] = {
    CLI_FLAG(struct copts, "--identity", has_identity),
    COPT("-w", ws),
    COPT("--workspace", ws),
    COPT("--passphrase-file", pass_file),
    COPT("--org", org),
    COPT("--contacts", contacts),
    COPT("--status", status),
    COPT("--reason", reason),
    COPT("--trafficking-status", traf_status),
    COPT("--decided-by", decided_by),
    COPT("--exploitation", exploitation),
    COPT("--industry", industry),
    COPT("--sex-exploitation", sex_type),
    COPT("--control", control),
    COPT("--recruitment-method", recruit_method),
    COPT("--recruitment-sites", recruit_sites),
    COPT("--recruit-province", recruit_province),
    COPT("--recruit-date", recruit_date),
    COPT("--transit-province", transit_province),
    COPT("--exploit-province", exploit_province),
    COPT("--exploit-from", exploit_from),
    COPT("--exploit-to", exploit_to),
    COPT("--legal-aid", legal_aid),
    COPT("--role", role),
    COPT("--name-file", name_file),
    COPT("--identity-file", identity_file),
    COPT("--gender", gender),
    COPT("--birth-year", birth_year),
    COPT("--age-trafficked", age),
    COPT("--citizenship", citizenship),
    COPT("--languages", languages),
    COPT("--education", education),
    COPT("--purpose", purpose),
    COPT("--state", state),
    COPT("--limit", limit),
    COPT("--text-file", text_file),
    COPT("--service", service),
    COPT("--person", person),
    COPT("--planned", planned),
};

static int
parse(int argc, char **argv, struct copts *o)
{
    return cli_parse_options(argc, argv, specs, sizeof specs / sizeof specs[0],
                             o, sizeof *o, o->args, MAX_ARGS, &o->n_args);
}

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
fill_case_input(const struct copts *o, struct case_input *in,
                struct sr_err *err)
{
    memset(in, 0, sizeof *in);
    in->traf_status = o->traf_status;
    in->decided_by = o->decided_by;
    in->industry = o->industry;
    in->sex_type = o->sex_type;
    in->recruit_method = o->recruit_method;
    in->recruit_sites = o->recruit_sites;
    in->recruit_province = o->recruit_province;
    in->recruit_date = o->recruit_date;
    in->transit_province = o->transit_province;
    in->exploit_province = o->exploit_province;
    in->exploit_from = o->exploit_from;
    in->exploit_to = o->exploit_to;
    in->legal_aid_org = o->legal_aid;
    int rc = case_parse_bits(case_exploitation, o->exploitation, "exploitation",
                             &in->exploitation, err);
    if (rc == SR_OK) {
        rc = case_parse_bits(case_control_methods, o->control,
                             "control_methods", &in->control_methods, err);
    }
    return rc;
}

static void
print_date(int64_t t, char *out, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t <= 0 || gmtime_r(&tt, &tm) == NULL) {
        snprintf(out, size, "-");
        return;
    }
    strftime(out, size, "%Y-%m-%d", &tm);
}

static void
print_bits(const char *label, const struct vocab_item *list, uint32_t bits)
{
    printf("%-20s", label);
    int any = 0;
    for (int i = 0; list[i].code != NULL; i++) {
        if (bits & ((uint32_t)1 << i)) {
            printf("%s%s", any ? "," : "", list[i].code);
            any = 1;
        }
    }
    printf("%s\n", any ? "" : "-");
}

static int
print_case_line(const struct case_row *r, void *ctx)
{
    (void)ctx;
    char when[16];
    print_date(r->identified_at, when, sizeof when);
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
    print_date(r->identified_at, when, sizeof when);
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
    print_date(r->legal_aid_from, when, sizeof when);
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

static int
case_cmd(struct ws *ws, struct copts *o)
{
    const char *sub = o->n_args > 0 ? o->args[0] : "";
    struct principal who = principal_local();
    struct sr_err err = { 0 };
    int rc = SR_OK;
    if (strcmp(sub, "open") == 0) {
        if (o->org == NULL) {
            fprintf(stderr, "siren: case open needs --org CODE\n");
            return EXIT_USAGE;
        }
        if (org_id_by_code(ws->db, o->org, &who.org_id, &err) != SR_OK) {
            return cli_fail(&err);
        }
        struct case_input in;
        const char *codes[CASE_MAX_CONTACTS + 1];
        char list[1024];
        size_t n = 0;
        snprintf(list, sizeof list, "%s", o->contacts ? o->contacts : "");
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
            rc = case_open(ws->db, ws->vault, &who, &in, codes, n, code, NULL,
                           &err);
        }
        if (rc == SR_OK) {
            printf("%s\n", code);
        }
    } else if (strcmp(sub, "list") == 0) {
        struct case_filter f = { 0 };
        f.exploitation = -1;
        f.status = o->status;
        f.traf_status = o->traf_status;
        long long v = 50;
        if (o->limit != NULL &&
            parse_int(o->limit, 1, 500, "--limit", &v) != 0) {
            return EXIT_USAGE;
        }
        f.limit = (int)v;
        printf("%-12s %-16s %-10s %-10s %s\n", "CODE", "STATUS", "TRAFFICKING",
               "IDENTIFIED", "PEOPLE");
        rc = case_list(ws->db, &who, &f, print_case_line, NULL, &err);
    } else if (strcmp(sub, "show") == 0 && o->n_args == 2) {
        rc = case_get(ws->db, &who, o->args[1], show_case, ws->db, &err);
    } else if (strcmp(sub, "update") == 0 && o->n_args == 2) {
        struct case_input in;
        rc = fill_case_input(o, &in, &err);
        if (rc == SR_OK) {
            rc = case_update(ws->db, ws->vault, &who, o->args[1], &in, &err);
        }
        if (rc == SR_OK) {
            printf("%s updated\n", o->args[1]);
        }
    } else if (strcmp(sub, "status") == 0 && o->n_args == 3) {
        rc = case_set_status(ws->db, ws->vault, &who, o->args[1], o->args[2],
                             o->reason, &err);
        if (rc == SR_OK) {
            printf("%s is %s\n", o->args[1], o->args[2]);
        }
    } else if (strcmp(sub, "note") == 0 && o->n_args == 2 &&
               o->text_file != NULL) {
        struct sr_buf text;
        sr_buf_init(&text, 65536);
        if (cli_read_text(o->text_file, &text) != 0) {
            vault_buf_wipe(&text);
            return EXIT_FAIL;
        }
        rc =
            case_note_add(ws->db, ws->vault, &who, o->args[1], text.data, &err);
        vault_buf_wipe(&text);
        if (rc == SR_OK) {
            printf("note added to %s\n", o->args[1]);
        }
    } else if (strcmp(sub, "support") == 0 && o->n_args == 2) {
        struct support_input si = { o->service, o->person, o->org,
                                    o->planned, NULL,      o->status };
        rc = case_support_add(ws->db, ws->vault, &who, o->args[1], &si, &err);
        if (rc == SR_OK) {
            printf("support item added to %s\n", o->args[1]);
        }
    } else {
        fprintf(stderr,
                "usage: siren case open --org CODE [--contacts C1,C2] "
                "[--trafficking-status S] [--exploitation A,B] ...\n"
                "       siren case list [--status S] [--limit N]\n"
                "       siren case show CODE\n"
                "       siren case update CODE [attributes as for open]\n"
                "       siren case status CODE STATUS [--reason R]\n"
                "       siren case note CODE --text-file F|-\n"
                "       siren case support CODE --service S [--person P] "
                "[--org PROVIDER] [--planned DATE] [--status S]\n");
        return EXIT_USAGE;
    }
    return rc == SR_OK ? EXIT_OK : cli_fail(&err);
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

static int
person_cmd(struct ws *ws, struct copts *o)
{
    const char *sub = o->n_args > 0 ? o->args[0] : "";
    struct principal who = principal_local();
    struct sr_err err = { 0 };
    int rc = SR_OK;
    if (strcmp(sub, "add") == 0 && o->n_args == 2 && o->role != NULL) {
        struct person_input in;
        memset(&in, 0, sizeof in);
        in.age_trafficked = -1;
        struct sr_buf name, ident;
        sr_buf_init(&name, 4096);
        sr_buf_init(&ident, 65536);
        int bad = 0;
        if (o->identity_file != NULL) {
            static const char *const keys[] = { "name",       "aliases",
                                                "birth_date", "phone",
                                                "id_number",  "passport",
                                                "address" };
            const char *values[7] = { 0 };
            bad = cli_read_identity_file(o->identity_file, &ident, keys, values,
                                         7) != 0;
            in.name = values[0];
            in.aliases = values[1];
            in.birth_date = values[2];
            in.phone = values[3];
            in.id_number = values[4];
            in.passport = values[5];
            in.address = values[6];
        }
        if (!bad && o->name_file != NULL) {
            bad = cli_read_text(o->name_file, &name) != 0;
            in.name = name.data;
        }
        long long v;
        if (!bad && o->birth_year != NULL) {
            bad = parse_int(o->birth_year, 1900, 2100, "--birth-year", &v);
            in.birth_year = (int)v;
        }
        if (!bad && o->age != NULL) {
            bad = parse_int(o->age, 0, 120, "--age-trafficked", &v);
            in.age_trafficked = (int)v;
        }
        if (bad) {
            vault_buf_wipe(&name);
            vault_buf_wipe(&ident);
            return EXIT_FAIL;
        }
        in.gender = o->gender;
        in.citizenship = o->citizenship;
        in.languages = o->languages;
        in.education = o->education;
        char code[32];
        int n_dups = 0;
        rc = person_add(ws->db, ws->vault, &who, o->args[1], o->role, &in, code,
                        NULL, &n_dups, &err);
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
    } else if (strcmp(sub, "show") == 0 && o->n_args == 2) {
        rc = person_get(ws->db, &who, o->args[1], show_person, ws->db, &err);
        if (rc == SR_OK && o->has_identity) {
            struct person_identity id;
            rc = person_identity_read(ws->db, ws->vault, &who, o->args[1], &id,
                                      &err);
            if (rc == SR_OK) {
                printf("%-16s%s\n%-16s%s\n%-16s%s\n%-16s%s\n%-16s%s\n", "name",
                       id.name.data, "birth date", id.birth_date.data, "phone",
                       id.phone.data, "id number", id.id_number.data,
                       "passport", id.passport.data);
                person_identity_release(&id);
            }
        }
    } else if (strcmp(sub, "link") == 0 && o->n_args == 3 && o->role) {
        rc = person_link(ws->db, ws->vault, &who, o->args[1], o->args[2],
                         o->role, &err);
        if (rc == SR_OK) {
            printf("%s linked to %s\n", o->args[2], o->args[1]);
        }
    } else {
        fprintf(stderr,
                "usage: siren person add CASE --role ROLE [--name-file F|-] "
                "[--identity-file F|-]\n"
                "            [--gender G] [--birth-year Y] "
                "[--age-trafficked N] [--citizenship CC]\n"
                "            [--languages L1,L2] [--education E]\n"
                "       siren person show CODE [--identity]\n"
                "       siren person link CASE PERSON --role ROLE\n"
                "An identity file has lines key=value with keys name, "
                "aliases, birth_date,\nphone, id_number, passport, address "
                "(never give identities on the command line).\n");
        return EXIT_USAGE;
    }
    return rc == SR_OK ? EXIT_OK : cli_fail(&err);
}

/* ---- consent and duplicates --------------------------------------------- */

static int
print_consent(const struct consent_row *r, void *ctx)
{
    (void)ctx;
    char when[16];
    print_date(r->recorded_at, when, sizeof when);
    printf("%-16s %-10s %s %s\n", r->purpose, r->state, when,
           r->recorded_by[0] ? r->recorded_by : "-");
    return 0;
}

struct pid {
    int64_t id;
};

static int
keep_pid(const struct person_row *r, void *ctx)
{
    ((struct pid *)ctx)->id = r->id;
    return 0;
}

static int
consent_cmd(struct ws *ws, struct copts *o)
{
    const char *sub = o->n_args > 0 ? o->args[0] : "";
    struct principal who = principal_local();
    struct sr_err err = { 0 };
    int rc;
    if (strcmp(sub, "set") == 0 && o->n_args == 2 && o->purpose != NULL &&
        o->state != NULL) {
        rc = person_consent_set(ws->db, ws->vault, &who, o->args[1], o->purpose,
                                o->state, &err);
        if (rc == SR_OK) {
            printf("%s %s %s\n", o->args[1], o->purpose, o->state);
        }
    } else if (strcmp(sub, "show") == 0 && o->n_args == 2) {
        struct pid p = { 0 };
        rc = person_get(ws->db, &who, o->args[1], keep_pid, &p, &err);
        if (rc == SR_OK) {
            rc = person_consent_list(ws->db, p.id, print_consent, NULL, &err);
        }
    } else {
        fprintf(stderr,
                "usage: siren consent set PERSON --purpose P --state S\n"
                "       siren consent show PERSON\n"
                "purposes: services, share_ngo, share_police, research, "
                "family_tracing; states: given, declined, withdrawn\n");
        return EXIT_USAGE;
    }
    return rc == SR_OK ? EXIT_OK : cli_fail(&err);
}

static int
print_dup(const struct dup_row *r, void *ctx)
{
    (void)ctx;
    printf("%6lld %-12s %-12s %-10s %.3f %s\n", (long long)r->id, r->code_a,
           r->code_b, r->basis, r->score, r->state);
    return 0;
}

static int
dup_cmd(struct ws *ws, struct copts *o)
{
    const char *sub = o->n_args > 0 ? o->args[0] : "";
    struct principal who = principal_local();
    struct sr_err err = { 0 };
    int rc;
    if (strcmp(sub, "list") == 0) {
        printf("%6s %-12s %-12s %-10s %-5s %s\n", "ID", "EARLIER", "LATER",
               "BASIS", "SCORE", "STATE");
        rc = person_dup_list(ws->db, &who,
                             o->state != NULL ? o->state : "suggested",
                             print_dup, NULL, &err);
    } else if ((strcmp(sub, "confirm") == 0 || strcmp(sub, "reject") == 0) &&
               o->n_args == 2) {
        long long id;
        if (parse_int(o->args[1], 1, INT64_MAX, "the suggestion id", &id) !=
            0) {
            return EXIT_USAGE;
        }
        int is_confirm = sub[0] == 'c';
        rc = person_dup_decide(ws->db, ws->vault, &who, id, is_confirm, &err);
        if (rc == SR_OK) {
            printf("suggestion %lld %s\n", id,
                   is_confirm ? "confirmed: merged" : "rejected");
        }
    } else {
        fprintf(stderr, "usage: siren dup list [--state S]\n"
                        "       siren dup confirm|reject ID\n");
        return EXIT_USAGE;
    }
    return rc == SR_OK ? EXIT_OK : cli_fail(&err);
}

int
case_cli_main(const char *cmd, int argc, char **argv)
{
    struct copts o;
    int rc = parse(argc, argv, &o);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (o.n_args == 0) {
        fprintf(stderr,
                "usage: siren %s SUBCOMMAND ... (see 'siren %s "
                "help')\n",
                cmd, cmd);
        return EXIT_USAGE;
    }
    struct ws *ws;
    int (*run)(struct ws *, struct copts *) =
        strcmp(cmd, "case") == 0      ? case_cmd
        : strcmp(cmd, "person") == 0  ? person_cmd
        : strcmp(cmd, "consent") == 0 ? consent_cmd
                                      : dup_cmd;
    if (strcmp(o.args[0], "help") == 0) {
        o.n_args = 0;
        o.args[0] = "";
        return run(NULL, &o);
    }
    rc = cli_open_workspace(o.ws, o.pass_file, 0, &ws);
    if (rc != EXIT_OK) {
        return rc;
    }
    rc = run(ws, &o);
    ws_close(ws);
    return rc;
}
