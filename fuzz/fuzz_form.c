/*
 * fuzz_form.c - libFuzzer target for the request parsers: urlencoded
 * query strings and form bodies (http_parse_urlencoded) and the Cookie
 * header (http_cookie). Built by `make fuzz`; replayed by `make check`.
 * Any result is acceptable; the sanitizers do the judging.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "web/http.h"

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    struct kv *kv = NULL;
    size_t n = 0;
    arena_init(&a);
    if (http_parse_urlencoded(&a, (const char *)data, size, HTTP_MAX_PARAMS,
                              &kv, &n) == SR_OK) {
        for (size_t i = 0; i < n; i++) {
            if (strlen(kv[i].key) > size || strlen(kv[i].value) > size) {
                __builtin_trap(); /* decoding never grows */
            }
        }
    }
    char *text = arena_strndup(&a, (const char *)data, size);
    (void)http_cookie(&a, text, "siren_session");
    (void)http_cookie(&a, text, "siren_pre");
    arena_release(&a);
    return 0;
}
