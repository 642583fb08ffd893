/*
 * audit_cli.c - the audit chain's verification (from where the last one
 * stopped, or --full), its signed export and the export's check: parse
 * (done by the table), call base/audit.c, print.
 *
 * The export carries the workspace id, a row count, hashes and a public
 * key; nothing secret and no identity.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/audit_cli.h"

#include <stdio.h>
#include <string.h>

#include "base/audit.h"
#include "base/vault.h"
#include "base/workspace.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/banned.h"

int
audit_cli_verify(struct ws *ws, const struct cli_args *a)
{
    struct sr_err err = { 0 };
    struct audit_verify_report r;
    int is_full = cli_flag(a, "--full");
    int rc = ws_audit_verify_since(ws, ws->db, is_full ? AUDIT_VERIFY_FULL : 0,
                                   &r, &err);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    if (r.from_id > 0) {
        printf("audit chain verified: %lld rows (%lld checked now; rows 1 to "
               "%lld were checked before, see --full)\n",
               (long long)r.n_rows, (long long)r.n_checked,
               (long long)r.from_id);
    } else {
        printf("audit chain verified: %lld rows (every row checked)\n",
               (long long)r.n_rows);
    }
    return CLI_OK;
}

int
audit_cli_export(struct ws *ws, const struct cli_args *a)
{
    (void)a;
    struct sr_err err = { 0 };
    char id[33];
    struct sr_buf out;
    sr_buf_init(&out, 4096);
    int rc = ws_id(ws, id, &err);
    if (rc == SR_OK) {
        rc = audit_export(ws->db, ws->vault, id, sr_now_ms(), &out, &err);
    }
    if (rc == SR_OK) {
        fputs(out.data, stdout);
    }
    sr_buf_release(&out);
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
audit_cli_check(struct ws *ws, const struct cli_args *a)
{
    struct sr_err err = { 0 };
    struct sr_buf text;
    struct audit_export_info x;
    int rc = sr_read_file(a->args[1], 4096, &text, &err);
    if (rc == SR_OK) {
        rc = audit_export_check(text.data, text.len, &x, &err);
        sr_buf_release(&text);
    }
    char id[33];
    if (rc == SR_OK) {
        rc = ws_id(ws, id, &err);
    }
    if (rc == SR_OK && strcmp(id, x.workspace_id) != 0) {
        rc = sr_err_set(&err, SR_ECONFLICT,
                        "the export is of workspace %s, not of this one (%s)",
                        x.workspace_id, id);
    }
    if (rc == SR_OK) {
        rc = audit_export_match(ws->db, ws->vault, &x, &err);
    }
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    printf("audit export of %s verified: signed by this workspace, and the "
           "log still holds row %lld as exported\n",
           x.time, (long long)x.rows);
    return CLI_OK;
}
