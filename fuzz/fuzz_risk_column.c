/*
 * fuzz_risk_column.c - libFuzzer target for stats_risk_column(), the
 * risk reader of predictor columns (stats_common.c), run
 * differentially: the input is parsed as a CSV frame, and every column
 * that stats_risk_column() finds numeric must convert bit for bit as
 * frame_col_numeric() (strtod) does; a mismatch aborts. The sanitizers
 * judge the rest. Built and replayed by `make fuzz` and the test runner.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/frame.h"
#include "stats/stats_common.h"

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct frame f = { 0 };
    struct frame_limits lim;
    struct sr_err err = { 0 };
    size_t c, r;

    frame_limits_default(&lim);
    lim.max_bytes = 1 << 20;
    lim.max_rows = 1000;
    lim.max_cols = 64;
    lim.max_cell_bytes = 256;
    if (frame_parse(&f, (const char *)data, size, &lim, &err) == SR_OK) {
        double *fast = calloc(f.n_rows + 1, sizeof(*fast));
        double *slow = calloc(f.n_rows + 1, sizeof(*slow));
        for (c = 0; c < f.n_cols && fast != NULL && slow != NULL; c++) {
            bool is_num = false;
            int rc = stats_risk_column(&f, c, fast, &is_num, &err);
            sr_err_release(&err);
            if (rc != SR_OK || !is_num) {
                continue;
            }
            if (frame_col_numeric(&f, c, slow, NULL, &err) != SR_OK) {
                abort(); /* numeric to one reader, not to the other */
            }
            for (r = 0; r < f.n_rows; r++) {
                if (memcmp(&fast[r], &slow[r], sizeof(double)) != 0) {
                    abort();
                }
            }
        }
        free(fast);
        free(slow);
    }
    frame_release(&f);
    sr_err_release(&err);
    return 0;
}
