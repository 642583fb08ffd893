/*
 * totpfix.h - codes of an authenticator app for tests, computed straight
 * from liboath (oath_base32_decode, oath_totp_generate), not through
 * SIREN's totp.c: what a phone would show for a secret shown on a page.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_TOTPFIX_H
#define SR_TOTPFIX_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>

/* The 6-digit code of base32 secret b32 at unix time t_s into out; 0 on
 * success, -1 when the secret does not decode. */
static inline int
totpfix_code(const char *b32, int64_t t_s, char out[7])
{
    char *key = NULL;
    size_t key_len = 0;
    out[0] = '\0';
    if (oath_init() != OATH_OK ||
        oath_base32_decode(b32, strlen(b32), &key, &key_len) != OATH_OK) {
        return -1;
    }
    int rc = oath_totp_generate(key, key_len, (time_t)t_s, 30, 0, 6, out);
    free(key);
    return rc == OATH_OK ? 0 : -1;
}

#endif
