/*
 * name_match.h - comparing names for the duplicate check (name_match.c).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_NAME_MATCH_H
#define SR_NAME_MATCH_H

#include <stddef.h>
#include <stdint.h>

/* Names at least this similar are suggested as one person. */
#define NAME_THRESHOLD 0.90

/* Longest name (bytes of UTF-8) compared without allocation; equals the
 * longest name a person record takes (PERSON_MAX_NAME). */
#define NAME_MAX_BYTES 200

/*
 * Jaro-Winkler similarity (prefix scale 0.1, prefix up to 4) of two
 * UTF-8 strings compared by Unicode code point after NFC, full case
 * folding and white-space collapsing: 1.0 for equal strings, 0.0 for
 * nothing in common or invalid UTF-8.
 */
double name_similarity(const char *a, const char *b);

/* Longest name key, in code points; a longer name is cut there. */
#define NAME_MAX_CPS 256

/*
 * The key a name is compared by in the duplicate check: its code points
 * after NFC, full case folding, white space trimmed and collapsed to one
 * space, punctuation dropped and leading honorifics (U, Daw, Maung, Ko,
 * Ma, Mr ... and the Burmese forms, each followed by a space) removed,
 * written to out; returns their count (at most NAME_MAX_CPS), 0
 * for NULL, an empty name or invalid UTF-8. Thread-safe; no allocation
 * for names within PERSON_MAX_NAME bytes.
 */
size_t name_key(const char *name, int32_t out[NAME_MAX_CPS]);

/*
 * 1 when the name keys a (na code points) and b (nb) are suggested as one
 * person: their Jaro-Winkler similarity, computed as in
 * name_similarity() with a as the first string, is at least
 * NAME_THRESHOLD; then *score (when not NULL) gets it. Else 0 and
 * *score is untouched; an empty key matches nothing. Pairs whose lengths
 * alone keep the similarity under the threshold are ruled out without
 * computing it (the bound is derived in person.c). Thread-safe.
 */
int name_keys_match(const int32_t *a, size_t na, const int32_t *b, size_t nb,
                    double *score);

#endif
