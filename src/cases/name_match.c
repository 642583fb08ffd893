/*
 * name_match.c - how the duplicate check compares names: the name key
 * (NFC, case folding, white space collapsed, punctuation and leading
 * honorifics dropped, Latin and Burmese), Jaro-Winkler similarity over
 * code points with bit masks, and the length bound that rules pairs out
 * without computing it.
 *
 * Pure functions over strings and code points: no database, no keys, no
 * allocation for names within NAME_MAX_BYTES. Thread-safe (the ASCII and
 * honorific tables are built once under pthread_once).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cases/name_match.h"

#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/banned.h"

#define MAX_NAME_CPS NAME_MAX_CPS

/* Room on the stack for the code points a name decomposes into: case
 * folding and canonical decomposition give at most 1.5 per byte (U+0390,
 * 2 bytes, folds to 3), so any name person_validate() lets in (at most
 * NAME_MAX_BYTES bytes) fits; a longer stored value takes the heap. */
#define NAME_DECOMPOSED_CPS 1024

#define NAME_NORM_OPTIONS                                     \
    ((utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE | \
                         UTF8PROC_CASEFOLD))

static int
is_punct_cp(utf8proc_int32_t c)
{
    utf8proc_category_t cat = utf8proc_category(c);
    return cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO;
}

/* What sr_is_space_cp() and is_punct_cp() say of each ASCII code point. */
enum cp_class { CP_KEEP, CP_SPACE, CP_PUNCT };
static unsigned char ascii_class[128];
static pthread_once_t ascii_once = PTHREAD_ONCE_INIT;

static void
ascii_classify(void)
{
    for (utf8proc_int32_t c = 0; c < 128; c++) {
        ascii_class[c] = sr_is_space_cp(c) ? CP_SPACE
                         : is_punct_cp(c)  ? CP_PUNCT
                                           : CP_KEEP;
    }
}

/*
 * The n code points of an NFC, case-folded name with white space trimmed
 * and collapsed to single spaces and punctuation dropped, into out (at
 * most MAX_NAME_CPS); returns the count.
 */
static size_t
collapse_cps(const utf8proc_int32_t *in, size_t n, utf8proc_int32_t *out)
{
    if (pthread_once(&ascii_once, ascii_classify) != 0) {
        SR_BUG("pthread_once failed");
    }
    size_t k = 0;
    int pending_space = 0;
    for (size_t i = 0; i < n && k < MAX_NAME_CPS; i++) {
        utf8proc_int32_t c = in[i];
        int cls = c >= 0 && c < 128   ? ascii_class[c]
                  : sr_is_space_cp(c) ? CP_SPACE
                  : is_punct_cp(c)    ? CP_PUNCT
                                      : CP_KEEP;
        if (cls == CP_SPACE) {
            pending_space = k > 0;
            continue;
        }
        if (cls == CP_PUNCT) {
            continue; /* punctuation: "Aye-Aye" is "Aye Aye" less a space */
        }
        if (pending_space && k < MAX_NAME_CPS) {
            out[k++] = ' ';
        }
        pending_space = 0;
        if (k < MAX_NAME_CPS) {
            out[k++] = c;
        }
    }
    return k;
}

/*
 * NFC + case folding, white space trimmed and collapsed to single spaces,
 * punctuation dropped; code points into out (at most MAX_NAME_CPS).
 * Returns the count, 0 for an empty or invalid name.
 *
 * This is what utf8proc_map(STABLE | COMPOSE | CASEFOLD) followed by
 * decoding gives, without its allocation and UTF-8 round trip: the map is
 * decompose + normalise + re-encode. ASCII text is its own NFC, and its
 * full case folding is A-Z to a-z, so it skips utf8proc altogether.
 * tests/test_person.c compares both paths with the utf8proc_map one.
 */
static size_t
name_cps(const char *s, utf8proc_int32_t *out)
{
    size_t len = strlen(s);
    utf8proc_int32_t stack[NAME_DECOMPOSED_CPS];
    size_t i = 0;
    while (i < len && (unsigned char)s[i] < 0x80 && i < NAME_DECOMPOSED_CPS) {
        unsigned char c = (unsigned char)s[i];
        stack[i++] = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
    if (i == len) {
        return collapse_cps(stack, len, out);
    }
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t n = utf8proc_decompose_custom(
        p, (utf8proc_ssize_t)len, stack, NAME_DECOMPOSED_CPS, NAME_NORM_OPTIONS,
        NULL, NULL);
    if (n < 0) {
        return 0;
    }
    utf8proc_int32_t *cps = stack, *heap = NULL;
    if (n > NAME_DECOMPOSED_CPS) {
        heap = sr_xcalloc((size_t)n, sizeof *heap);
        n = utf8proc_decompose_custom(p, (utf8proc_ssize_t)len, heap, n,
                                      NAME_NORM_OPTIONS, NULL, NULL);
        cps = heap;
    }
    size_t k = 0;
    if (n >= 0) {
        n = utf8proc_normalize_utf32(cps, n, NAME_NORM_OPTIONS);
    }
    if (n >= 0) {
        k = collapse_cps(cps, (size_t)n, out);
    }
    free(heap);
    return k;
}

/*
 * Honorifics that start many names in the region and say nothing about
 * who the person is: Burmese U, Daw, Maung/Mg, Ko, Ma, Naw, Saw, Nang,
 * Sai, Mi, Nai and their Burmese spellings, and English titles. Removed
 * only when a space follows, so "Maung" inside a name stays.
 */
static const char *const honorifics[] = {
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
    "\xe1\x80\xa6\xe1\x80\xb8",                         /* ဦး */
    "\xe1\x80\x92\xe1\x80\xb1\xe1\x80\xab\xe1\x80\xba", /* ဒေါ် */
    "\xe1\x80\x99\xe1\x80\xb1\xe1\x80\xac\xe1\x80\x84\xe1\x80\xba", /* မောင် */
    "\xe1\x80\x80\xe1\x80\xad\xe1\x80\xaf",             /* ကို */
    "\xe1\x80\x99",                                     /* မ */
    "\xe1\x80\x94\xe1\x80\xb1\xe1\x80\xac\xe1\x80\xba", /* နော် */
    "\xe1\x80\x85\xe1\x80\xb1\xe1\x80\xac",             /* စော */
};

#define N_HONORIFICS (sizeof honorifics / sizeof honorifics[0])

/* The honorifics as code points, decoded once (honorific_once). */
static utf8proc_int32_t honorific_cps[N_HONORIFICS][16];
static size_t honorific_len[N_HONORIFICS];
static pthread_once_t honorific_once = PTHREAD_ONCE_INIT;

static void
honorific_decode(void)
{
    for (size_t h = 0; h < N_HONORIFICS; h++) {
        const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)honorifics[h];
        utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(honorifics[h]);
        size_t hn = 0;
        while (left > 0 && hn < 16) {
            utf8proc_ssize_t len =
                utf8proc_iterate(p, left, &honorific_cps[h][hn]);
            if (len <= 0) {
                break;
            }
            hn++;
            p += len;
            left -= len;
        }
        honorific_len[h] = hn;
    }
}

/*
 * Drop leading honorifics from cps (n code points); new count. An
 * honorific has no space in it, so the only one that can match is as long
 * as the first word.
 */
static size_t
strip_honorifics(utf8proc_int32_t *cps, size_t n)
{
    if (pthread_once(&honorific_once, honorific_decode) != 0) {
        SR_BUG("pthread_once failed");
    }
    int again = 1;
    while (again) {
        again = 0;
        size_t word = 0;
        while (word < n && cps[word] != ' ') {
            word++;
        }
        if (n <= word + 1) {
            break;
        }
        for (size_t h = 0; h < N_HONORIFICS; h++) {
            size_t hn = honorific_len[h];
            if (hn == word &&
                memcmp(cps, honorific_cps[h], hn * sizeof cps[0]) == 0) {
                memmove(cps, cps + hn + 1, (n - hn - 1) * sizeof cps[0]);
                n -= hn + 1;
                again = 1;
                break;
            }
        }
    }
    return n;
}

/*
 * Jaro-Winkler of the code points a (na) and b (nb): the matching is
 * greedy, each a[i] in turn taking the first unmatched equal b[j] within
 * the window. For nb <= 64 the positions of each code point of b are kept
 * as bit masks in a small hash table, so finding that b[j] is an AND and a
 * count of trailing zeros instead of a scan of the window; longer names
 * take the scan. Both give the same matches, hence the same score.
 */
#define JW_SLOTS 128 /* power of two, at least twice 64 */

static double
jaro_winkler(const utf8proc_int32_t *a, size_t na, const utf8proc_int32_t *b,
             size_t nb)
{
    if (na == 0 || nb == 0) {
        return 0.0;
    }
    if (na == nb && memcmp(a, b, na * sizeof a[0]) == 0) {
        return 1.0;
    }
    size_t window = (na > nb ? na : nb) / 2;
    window = window > 0 ? window - 1 : 0;
    size_t m = 0, t = 0;
    if (nb <= 64) {
        utf8proc_int32_t key[JW_SLOTS];
        uint64_t pos[JW_SLOTS];
        unsigned char used[JW_SLOTS] = { 0 };
        for (size_t j = 0; j < nb; j++) {
            size_t h = ((uint32_t)b[j] * 2654435761u) >> 25 & (JW_SLOTS - 1);
            while (used[h] && key[h] != b[j]) {
                h = (h + 1) & (JW_SLOTS - 1);
            }
            if (!used[h]) {
                used[h] = 1;
                key[h] = b[j];
                pos[h] = 0;
            }
            pos[h] |= (uint64_t)1 << j;
        }
        utf8proc_int32_t a_matched[MAX_NAME_CPS];
        uint64_t b_matched = 0;
        for (size_t i = 0; i < na; i++) {
            size_t h = ((uint32_t)a[i] * 2654435761u) >> 25 & (JW_SLOTS - 1);
            while (used[h] && key[h] != a[i]) {
                h = (h + 1) & (JW_SLOTS - 1);
            }
            if (!used[h]) {
                continue;
            }
            size_t lo = i > window ? i - window : 0;
            size_t hi = i + window + 1 < nb ? i + window + 1 : nb;
            if (lo >= hi) {
                continue;
            }
            uint64_t in_window =
                (hi == 64 ? ~(uint64_t)0 : ((uint64_t)1 << hi) - 1) &
                ~(((uint64_t)1 << lo) - 1);
            uint64_t free_pos = pos[h] & in_window & ~b_matched;
            if (free_pos != 0) {
                b_matched |= free_pos & (~free_pos + 1);
                a_matched[m++] = a[i];
            }
        }
        if (m == 0) {
            return 0.0;
        }
        size_t k = 0;
        for (uint64_t left = b_matched; left != 0; left &= left - 1) {
            if (a_matched[k++] != b[__builtin_ctzll(left)]) {
                t++;
            }
        }
    } else {
        unsigned char ma[MAX_NAME_CPS] = { 0 }, mb[MAX_NAME_CPS] = { 0 };
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
        size_t j = 0;
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

double
name_similarity(const char *a, const char *b)
{
    utf8proc_int32_t ca[MAX_NAME_CPS], cb[MAX_NAME_CPS];
    if (a == NULL || b == NULL) {
        return 0.0;
    }
    size_t na = name_cps(a, ca), nb = name_cps(b, cb);
    return jaro_winkler(ca, na, cb, nb);
}

size_t
name_key(const char *name, int32_t out[NAME_MAX_CPS])
{
    assert(out != NULL);
    if (name == NULL) {
        return 0;
    }
    return strip_honorifics(out, name_cps(name, out));
}

/*
 * The length bound. Let s = min(na, nb) and l = max(na, nb). The matches
 * m are at most s and the transpositions t at least 0, so
 *     jaro = (m/na + m/nb + (m - t/2)/m) / 3 <= (s/s + s/l + 1) / 3
 *          = (2 + s/l) / 3,
 * and Winkler's boost jw = jaro + 0.1 p (1 - jaro), p <= 4, grows with
 * jaro and p, so
 *     jw <= 0.4 + 0.6 jaro <= 0.8 + 0.2 s/l.
 * A pair with 0.8 + 0.2 s/l below the threshold cannot reach it: for
 * 0.90 that is every pair where one name is less than half as long as the
 * other. The bound is exact at s/l = 1/2 (a name and its own first half
 * doubled, e.g. "aaaa" and "aaaaaaaa", score 0.9), which is kept. The
 * margin of 1e-9 stays far above the rounding of either computation and
 * far below the gap between the bound and the threshold of any discarded
 * pair (at least 0.2 / (2 l) with l <= MAX_NAME_CPS).
 */
static int
lengths_rule_out(size_t na, size_t nb)
{
    double s = (double)(na < nb ? na : nb), l = (double)(na < nb ? nb : na);
    return 0.8 + 0.2 * s / l < NAME_THRESHOLD - 1e-9;
}

int
name_keys_match(const int32_t *a, size_t na, const int32_t *b, size_t nb,
                double *score)
{
    assert((a != NULL || na == 0) && (b != NULL || nb == 0));
    assert(na <= NAME_MAX_CPS && nb <= NAME_MAX_CPS);
    if (na == 0 || nb == 0 || lengths_rule_out(na, nb)) {
        return 0;
    }
    double jw = jaro_winkler(a, na, b, nb);
    if (jw < NAME_THRESHOLD) {
        return 0;
    }
    if (score != NULL) {
        *score = jw;
    }
    return 1;
}
