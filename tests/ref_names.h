/*
 * ref_names.h - the name comparison of the duplicate check written the
 * plain way, as the reference the fast paths of person.c are tested
 * against (tests/test_person.c, tests/test_person_dup.c): utf8proc_map
 * then decoding, white space collapsed and punctuation dropped, leading
 * honorifics stripped by trying each in turn, and Jaro-Winkler (prefix
 * scale 0.1, up to 4) scanning the match window for each code point.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_REF_NAMES_H
#define SR_REF_NAMES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "cases/person.h"

#define REF_MAX NAME_MAX_CPS

static inline int
ref_is_space(int32_t c)
{
    if (c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85) {
        return 1;
    }
    utf8proc_category_t cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
           cat == UTF8PROC_CATEGORY_ZP;
}

/* utf8proc_map, decode, collapse white space, drop punctuation. */
static inline size_t
ref_cps(const char *s, int32_t *out)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map(
        (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)strlen(s), &folded,
        UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (n < 0) {
        return 0;
    }
    size_t k = 0;
    int pending = 0;
    utf8proc_ssize_t i = 0;
    while (i < n && k < REF_MAX) {
        utf8proc_int32_t c;
        utf8proc_ssize_t len = utf8proc_iterate(folded + i, n - i, &c);
        if (len <= 0) {
            break;
        }
        i += len;
        utf8proc_category_t cat = utf8proc_category(c);
        if (ref_is_space(c)) {
            pending = k > 0;
            continue;
        }
        if (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO) {
            continue;
        }
        if (pending && k < REF_MAX) {
            out[k++] = ' ';
        }
        pending = 0;
        if (k < REF_MAX) {
            out[k++] = c;
        }
    }
    free(folded);
    return k;
}

/* The honorifics of docs/cases.md, as typed (UTF-8). */
static const char *const ref_honorifics[] = {
    "u",
    "daw",
    "maung",
    "mg",
    "ko",
    "ma",
    "naw",
    "saw",
    "nang",
    "sai",
    "mi",
    "nai",
    "mr",
    "mrs",
    "ms",
    "miss",
    "\xe1\x80\xa6\xe1\x80\xb8",
    "\xe1\x80\x92\xe1\x80\xb1\xe1\x80\xab\xe1\x80\xba",
    "\xe1\x80\x99\xe1\x80\xb1\xe1\x80\xac\xe1\x80\x84\xe1\x80\xba",
    "\xe1\x80\x80\xe1\x80\xad\xe1\x80\xaf",
    "\xe1\x80\x99",
    "\xe1\x80\x94\xe1\x80\xb1\xe1\x80\xac\xe1\x80\xba",
    "\xe1\x80\x85\xe1\x80\xb1\xe1\x80\xac",
};
#define N_REF_HON (sizeof ref_honorifics / sizeof ref_honorifics[0])

/* Strip leading honorifics, trying each in turn after every removal. */
static inline size_t
ref_strip(int32_t *cps, size_t n)
{
    int again = 1;
    while (again) {
        again = 0;
        for (size_t h = 0; h < N_REF_HON; h++) {
            int32_t hc[16];
            size_t hn = 0;
            const utf8proc_uint8_t *p =
                (const utf8proc_uint8_t *)ref_honorifics[h];
            utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(ref_honorifics[h]);
            while (left > 0 && hn < 16) {
                utf8proc_ssize_t len = utf8proc_iterate(p, left, &hc[hn]);
                if (len <= 0) {
                    break;
                }
                hn++;
                p += len;
                left -= len;
            }
            if (n > hn + 1 && cps[hn] == ' ' &&
                memcmp(cps, hc, hn * sizeof hc[0]) == 0) {
                memmove(cps, cps + hn + 1, (n - hn - 1) * sizeof cps[0]);
                n -= hn + 1;
                again = 1;
                break;
            }
        }
    }
    return n;
}

/* Jaro-Winkler as usually written: scan the window for each a[i]. */
static inline double
ref_jw(const int32_t *a, size_t na, const int32_t *b, size_t nb)
{
    if (na == 0 || nb == 0) {
        return 0.0;
    }
    if (na == nb && memcmp(a, b, na * sizeof a[0]) == 0) {
        return 1.0;
    }
    size_t window = (na > nb ? na : nb) / 2;
    window = window > 0 ? window - 1 : 0;
    unsigned char ma[REF_MAX] = { 0 }, mb[REF_MAX] = { 0 };
    size_t m = 0;
    for (size_t i = 0; i < na; i++) {
        size_t lo = i > window ? i - window : 0;
        size_t hi = i + window + 1 < nb ? i + window + 1 : nb;
        for (size_t j = lo; j < hi; j++) {
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = 1;
                m++;
                break;
            }
        }
    }
    if (m == 0) {
        return 0.0;
    }
    size_t t = 0, j = 0;
    for (size_t i = 0; i < na; i++) {
        if (!ma[i]) {
            continue;
        }
        while (!mb[j]) {
            j++;
        }
        if (a[i] != b[j]) {
            t++;
        }
        j++;
    }
    double md = (double)m;
    double jaro =
        (md / (double)na + md / (double)nb + (md - (double)t / 2.0) / md) / 3.0;
    size_t prefix = 0;
    while (prefix < 4 && prefix < na && prefix < nb && a[prefix] == b[prefix]) {
        prefix++;
    }
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

#endif
