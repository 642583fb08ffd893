/*
 * bench/audit-gen.c - the part of bench/audit-verify that needs the
 * workspace's key. Built by bench/audit-verify against build/libsiren.a;
 * not part of siren.
 *
 *   audit-gen WS N
 *       appends N audit rows to the workspace WS through the project's
 *       own audit_chain_append() (the hash chain, the sealed end and the
 *       anchor file exactly as siren writes them), 10,000 rows a write
 *       transaction, and prints the time it took. The rows are of
 *       synthetic records (codes, no identities).
 *
 * The passphrase comes from SIREN_PASSPHRASE.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/audit.h"
#include "base/store.h"
#include "base/workspace.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/banned.h"

#define BATCH 10000

static const char *const actions[] = { "contact.read", "case.update",
                                       "person.read", "referral.send" };
static const char *const types[] = { "contact", "case", "person",
                                     "referral" };

int
main(int argc, char **argv)
{
    struct sr_err err = { 0 };
    long long n = 0;
    const char *pass = getenv("SIREN_PASSPHRASE");
    if (argc != 3 || pass == NULL ||
        sr_parse_i64(argv[2], 1, 100000000, &n) != SR_OK) {
        fprintf(stderr, "usage: SIREN_PASSPHRASE=... audit-gen WS N\n");
        return 2;
    }
    struct ws *ws = NULL;
    if (ws_open(argv[1], pass, strlen(pass), 0, &ws, &err) != SR_OK) {
        fprintf(stderr, "audit-gen: %s\n", sr_err_msg(&err));
        return 1;
    }
    int64_t t0 = sr_now_ms();
    int rc = SR_OK;
    for (long long done = 0; rc == SR_OK && done < n;) {
        struct audit_chain c;
        rc = db_begin_write(ws->db, &err);
        if (rc == SR_OK) {
            rc = audit_chain_open(ws->db, &c, &err);
        }
        for (int i = 0; rc == SR_OK && i < BATCH && done < n; i++, done++) {
            char code[32];
            int k = (int)(done % 4);
            snprintf(code, sizeof code, "SYN-%08lld", done);
            struct audit_entry e = { 0, actions[k], types[k], code, "" };
            rc = audit_chain_append(ws->db, ws->vault, &c, &e, &err);
        }
        rc = db_finish(ws->db, rc, &err);
    }
    if (rc != SR_OK) {
        fprintf(stderr, "audit-gen: %s\n", sr_err_msg(&err));
        ws_close(ws);
        return 1;
    }
    printf("audit-gen: %lld rows appended in %.1f s\n", n,
           (double)(sr_now_ms() - t0) / 1000.0);
    ws_close(ws);
    return 0;
}
