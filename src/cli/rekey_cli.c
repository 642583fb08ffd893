/*
 * rekey_cli.c - `siren rekey`: parse, call rekey_run() (base/rekey.c),
 * print. Hands the person name block (cases/person.c) to the rotation.
 *
 * Test hook: SIREN_REKEY_KILL_AFTER=N makes the process kill itself
 * (SIGKILL, as a crash or `kill -9` would) right after its N-th committed
 * batch, so tests/cli/rekey.sh stops a rotation half way at a known point.
 *
 * Must not print or log a passphrase, a key or any field's value.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/rekey_cli.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/rekey.h"
#include "cases/person.h"
#include "cli/admin_cli.h"
#include "core/buf.h"
#include "core/banned.h"

/* What the batch callback keeps between batches. */
struct progress_out {
    const char *table;    /* the last table a line was printed for */
    long long kill_after; /* the test hook's N; 0 when unset */
};

static void
on_batch(const struct rekey_batch *b, void *ctx)
{
    struct progress_out *p = ctx;
    if (p->table == NULL || strcmp(p->table, b->table) != 0) {
        fprintf(stderr, "siren: rekey: %s (%lld rows so far)\n", b->table,
                (long long)b->n_rows);
        p->table = b->table;
    }
    if (p->kill_after > 0 && b->n_batches >= p->kill_after) {
        fflush(NULL);
        raise(SIGKILL);
    }
}

int
rekey_cli_run(struct ws *unused, const struct cli_args *a)
{
    (void)unused;
    struct rekey_opts o = { .name_block = person_name_block,
                            .on_batch = on_batch };
    if (admin_cli_kdf(cli_opt(a, "--kdf"), &o.kdf) != 0) {
        return CLI_USAGE;
    }
    long long n = 0;
    const char *s = cli_opt(a, "--batch");
    if (s != NULL && sr_parse_i64(s, 1, 1000000, &n) != SR_OK) {
        return cli_usage_error(a, "--batch must be 1 to 1000000");
    }
    o.batch_rows = (int)n;
    struct progress_out out = { NULL, 0 };
    s = getenv("SIREN_REKEY_KILL_AFTER");
    if (s != NULL && sr_parse_i64(s, 1, INT64_MAX, &out.kill_after) != SR_OK) {
        fprintf(stderr, "siren: SIREN_REKEY_KILL_AFTER must be a whole "
                        "number from 1\n");
        return CLI_USAGE;
    }
    o.ctx = &out;
    const char *dir = NULL;
    char pass[CLI_MAX_SECRET];
    struct rekey_report rep;
    struct sr_err err = { 0 };
    int rc = cli_workspace_passphrase(a, &dir, pass, sizeof pass);
    if (rc == CLI_OK) {
        rc = rekey_run(dir, pass, strlen(pass), &o, &rep, &err) == SR_OK
                 ? CLI_OK
                 : cli_fail(&err);
        sodium_memzero(pass, sizeof pass);
    }
    if (rc != CLI_OK) {
        return rc;
    }
    printf("data key rotated%s: key version %d\n",
           rep.is_resumed ? " (an interrupted rotation finished)" : "",
           rep.new_version);
    printf("fields re-encrypted: %lld, blind indexes: %lld, audit rows "
           "re-sealed: %lld, batches: %lld\n",
           (long long)rep.n_fields, (long long)rep.n_indexes,
           (long long)rep.n_audit_rows, (long long)rep.n_batches);
    printf("audit chain verified: %lld rows\n", (long long)rep.n_audit_total);
    printf("the old key file no longer opens this data; give your witness a "
           "new 'siren audit export' and take a new backup\n");
    return CLI_OK;
}
