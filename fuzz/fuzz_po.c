/*
 * fuzz_po.c - libFuzzer target for the PO parser (i18n_parse_po) and,
 * through the header's Plural-Forms, the plural-expression evaluator.
 *
 * Build and run from the repository root after `make` (for embedded.h):
 *   clang -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 \
 *     -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
 *     -Isrc -Ibuild/gen -o build/fuzz_po fuzz/fuzz_po.c src/i18n.c \
 *     src/buf.c src/err.c build/gen/embedded.c -lpthread
 *   build/fuzz_po -max_total_time=60 -max_len=65536 po/
 * Any input is acceptable; the sanitizers do the judging.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/i18n.h"

#include "core/banned.h" /* last: bans unsafe calls */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sr_err err = { 0 };
    struct i18n_catalog *c = NULL;
    if (i18n_parse_po((const char *)data, size, &c, &err) == SR_OK) {
        /* exercise lookups and the plural rule on what was parsed */
        (void)i18n_catalog_get(c, NULL, "Save");
        (void)i18n_catalog_get(c, "ctx", "");
        (void)i18n_catalog_getp(c, NULL, "a", 0);
        (void)i18n_catalog_getp(c, NULL, "a", 1);
        (void)i18n_catalog_getp(c, NULL, "a", 1000003);
        i18n_catalog_free(c);
    }
    sr_err_release(&err);
    /* the same bytes as an Accept-Language header, NUL-terminated */
    char hdr[512];
    size_t n = size < sizeof hdr - 1 ? size : sizeof hdr - 1;
    for (size_t i = 0; i < n; i++) {
        hdr[i] = data[i] ? (char)data[i] : ' ';
    }
    hdr[n] = '\0';
    (void)i18n_pick(NULL, hdr);
    return 0;
}
