/*
 * org_cli.c - organisations on the command line: `siren org add|list`
 * and their directory profiles and search (`siren org profile|search`).
 *
 * Thin: parse (the command table), call org.c, print. The command line
 * acts as the holder of the workspace passphrase (policy action local);
 * its writes are audited with no user. Contact details are read from a
 * file, never from the command line (they would land in shell history),
 * and never printed.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/org_cli.h"

#include <stdio.h>
#include <string.h>

#include "base/org.h"
#include "base/vault.h"
#include "base/workspace.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/gazetteer.h"
#include "core/vocab.h"
#include "core/banned.h"

#define MAX_LIST 200

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

static int
print_org(const struct org_row *r, void *ctx)
{
    (void)ctx;
    printf("%-14s %-16s %-2s %4lld  %s\n", r->code, r->kind,
           r->country[0] ? r->country : "-", (long long)r->n_users, r->name);
    return 0;
}

int
org_cli_add(struct ws *ws, const struct cli_args *a)
{
    struct sr_err err = { 0 };
    const char *kind = cli_opt(a, "--kind");
    const char *country = cli_opt(a, "--country");
    char code[32];
    int64_t id;
    int rc = org_add(ws->db, ws->vault, 0, a->args[1], kind ? kind : "ngo",
                     country ? country : "", code, &id, &err);
    if (rc == SR_OK) {
        printf("%s\n", code);
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
org_cli_list(struct ws *ws, const struct cli_args *a)
{
    (void)a;
    struct sr_err err = { 0 };
    int rc = org_list(ws->db, print_org, NULL, &err);
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
org_cli_profile(struct ws *ws, const struct cli_args *o)
{
    struct sr_err err = { 0 };
    int64_t id;
    if (org_id_by_code(ws->db, o->args[1], &id, &err) != SR_OK) {
        return cli_fail(&err);
    }
    const char *emergency = cli_opt(o, "--emergency");
    const char *contact_file = cli_opt(o, "--contact-file");
    if (emergency != NULL && strcmp(emergency, "0") != 0 &&
        strcmp(emergency, "1") != 0) {
        fprintf(stderr, "siren: --emergency: must be 0 or 1\n");
        return CLI_FAIL;
    }
    static char pc[4096], lc[4096], sc[4096];
    static const char *pv[MAX_LIST], *lv[MAX_LIST], *sv[MAX_LIST];
    struct sr_buf details;
    sr_buf_init(&details, 2000);
    if (contact_file != NULL && cli_read_text(contact_file, &details)) {
        vault_buf_wipe(&details);
        return CLI_FAIL;
    }
    struct org_profile p = {
        .provinces = pv,
        .n_provinces = split(cli_opt(o, "--provinces"), pc, sizeof pc, pv),
        .languages = lv,
        .n_languages = split(cli_opt(o, "--languages"), lc, sizeof lc, lv),
        .services = sv,
        .n_services = split(cli_opt(o, "--services"), sc, sizeof sc, sv),
        .is_emergency = emergency != NULL && strcmp(emergency, "1") == 0,
        .contact_details = contact_file != NULL ? details.data : NULL,
        .emergency_phone = cli_opt(o, "--emergency-phone"),
        .phone_region = ws->cfg.phone_region,
    };
    int rc = org_set_profile(ws->db, ws->vault, 0, id, &p, &err);
    vault_buf_wipe(&details);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    printf("%s profile saved\n", o->args[1]);
    return CLI_OK;
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

int
org_cli_search(struct ws *ws, const struct cli_args *o)
{
    const char *province = cli_opt(o, "--province");
    const char *language = cli_opt(o, "--language");
    const char *service = cli_opt(o, "--service");
    const char *emergency = cli_opt(o, "--emergency");
    if (province != NULL && province[0] != '\0' && gaz_find(province) == NULL) {
        fprintf(stderr, "siren: --province: not a province in the "
                        "gazetteer\n");
        return CLI_FAIL;
    }
    if (language != NULL && language[0] != '\0' &&
        vocab_find(vocab_languages, language) < 0) {
        fprintf(stderr, "siren: --language: not one of the allowed values\n");
        return CLI_FAIL;
    }
    if (service != NULL && service[0] != '\0' &&
        vocab_find(org_services, service) < 0) {
        fprintf(stderr, "siren: --service: not one of the allowed values\n");
        return CLI_FAIL;
    }
    struct sr_err err = { 0 };
    int rc = org_search(ws->db, province, language, service,
                        emergency != NULL && strcmp(emergency, "1") == 0,
                        print_entry, NULL, &err);
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}
