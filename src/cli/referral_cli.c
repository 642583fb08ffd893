/*
 * referral_cli.c - referrals on the command line: sending, listing and
 * answering them (`siren referral send|list|answer`).
 *
 * Thin: parse (the command table), call referral.c, print. The command line acts as
 * the holder of the workspace passphrase (policy action local); its writes
 * are audited with no user. Notes are read from files,
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
#include "core/clock.h"
#include "hotline/contact.h"
#include "base/org.h"
#include "base/principal.h"
#include "referral/referral.h"
#include "base/vault.h"
#include "base/workspace.h"
#include "core/banned.h"

/* ---- referral send / list / answer ------------------------------------- */

int
referral_cli_send(struct ws *ws, const struct cli_args *o)
{
    struct sr_err err = { 0 };
    int64_t from = 0;
    const char *as_org = cli_opt(o, "--as-org");
    const char *note_file = cli_opt(o, "--note-file");
    if (as_org != NULL &&
        org_id_by_code(ws->db, as_org, &from, &err) != SR_OK) {
        fprintf(stderr, "siren: --as-org: no organisation '%s'\n", as_org);
        sr_err_release(&err);
        return CLI_FAIL;
    }
    struct sr_buf note;
    sr_buf_init(&note, REFERRAL_MAX_NOTE);
    if (note_file != NULL && cli_read_text(note_file, &note)) {
        vault_buf_wipe(&note);
        return CLI_FAIL;
    }
    struct referral_input in = {
        /* a case code (K-...) refers the case, anything else a contact */
        .subject_type = strncmp(o->args[1], "K-", 2) == 0 ? "case" : "contact",
        .subject_code = o->args[1],
        .to_org = cli_opt(o, "--to"),
        .service = cli_opt(o, "--service"),
        .urgency = cli_opt(o, "--urgency"),
        .note = note.data,
        .from_org_id = from,
    };
    char code[32];
    const struct principal *who = &o->who;
    int rc = referral_send(ws->db, ws->vault, who, &in, code, &err);
    vault_buf_wipe(&note);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    printf("%s\n", code);
    return CLI_OK;
}

static int
print_referral(const struct referral_row *r, void *ctx)
{
    (void)ctx;
    char sent[32], due[32];
    sr_time_text(r->sent_at, 0, SR_TIME_MINUTE, sent, sizeof sent);
    sr_time_text(r->due_at, 0, SR_TIME_MINUTE, due, sizeof due);
    printf("%-13s %-12s%s %-9s %-14s %-13s -> %-13s %-6s %-14s %s  due %s\n",
           r->code, r->status, r->is_overdue ? " OVERDUE" : "", r->urgency,
           r->service, r->from_org_code, r->to_org_code,
           r->province[0] ? r->province : "-", r->category, sent, due);
    return 0;
}

int
referral_cli_list(struct ws *ws, const struct cli_args *o)
{
    struct sr_err err = { 0 };
    struct referral_filter f = {
        .status = cli_opt(o, "--status"),
        .is_overdue = cli_flag(o, "--overdue"),
        .limit = 1000,
    };
    const char *org = cli_opt(o, "--org");
    if (org != NULL && org_id_by_code(ws->db, org, &f.org_id, &err) != SR_OK) {
        fprintf(stderr, "siren: --org: no organisation '%s'\n", org);
        sr_err_release(&err);
        return CLI_FAIL;
    }
    const struct principal *who = &o->who;
    int rc = referral_list(ws->db, who, &f, print_referral, NULL, &err);
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
referral_cli_answer(struct ws *ws, const struct cli_args *o)
{
    struct sr_err err = { 0 };
    const struct principal *who = &o->who;
    int rc = referral_answer(ws->db, ws->vault, who, o->args[1],
                             cli_opt(o, "--status"), cli_opt(o, "--reason"), 0,
                             &err);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    printf("%s %s\n", o->args[1], cli_opt(o, "--status"));
    return CLI_OK;
}
