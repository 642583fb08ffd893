/*
 * fuzz_config.c - libFuzzer target for the siren.conf parser
 * (ws_parse_config). Built by `make fuzz`; replayed by `make check`.
 * Any result is acceptable; the sanitizers do the judging.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "base/workspace.h"

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    struct ws_config c;
    struct sr_err err = { 0 };
    ws_config_defaults(&c);
    (void)ws_parse_config(text, &c, &err);
    sr_err_release(&err);
    free(text);
    return 0;
}
