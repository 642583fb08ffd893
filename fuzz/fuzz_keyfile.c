/*
 * fuzz_keyfile.c - libFuzzer target: vault_open() on a random key file.
 *
 * Feeds the input as key file text, with a fixed passphrase, to
 * vault_open(). Any result is fine; the sanitizers judge. Most inputs stop
 * in the parser; one that parses runs Argon2id with the file's own costs
 * (capped by vault_open() at 10 passes over 1 GiB).
 *
 * Build (after `make build/gen/embedded.h`) and run:
 *   mkdir -p build/fuzz && clang -std=c11 -D_POSIX_C_SOURCE=200809L \
 *     -D_DEFAULT_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -Isrc -Ibuild/gen fuzz/fuzz_keyfile.c src/vault.c src/buf.c \
 *     src/err.c build/gen/embedded.c \
 *     $(pkg-config --cflags --libs libsodium libutf8proc) -lpthread \
 *     -o build/fuzz/fuzz_keyfile
 *   build/fuzz/fuzz_keyfile -max_len=4096 -max_total_time=60
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/err.h"
#include "base/vault.h"

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char pass[] = "fuzz passphrase";
    struct sr_err err = { 0 };
    struct vault *v = NULL;
    int rc =
        vault_open((const char *)data, size, pass, sizeof pass - 1, &v, &err);
    if ((rc == SR_OK) != (v != NULL) || (rc != SR_OK && err.code != rc)) {
        abort(); /* the contract: *out set exactly on success */
    }
    vault_free(v);
    sr_err_release(&err);
    return 0; /* the sanitizers do the judging */
}
