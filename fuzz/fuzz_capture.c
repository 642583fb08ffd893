/*
 * fuzz_capture.c - libFuzzer target for the capture-history CSV parser
 * (mse_csv_parse) and, when it accepts the input, the stepwise estimate.
 *
 * Build (from the repository root, after `make O=build/fuzz CC=clang
 * OPT="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" HARDEN=-fPIE
 * build/fuzz/libsiren.a`):
 *   clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
 *     -fsanitize=fuzzer,address,undefined -Isrc fuzz/fuzz_capture.c \
 *     build/fuzz/libsiren.a -ljansson -lgsl -lgslcblas -lcsv -lglpk -lm \
 *     -lpthread -o build/fuzz/fuzz_capture
 *   build/fuzz/fuzz_capture -max_total_time=60
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <gsl/gsl_errno.h>
#include <stddef.h>
#include <stdint.h>

#include "stats/capture.h"
#include "stats/num/mse.h"

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gsl_set_error_handler_off();
    struct sr_err err = { 0 };
    struct mse_table t;
    if (mse_csv_parse((const char *)data, size, &t, &err) == SR_OK) {
        /* small tables only: the estimate must not crash either */
        if (t.n_lists <= 5) {
            struct mse_sparse s;
            (void)mse_stepwise(&t, 0.02, 0.05, NULL, &s, &err);
            loglin_thread_done();
        }
        mse_table_release(&t);
    }
    sr_err_release(&err);
    return 0; /* the sanitizers do the judging */
}
