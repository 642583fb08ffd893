/*
 * fuzz_frame.c - libFuzzer target for the CSV frame loader (frame.c):
 * parses arbitrary bytes with small caps, then exercises column lookup and
 * numeric conversion on whatever loaded. The sanitizers do the judging.
 *
 * Build (from the repository root, after `make O=build/asan CC=clang ...`
 * or any build of the sources):
 *   clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
 *     -fsanitize=fuzzer,address,undefined -Isrc \
 *     fuzz/fuzz_frame.c src/frame.c src/buf.c src/err.c -lcsv \
 *     -o build/fuzz_frame
 *   build/fuzz_frame -max_total_time=60
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "stats/frame.h"

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct frame f = { 0 };
    struct frame_limits lim;
    struct sr_err err = { 0 };
    size_t c, col;

    frame_limits_default(&lim);
    lim.max_bytes = 1 << 20;
    lim.max_rows = 1000;
    lim.max_cols = 64;
    lim.max_cell_bytes = 256;
    if (frame_parse(&f, (const char *)data, size, &lim, &err) == SR_OK) {
        double *v = calloc(f.n_rows + 1, sizeof(*v));
        for (c = 0; c < f.n_cols && v != NULL; c++) {
            (void)frame_col_find(&f, f.cols[c].name, &col, &err);
            (void)frame_col_find(&f, f.cols[c].leaf, &col, &err);
            if (f.cols[c].tag != NULL) {
                (void)frame_col_find(&f, f.cols[c].tag, &col, &err);
            }
            (void)frame_col_numeric(&f, c, v, NULL, &err);
        }
        free(v);
    }
    frame_release(&f);
    sr_err_release(&err);
    return 0;
}
