/*
 * referral_cli.c - the referral network on the command line: directory
 * profiles and search (`siren org profile|search`), and sending, listing
 * and answering referrals (`siren referral send|list|answer`).
 *
 * Thin: parse, call org.c and referral.c, print. The command line acts as
 * the holder of the workspace passphrase (policy action local); its writes
 * are audited with no user. Notes and contact details are read from files,
 * never from the command line (they would land in shell history), and
 * never printed.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/referral_cli.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "hotline/contact.h"
#include "core/gazetteer.h"
#include "base/org.h"
#include "base/principal.h"
#include "referral/referral.h"
#include "base/vault.h"
#include "base/workspace.h"
#include "core/banned.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

#define MAX_LIST 200

struct ropts {
    const char *workspace, *passphrase_file;
    const char *provinces, *languages, *services, *emergency, *contact_file;
    const char *province, *language, *service;
    const char *to, *urgency, *note_file, *as_org;
    const char *status, *org, *reason;
    int is_overdue;
    const char *args[4];
    int n_args;
};

#define ROPT(n, f) CLI_OPT(struct ropts, n, f)
static const struct cli_option ropt_specs[] = {
    CLI_FLAG(struct ropts, "--overdue", is_overdue),
    ROPT("-w", workspace),
    ROPT("--workspace", workspace),
    ROPT("--passphrase-file", passphrase_file),
    ROPT("--provinces", provinces),
    ROPT("--languages", languages),
    ROPT("--services", services),
    ROPT("--emergency", emergency),
    ROPT("--contact-file", contact_file),
    ROPT("--province", province),
    ROPT("--language", language),
    ROPT("--service", service),
    ROPT("--to", to),
    ROPT("--urgency", urgency),
    ROPT("--note-file", note_file),
    ROPT("--as-org", as_org),
    ROPT("--status", status),
    ROPT("--org", org),
    ROPT("--reason", reason),
};

static int
parse(int argc, char **argv, struct ropts *o)
{
    return cli_parse_options(argc, argv, ropt_specs,
                             sizeof ropt_specs / sizeof ropt_specs[0], o,
                             sizeof *o, o->args, 4, &o->n_args);
}

/* Split a comma list into at most MAX_LIST pointers into copy. */
static size_t
split(const char *list, char *copy, size_t size, const char **out)
{
    size_t n = 0;
    snprintf(copy, size, "%s", list ? list : "");
    char *p = copy;
    while (*p != '\0' && n < MAX_LIST) {
        size_t len = strcspn(p, ",");
        char *next = p + len;
        int is_end = *next == '\0';
        *next = '\0';
        if (len > 0) {
            out[n++] = p;
        }
        p = is_end ? next : next + 1;
    }
    return n;
}

/* ---- org profile / search ---------------------------------------------- */

static int
org_profile(struct ws *ws, const struct ropts *o)
{
    struct sr_err err = { 0 };
    int64_t id;
    if (org_id_by_code(ws->db, o->args[1], &id, &err) != SR_OK) {
        return cli_fail(&err);
    }
    if (o->emergency != NULL && strcmp(o->emergency, "0") != 0 &&
        strcmp(o->emergency, "1") != 0) {
        fprintf(stderr, "siren: --emergency: must be 0 or 1\n");
        return EXIT_FAIL;
    }
    static char pc[4096], lc[4096], sc[4096];
    static const char *pv[MAX_LIST], *lv[MAX_LIST], *sv[MAX_LIST];
    struct sr_buf details;
    sr_buf_init(&details, 2000);
    if (o->contact_file != NULL && cli_read_text(o->contact_file, &details)) {
        vault_buf_wipe(&details);
        return EXIT_FAIL;
    }
    struct org_profile p = {
        .provinces = pv,
        .n_provinces = split(o->provinces, pc, sizeof pc, pv),
        .languages = lv,
        .n_languages = split(o->languages, lc, sizeof lc, lv),
        .services = sv,
        .n_services = split(o->services, sc, sizeof sc, sv),
        .is_emergency = o->emergency != NULL && strcmp(o->emergency, "1") == 0,
        .contact_details = o->contact_file != NULL ? details.data : NULL,
    };
    int rc = org_set_profile(ws->db, ws->vault, 0, id, &p, &err);
    vault_buf_wipe(&details);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    printf("%s profile saved\n", o->args[1]);
    return EXIT_OK;
}

static int
print_entry(const struct org_entry *e, void *ctx)
{
    (void)ctx;
    printf("%-14s %-17s %-3s %-40s services=%s provinces=%s languages=%s\n",
           e->code, e->kind, e->is_emergency ? "EMG" : "-", e->name,
           e->services, e->provinces, e->languages);
    return 0;
}

static int
org_search_cmd(struct ws *ws, const struct ropts *o)
{
    if (o->province != NULL && o->province[0] != '\0' &&
        gaz_find(o->province) == NULL) {
        fprintf(stderr, "siren: --province: not a province in the "
                        "gazetteer\n");
        return EXIT_FAIL;
    }
    if (o->language != NULL && o->language[0] != '\0' &&
        vocab_find(vocab_languages, o->language) < 0) {
        fprintf(stderr, "siren: --language: not one of the allowed values\n");
        return EXIT_FAIL;
    }
    if (o->service != NULL && o->service[0] != '\0' &&
        vocab_find(org_services, o->service) < 0) {
        fprintf(stderr, "siren: --service: not one of the allowed values\n");
        return EXIT_FAIL;
    }
    struct sr_err err = { 0 };
    int rc = org_search(ws->db, o->province, o->language, o->service,
                        o->emergency != NULL && strcmp(o->emergency, "1") == 0,
                        print_entry, NULL, &err);
    return rc == SR_OK ? EXIT_OK : cli_fail(&err);
}

/* ---- referral send / list / answer ------------------------------------- */

static int
referral_send_cmd(struct ws *ws, const struct ropts *o)
{
    struct sr_err err = { 0 };
    int64_t from = 0;
    if (o->as_org != NULL &&
        org_id_by_code(ws->db, o->as_org, &from, &err) != SR_OK) {
        fprintf(stderr, "siren: --as-org: no organisation '%s'\n", o->as_org);
        sr_err_release(&err);
        return EXIT_FAIL;
    }
    struct sr_buf note;
    sr_buf_init(&note, REFERRAL_MAX_NOTE);
    if (o->note_file != NULL && cli_read_text(o->note_file, &note)) {
        vault_buf_wipe(&note);
        return EXIT_FAIL;
    }
    struct referral_input in = {
        /* a case code (K-...) refers the case, anything else a contact */
        .subject_type = strncmp(o->args[1], "K-", 2) == 0 ? "case" : "contact",
        .subject_code = o->args[1],
        .to_org = o->to,
        .service = o->service,
        .urgency = o->urgency,
        .note = note.data,
        .from_org_id = from,
    };
    char code[32];
    struct principal who = principal_local();
    int rc = referral_send(ws->db, ws->vault, &who, &in, code, &err);
    vault_buf_wipe(&note);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    printf("%s\n", code);
    return EXIT_OK;
}

static void
format_time(int64_t t, char *out, size_t size)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (t <= 0 || gmtime_r(&tt, &tm) == NULL) {
        snprintf(out, size, "-");
        return;
    }
    strftime(out, size, "%Y-%m-%d %H:%M", &tm);
}

static int
print_referral(const struct referral_row *r, void *ctx)
{
    (void)ctx;
    char sent[32], due[32];
    format_time(r->sent_at, sent, sizeof sent);
    format_time(r->due_at, due, sizeof due);
    printf("%-13s %-12s%s %-9s %-14s %-13s -> %-13s %-6s %-14s %s  due %s\n",
           r->code, r->status, r->is_overdue ? " OVERDUE" : "", r->urgency,
           r->service, r->from_org_code, r->to_org_code,
           r->province[0] ? r->province : "-", r->category, sent, due);
    return 0;
}

static int
referral_list_cmd(struct ws *ws, const struct ropts *o)
{
    struct sr_err err = { 0 };
    struct referral_filter f = {
        .status = o->status,
        .is_overdue = o->is_overdue,
        .limit = 1000,
    };
    if (o->org != NULL &&
        org_id_by_code(ws->db, o->org, &f.org_id, &err) != SR_OK) {
        fprintf(stderr, "siren: --org: no organisation '%s'\n", o->org);
        sr_err_release(&err);
        return EXIT_FAIL;
    }
    struct principal who = principal_local();
    int rc = referral_list(ws->db, &who, &f, print_referral, NULL, &err);
    return rc == SR_OK ? EXIT_OK : cli_fail(&err);
}

static int
referral_answer_cmd(struct ws *ws, const struct ropts *o)
{
    struct sr_err err = { 0 };
    struct principal who = principal_local();
    int rc = referral_answer(ws->db, ws->vault, &who, o->args[1], o->status,
                             o->reason, 0, &err);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    printf("%s %s\n", o->args[1], o->status);
    return EXIT_OK;
}

/* ---- dispatch ----------------------------------------------------------- */

int
referral_cli_wants(int argc, char **argv)
{
    if (argc < 1) {
        return 0;
    }
    if (strcmp(argv[0], "referral") == 0) {
        return 1;
    }
    return strcmp(argv[0], "org") == 0 && argc >= 2 &&
           (strcmp(argv[1], "profile") == 0 || strcmp(argv[1], "search") == 0);
}

static int
usage(void)
{
    fprintf(stderr,
            "usage: siren org profile CODE [--provinces TH-90,TH-91] "
            "[--languages my,th]\n"
            "             [--services legal_aid,shelter] [--emergency 0|1] "
            "[--contact-file F]\n"
            "       siren org search [--province P] [--language L] "
            "[--service S] [--emergency 1]\n"
            "       siren referral send CONTACT|CASE --to ORG --service S "
            "--urgency U\n"
            "             [--note-file F] [--as-org ORG]\n"
            "       siren referral list [--status S] [--overdue] "
            "[--org ORG]\n"
            "       siren referral answer CODE --status S [--reason R]\n");
    return EXIT_USAGE;
}

int
referral_cli_main(int argc, char **argv)
{
    struct ropts o;
    if (argc < 2 || parse(argc - 1, argv + 1, &o) != EXIT_OK) {
        return usage();
    }
    int is_org = strcmp(argv[0], "org") == 0;
    const char *sub = o.args[0] ? o.args[0] : "";
    int (*run)(struct ws *, const struct ropts *) = NULL;
    int needs_arg = 0;
    if (is_org && strcmp(sub, "profile") == 0) {
        run = org_profile;
        needs_arg = 1;
    } else if (is_org && strcmp(sub, "search") == 0) {
        run = org_search_cmd;
    } else if (!is_org && strcmp(sub, "send") == 0) {
        run = referral_send_cmd;
        needs_arg = 1;
        if (o.to == NULL || o.service == NULL || o.urgency == NULL) {
            return usage();
        }
    } else if (!is_org && strcmp(sub, "list") == 0) {
        run = referral_list_cmd;
    } else if (!is_org && strcmp(sub, "answer") == 0) {
        run = referral_answer_cmd;
        needs_arg = 1;
        if (o.status == NULL) {
            return usage();
        }
    }
    if (run == NULL || o.n_args != 1 + needs_arg) {
        return usage();
    }
    struct ws *ws;
    int rc = cli_open_workspace(o.workspace, o.passphrase_file, 0, &ws);
    if (rc != EXIT_OK) {
        return rc;
    }
    rc = run(ws, &o);
    ws_close(ws);
    return rc;
}
