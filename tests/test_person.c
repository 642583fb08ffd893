/*
 * test_person.c - the name similarity used for duplicate suggestions:
 * Jaro-Winkler against published reference values, Unicode
 * normalisation (NFC, case folding, white space) in Latin and Burmese
 * script, and value checks of person_validate naming the field.
 *
 * The duplicate check's fast paths are compared with the plain
 * computation they replace, written out here as the reference:
 * name_key() (ASCII path, utf8proc without re-encoding, honorifics
 * decoded once) against utf8proc_map + decoding + stripping; and
 * name_keys_match() (length bound, bit-mask matching) against the
 * textbook Jaro-Winkler scan, on generated Latin, accented, Burmese,
 * mixed, empty, invalid and over-long names, many of them near the 0.90
 * threshold.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "harness.h"
#include "cases/name_match.h"
#include "cases/person.h"
#include "ref_names.h"

#include "core/banned.h"

/* ---- generated names ---------------------------------------------------- */

static uint64_t rng = 0x5eed2026u;

static unsigned
pick(unsigned n)
{
    rng = rng * 6364136223846793005u + 1442695040888963407u;
    return (unsigned)((rng >> 33) % n);
}

/* Pieces names are built from: Latin (upper and lower case), accented
 * (precomposed and combining, ß and the ffi ligature, which fold to
 * several letters), Burmese syllables and honorifics, spaces, tabs,
 * no-break space and punctuation. */
static const char *const pieces[] = {
    "Aung",
    "aye",
    "KYAW",
    "Min",
    "Thura",
    "Soe",
    "Lin",
    "Htet",
    "Naing",
    "Zaw",
    "Win",
    "Oo",
    "Myint",
    "Tun",
    "Hla",
    "Mon",
    "Khin",
    "Nguyen",
    "Somchai",
    "Dara",
    "Sok",
    "Ahmad",
    "Siti",
    "Nur",
    "Jean-Luc",
    "O'Neil",
    "Ren\xc3\xa9",
    "Rene\xcc\x81",
    "\xc3\x89lodie",
    "Stra\xc3\x9f"
    "e",
    "\xef\xac\x83"
    "on",
    "\xc4\xb0pek",
    "Bj\xc3\xb6rk",
    "Th\xe1\xbb\x8b",
    "Nguy\xe1\xbb\x85n",
    "U",
    "Daw",
    "Maung",
    "Mg",
    "Ko",
    "Ma",
    "Mr",
    "Mrs",
    "Miss",
    "Nang",
    "Sai",
    "Naw",
    "Saw",
    "\xe1\x80\x9e\xe1\x80\xae\xe1\x80\x9b\xe1\x80\xad",
    "\xe1\x80\x9c\xe1\x80\xba\xe1\x80\x91\xe1\x80\xbd\xe1\x80\x94\xe1\x80\xba",
    "\xe1\x80\xa6\xe1\x80\xb8",
    "\xe1\x80\x92\xe1\x80\xb1\xe1\x80\xab\xe1\x80\xba",
    "\xe1\x80\x99",
    "\xe1\x80\x80\xe1\x80\xad\xe1\x80\xaf",
    "\xe1\x80\x85\xe1\x80\xb1\xe1\x80\xac",
    "\xe1\x80\x99\xe1\x80\xb1\xe1\x80\xac\xe1\x80\x84\xe1\x80\xba",
    "\xe1\x80\x80\xe1\x80\xbb\xe1\x80\xac\xe1\x80\xb8",
    "\xe1\x80\x9d\xe1\x80\x84\xe1\x80\xba\xe1\x80\xb8",
    ".",
    "-",
    ",",
    "  ",
    "\t",
    "\xc2\xa0",
    "(",
    "#",
    "+",
    "~",
};
#define N_PIECES (sizeof pieces / sizeof pieces[0])

/* A name of 1 to 6 pieces joined by spaces (sometimes not). */
static void
make_name(char *out, size_t size)
{
    size_t len = 0;
    unsigned n = 1 + pick(6);
    out[0] = '\0';
    for (unsigned i = 0; i < n; i++) {
        const char *p = pieces[pick(N_PIECES)];
        const char *sep = i == 0 || pick(5) == 0 ? "" : " ";
        int k = snprintf(out + len, size - len, "%s%s", sep, p);
        if (k < 0 || (size_t)k >= size - len) {
            break;
        }
        len += (size_t)k;
    }
}

/* A near copy of key a: one or two code points dropped, doubled,
 * swapped or replaced, or a tail cut or added. */
static size_t
mutate(const int32_t *a, size_t na, int32_t *out)
{
    size_t n = na;
    memcpy(out, a, na * sizeof a[0]);
    unsigned edits = 1 + pick(2);
    for (unsigned e = 0; e < edits && n > 0; e++) {
        size_t at = pick((unsigned)n);
        switch (pick(6)) {
        case 0: /* drop */
            memmove(out + at, out + at + 1, (n - at - 1) * sizeof out[0]);
            n--;
            break;
        case 1: /* double */
            if (n < NAME_MAX_CPS) {
                memmove(out + at + 1, out + at, (n - at) * sizeof out[0]);
                n++;
            }
            break;
        case 2: /* swap */
            if (at + 1 < n) {
                int32_t t = out[at];
                out[at] = out[at + 1];
                out[at + 1] = t;
            }
            break;
        case 3: /* replace */
            out[at] = pick(2) ? 'x' : 0x1031;
            break;
        case 4: /* cut the tail */
            n = at + 1;
            break;
        default: /* add a tail */
            while (n < NAME_MAX_CPS && pick(3) != 0) {
                out[n++] = 'a' + (int32_t)pick(26);
            }
            break;
        }
    }
    return n;
}

static int
same_key(const int32_t *a, size_t na, const int32_t *b, size_t nb)
{
    return na == nb && memcmp(a, b, na * sizeof a[0]) == 0;
}

/* name_key against the reference for name; 1 when equal. */
static int
key_agrees(const char *name)
{
    int32_t fast[NAME_MAX_CPS], ref[REF_MAX];
    size_t nf = name_key(name, fast);
    size_t nr = ref_strip(ref, ref_cps(name, ref));
    if (!same_key(fast, nf, ref, nr)) {
        fprintf(stderr, "key differs for a %zu-byte name\n", strlen(name));
        return 0;
    }
    return 1;
}

/* name_keys_match against the reference for one pair; 1 when
 * the decisions agree and, for a match, the scores are the same double. */
static int
match_agrees(const int32_t *a, size_t na, const int32_t *b, size_t nb,
             int *is_match)
{
    double ref = ref_jw(a, na, b, nb), got = -1.0;
    *is_match = name_keys_match(a, na, b, nb, &got);
    if (*is_match != (ref >= NAME_THRESHOLD)) {
        return 0;
    }
    if (*is_match && got != ref) {
        return 0;
    }
    /* the bound of person.c, 0.8 + 0.2 min/max, holds for every pair */
    double s = (double)(na < nb ? na : nb), l = (double)(na < nb ? nb : na);
    return na == 0 || nb == 0 || ref <= 0.8 + 0.2 * s / l + 1e-12;
}

static void
check_keys_and_matches(void)
{
    /* every ASCII code point, alone, inside a word and between words */
    int n_bad = 0;
    for (int c = 1; c < 128; c++) {
        char s1[4] = { (char)c, 0 }, s2[8] = { 'a', (char)c, 'B', 0 };
        char s3[8] = { 'U', (char)c, 'Z', 'o', 0 };
        n_bad += !key_agrees(s1) + !key_agrees(s2) + !key_agrees(s3);
    }
    CHECK(n_bad == 0);
    /* every honorific is stripped when a space follows, not otherwise */
    int32_t k1[NAME_MAX_CPS], k2[NAME_MAX_CPS];
    n_bad = 0;
    for (size_t h = 0; h < N_REF_HON; h++) {
        char name[64];
        snprintf(name, sizeof name, "%s Aye Aye", ref_honorifics[h]);
        size_t n1 = name_key(name, k1);
        size_t n2 = name_key("aye aye", k2);
        n_bad += !same_key(k1, n1, k2, n2) + !key_agrees(name);
        n_bad += name_key(ref_honorifics[h], k1) == 0;
    }
    CHECK(n_bad == 0);
    /* two honorifics in a row; one alone stays; "Maung" inside a name */
    CHECK(name_key("U  Daw Aye", k1) == 3 && k1[0] == 'a');
    CHECK(name_key("Daw", k1) == 3);
    CHECK(name_key("Aye Maung Oo", k1) == 12);
    CHECK(key_agrees("U  Daw Aye") && key_agrees("Mr. Smith"));
    /* empty, blank, punctuation only, invalid UTF-8, NULL */
    CHECK(name_key("", k1) == 0 && key_agrees(""));
    CHECK(name_key(" \t ", k1) == 0 && key_agrees(" \t "));
    CHECK(name_key("-.,", k1) == 0);
    CHECK(name_key("\xff\xfe", k1) == 0 && key_agrees("\xff\xfe"));
    CHECK(key_agrees("Aye\xc3") && key_agrees("\xe1\x80"));
    CHECK(name_key(NULL, k1) == 0);
    /* over-long names: cut at NAME_MAX_CPS, and decompositions
     * beyond the stack buffer (1,500 ASCII letters; 700 x e-acute, which
     * NFD makes 1,400 code points before composing again) */
    static char long_name[4000];
    memset(long_name, 'A', 1500);
    long_name[1500] = '\0';
    CHECK(name_key(long_name, k1) == NAME_MAX_CPS);
    CHECK(key_agrees(long_name));
    for (int i = 0; i < 700; i++) {
        memcpy(long_name + 2 * i, "\xc3\x89", 2);
    }
    long_name[1400] = '\0';
    CHECK(name_key(long_name, k1) == NAME_MAX_CPS && k1[0] == 0xE9);
    CHECK(key_agrees(long_name));

    /* generated names: keys, then pairs (name, near copy) and (name,
     * another name), with keys short and long (the bit masks stop at 64
     * code points; longer names take the scan) */
    int n_key_bad = 0, n_pair_bad = 0, n_matches = 0, n_near = 0;
    int n_long = 0;
    for (int round = 0; round < 4000; round++) {
        char a[512], b[512];
        make_name(a, sizeof a);
        make_name(b, sizeof b);
        n_key_bad += !key_agrees(a) + !key_agrees(b);
        size_t na = name_key(a, k1), nb = name_key(b, k2);
        if (round % 7 == 0) {
            /* a long key: the name repeated */
            while (na > 0 && na < 70 + (size_t)(round % 90)) {
                size_t add = na < NAME_MAX_CPS - na ? na : NAME_MAX_CPS - na;
                memcpy(k1 + na, k1, add * sizeof k1[0]);
                na += add;
            }
            n_long += na > 64;
        }
        int32_t mut[NAME_MAX_CPS];
        size_t nm = mutate(k1, na, mut);
        int is_match;
        n_pair_bad += !match_agrees(k1, na, mut, nm, &is_match);
        n_matches += is_match;
        double ref = ref_jw(k1, na, mut, nm);
        n_near += ref > 0.85 && ref < 0.95;
        n_pair_bad += !match_agrees(mut, nm, k1, na, &is_match);
        n_pair_bad += !match_agrees(k1, na, k2, nb, &is_match);
        n_matches += is_match;
    }
    CHECK(n_key_bad == 0);
    CHECK(n_pair_bad == 0);
    /* the pairs reach both sides of the threshold, and long keys */
    CHECK(n_matches > 1000 && n_near > 500 && n_long > 200);

    /* the length bound is exact at min/max = 1/2: a^k against a^2k
     * scores 0.9 (m = k, t = 0: jaro = (1 + 1/2 + 1)/3 = 5/6, prefix 4:
     * 5/6 + 0.4/6 = 0.9) and is decided like the reference; a^k against
     * a^(2k+1) is ruled out and the reference agrees it is below */
    n_bad = 0;
    for (size_t k = 4; k <= 120; k++) {
        int32_t x[NAME_MAX_CPS], y[NAME_MAX_CPS];
        for (size_t i = 0; i < 2 * k + 1; i++) {
            x[i] = 'a';
            y[i] = 'a';
        }
        int is_match;
        n_bad += !match_agrees(x, k, y, 2 * k, &is_match);
        n_bad += fabs(ref_jw(x, k, y, 2 * k) - 0.9) > 1e-12;
        n_bad += !match_agrees(y, 2 * k + 1, x, k, &is_match) || is_match;
    }
    CHECK(n_bad == 0);
    /* the textbook pair through the keys: MARTHA/MARHTA 0.9611 */
    size_t na = name_key("MARTHA", k1), nb = name_key("MARHTA", k2);
    double score = 0.0;
    CHECK(name_keys_match(k1, na, k2, nb, &score) == 1);
    CHECK_NEAR(score, 0.9611, 1e-3);
    /* DWAYNE/DUANE 0.84 is below the threshold; *score untouched */
    na = name_key("DWAYNE", k1);
    nb = name_key("DUANE", k2);
    score = -1.0;
    CHECK(name_keys_match(k1, na, k2, nb, &score) == 0 && score == -1.0);
    CHECK(name_keys_match(k1, 0, k2, nb, &score) == 0);
}

int
main(void)
{
    /* Winkler (1990) and the usual textbook pairs: MARTHA/MARHTA
     * jaro 0.944, JW 0.961; DWAYNE/DUANE jaro 0.822, JW 0.840;
     * DIXON/DICKSONX jaro 0.767, JW 0.813 (hand-checked: m = 4, t = 0,
     * (4/5 + 4/8 + 1)/3 = 0.7667, prefix 2: 0.7667 + 0.2 * 0.2333). */
    CHECK_NEAR(name_similarity("MARTHA", "MARHTA"), 0.9611, 1e-3);
    CHECK_NEAR(name_similarity("DWAYNE", "DUANE"), 0.84, 1e-3);
    CHECK_NEAR(name_similarity("DIXON", "DICKSONX"), 0.8133, 1e-3);
    CHECK(name_similarity("same", "same") == 1.0);
    CHECK(name_similarity("abc", "xyz") == 0.0);
    CHECK(name_similarity("", "abc") == 0.0);
    /* case folding and white space */
    CHECK(name_similarity("  Aye   AYE ", "aye aye") == 1.0);
    /* NFC: e + combining acute equals the precomposed letter */
    CHECK(name_similarity("Re\xcc\x81my", "R\xc3\xa9my") == 1.0);
    /* Burmese compares by code point: the last of 11 dropped
     * (jaro = (10/11 + 10/10 + 1)/3 = 0.96970, prefix 4:
     * 0.96970 + 0.4 * 0.03030 = 0.98182) */
    const char *thiri = "\xe1\x80\x9e\xe1\x80\xae\xe1\x80\x9b\xe1\x80\xad"
                        "\xe1\x80\x9c\xe1\x80\xba\xe1\x80\x91\xe1\x80\xbd"
                        "\xe1\x80\x94\xe1\x80\xba\xe1\x80\xb8";
    const char *thiri2 = "\xe1\x80\x9e\xe1\x80\xae\xe1\x80\x9b\xe1\x80\xad"
                         "\xe1\x80\x9c\xe1\x80\xba\xe1\x80\x91\xe1\x80\xbd"
                         "\xe1\x80\x94\xe1\x80\xba";
    CHECK_NEAR(name_similarity(thiri, thiri2), 0.98182, 1e-4);
    /* invalid UTF-8 compares as nothing */
    CHECK(name_similarity("\xff\xfe", "\xff\xfe") == 0.0);

    struct person_input in;
    struct sr_err err = { 0 };
    memset(&in, 0, sizeof in);
    in.age_trafficked = -1;
    CHECK(person_validate(&in, &err) == SR_OK);
    in.phone = "call me";
    CHECK(person_validate(&in, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "phone") != NULL);
    sr_err_release(&err);
    in.phone = NULL;
    in.citizenship = "Myanmar";
    CHECK(person_validate(&in, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "citizenship") != NULL);
    sr_err_release(&err);
    in.citizenship = "MM";
    in.birth_date = "1990-01-01";
    in.birth_year = 1991;
    CHECK(person_validate(&in, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "birth_year") != NULL);
    sr_err_release(&err);
    in.birth_year = 0;
    in.gender = "robot";
    CHECK(person_validate(&in, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "gender") != NULL);
    sr_err_release(&err);
    in.gender = "female";
    in.passport = "AB\x01";
    CHECK(person_validate(&in, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "passport") != NULL);
    sr_err_release(&err);

    check_keys_and_matches();
    return TEST_DONE("test_person");
}
