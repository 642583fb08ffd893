/*
 * replay.c - a plain main() that feeds files to a fuzz target's
 * LLVMFuzzerTestOneInput, so `make check` replays every committed crash
 * input (tests/regress/NAME/) and seed (fuzz/corpus/NAME/) under ASan and
 * UBSan without libFuzzer. Usage: replay_NAME FILE...
 * Prints "replay_NAME: N passed, 0 failed"; a crash aborts the run.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
    int n = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (f == NULL) {
            fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            return 1;
        }
        size_t cap = 1 << 20, len = 0;
        uint8_t *buf = malloc(cap);
        size_t got;
        while (buf != NULL && (got = fread(buf + len, 1, cap - len, f)) > 0) {
            len += got;
            if (len == cap) {
                cap *= 2;
                uint8_t *nb = realloc(buf, cap);
                if (nb == NULL) {
                    free(buf);
                    buf = NULL;
                }
                buf = nb;
            }
        }
        fclose(f);
        if (buf == NULL) {
            return 1;
        }
        LLVMFuzzerTestOneInput(buf, len);
        free(buf);
        n++;
    }
    printf("%s: %d passed, 0 failed\n", argv[0], n);
    return 0;
}
