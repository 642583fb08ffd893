/*
 * backup_cli.c - the commands that move a workspace's data: backup,
 * restore and store copy. Parse (done by the table), call base/backup.c
 * or base/store_copy.c, print what was written or why not.
 *
 * Must not print or log the passphrase or anything of the archive but its
 * workspace id, date and sizes.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/backup_cli.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/backup.h"
#include "base/store_copy.h"
#include "base/workspace.h"
#include "cli/cli.h"
#include "core/err.h"
#include "core/banned.h"

int
backup_cli_backup(struct ws *ws, const struct cli_args *a)
{
    struct sr_err err = { 0 };
    struct backup_info info;
    int rc = backup_write(ws, a->args[0], &info, &err);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    printf("backup of workspace %s taken %s written to %s (database %lld "
           "bytes)\n",
           info.workspace_id, info.created, a->args[0],
           (long long)info.db_bytes);
    return CLI_OK;
}

int
backup_cli_restore(struct ws *unused, const struct cli_args *a)
{
    (void)unused;
    char pass[CLI_MAX_SECRET];
    if (cli_new_passphrase(a, pass, sizeof pass) != 0) {
        sodium_memzero(pass, sizeof pass);
        return CLI_FAIL;
    }
    struct sr_err err = { 0 };
    struct backup_info info;
    int rc = backup_restore(a->args[0], a->args[1], pass, strlen(pass),
                            cli_opt(a, "--workspace-id"), &info, &err);
    sodium_memzero(pass, sizeof pass);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    printf("restored workspace %s taken %s into %s; audit chain verified: "
           "%lld rows\n",
           info.workspace_id, info.created, a->args[1],
           (long long)info.n_audit_rows);
    return CLI_OK;
}

int
backup_cli_store_copy(struct ws *ws, const struct cli_args *a)
{
    struct sr_err err = { 0 };
    int rc = ws_store_copy(ws, cli_opt(a, "--to"), stdout, &err);
    if (rc != SR_OK) {
        return cli_fail(&err);
    }
    printf("the workspace now uses %s; the old database was left as it "
           "was\n",
           ws->cfg.store[0] != '\0' ? "PostgreSQL" : "SQLite (siren.db)");
    return CLI_OK;
}
