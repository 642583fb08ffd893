/*
 * test_csv.c - the one CSV writer (core/csv.c): RFC 4180 quoting, the
 * formula guard, bidirectional controls, NUL and invalid UTF-8, number
 * cells, the storage mode, line ends and the buffer cap.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"
#include "harness.h"
#include "core/banned.h"

/* one text cell written by a writer with flags, into b (emptied first) */
static const char *
cell(struct sr_buf *b, unsigned flags, const char *s, size_t len)
{
    struct sr_csv w;
    sr_buf_reset(b);
    sr_csv_init_buf(&w, b, flags);
    sr_csv_text_n(&w, s, len);
    return b->data;
}

#define TEXT(b, s) cell((b), 0, (s), sizeof(s) - 1)

static void
test_quoting(struct sr_buf *b)
{
    CHECK_STR(TEXT(b, "plain"), "plain");
    CHECK_STR(TEXT(b, ""), "");
    CHECK_STR(TEXT(b, "a,b"), "\"a,b\"");
    CHECK_STR(TEXT(b, "say \"hi\""), "\"say \"\"hi\"\"\"");
    CHECK_STR(TEXT(b, "\""), "\"\"\"\"");
    CHECK_STR(TEXT(b, "line\nbreak"), "\"line\nbreak\"");
    CHECK_STR(TEXT(b, "cr\r\nlf"), "\"cr\r\nlf\"");
    CHECK_STR(TEXT(b, " edge"), "\" edge\"");
    CHECK_STR(TEXT(b, "edge "), "\"edge \"");
    CHECK_STR(TEXT(b, "in side"), "in side");
    CHECK_STR(cell(b, SR_CSV_QUOTE_ALL, "x", 1), "\"x\"");
    CHECK_STR(cell(b, SR_CSV_QUOTE_ALL, "", 0), "\"\"");

    /* rows: commas between cells, the line end, and sr_csv_quoted */
    struct sr_csv w;
    sr_buf_reset(b);
    sr_csv_init_buf(&w, b, SR_CSV_CRLF);
    const char *row[] = { "a", NULL, "c,d" };
    sr_csv_row(&w, row, 3);
    sr_csv_quoted(&w, "m");
    sr_csv_end_row(&w);
    sr_csv_end_row(&w);
    CHECK_STR(b->data, "a,,\"c,d\"\r\n\"m\"\r\n\r\n");
    CHECK(sr_csv_status(&w) == SR_OK);
    sr_buf_reset(b);
    sr_csv_init_buf(&w, b, 0);
    sr_csv_row(&w, row, 2);
    CHECK_STR(b->data, "a,\n");
}

static void
test_guard(struct sr_buf *b)
{
    /* each guard character, first byte only; quoted cells keep the ' inside */
    static const char *const in[] = { "=1+1", "+66", "-2",  "@SUM(A1)",
                                      "\tx",  "\rx", "=a,b" };
    static const char *const want[] = { "'=1+1",     "'+66",     "'-2",
                                        "'@SUM(A1)", "\"'\tx\"", "\"'\rx\"",
                                        "\"'=a,b\"" };
    int n_bad = 0;
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        if (strcmp(cell(b, 0, in[i], strlen(in[i])), want[i]) != 0) {
            fprintf(stderr, "guard: '%s' gave '%s'\n", in[i], b->data);
            n_bad++;
        }
    }
    CHECK(n_bad == 0);
    CHECK_STR(TEXT(b, "a=b"), "a=b");
    CHECK_STR(TEXT(b, "'=x"), "'=x");
    CHECK_STR(cell(b, SR_CSV_QUOTE_ALL, "=x", 2), "\"'=x\"");
    /* storage mode writes data as it is */
    CHECK_STR(cell(b, SR_CSV_STORAGE, "-1.5", 4), "-1.5");
    CHECK_STR(cell(b, SR_CSV_STORAGE, "\tx", 2), "\"\tx\"");
    CHECK(sr_csv_is_formula("=x") && sr_csv_is_formula("\rx") &&
          !sr_csv_is_formula("x=") && !sr_csv_is_formula("") &&
          !sr_csv_is_formula(NULL));
}

static void
test_bidi(struct sr_buf *b)
{
    /* every control is removed; U+202A-E, U+2066-9, U+200E-F, U+061C */
    static const char *const bidi[] = {
        "\xE2\x80\xAA", "\xE2\x80\xAB", "\xE2\x80\xAC", "\xE2\x80\xAD",
        "\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x81\xA7", "\xE2\x81\xA8",
        "\xE2\x81\xA9", "\xE2\x80\x8E", "\xE2\x80\x8F", "\xD8\x9C",
    };
    int n_bad = 0;
    char in[32];
    for (size_t i = 0; i < sizeof bidi / sizeof bidi[0]; i++) {
        int n = snprintf(in, sizeof in, "a%sb", bidi[i]);
        if (strcmp(cell(b, 0, in, (size_t)n), "ab") != 0) {
            n_bad++;
        }
    }
    CHECK(n_bad == 0);
    /* a formula hidden behind an override is still guarded */
    CHECK_STR(TEXT(b, "\xE2\x80\xAE=cmd"), "'=cmd");
    /* neighbours of the controls are kept: U+202F, U+2065, U+061B */
    CHECK_STR(TEXT(b, "\xE2\x80\xAF\xE2\x81\xA5\xD8\x9B"),
              "\xE2\x80\xAF\xE2\x81\xA5\xD8\x9B");
    /* Thai and Burmese text passes unchanged */
    CHECK_STR(TEXT(b, "\xE0\xB8\x81\xE1\x80\x80"), "\xE0\xB8\x81\xE1\x80\x80");
    /* the spreadsheet text of an XLSX cell: controls removed, a bad
     * byte replaced, a leading = left alone (string cells never run) */
    struct sr_buf t;
    sr_buf_init(&t, 0);
    CHECK(sr_csv_sheet_text("=a\xE2\x80\xAE"
                            "b\xFF"
                            "c\xE2\x81\xA6",
                            &t) == SR_OK);
    CHECK_STR(t.data, "=ab\xEF\xBF\xBD"
                      "c");
    sr_buf_reset(&t);
    CHECK(sr_csv_sheet_text(NULL, &t) == SR_OK && t.len == 0);
    sr_buf_release(&t);
    /* storage mode keeps them */
    CHECK_STR(cell(b, SR_CSV_STORAGE, "\xE2\x80\xAE", 3), "\xE2\x80\xAE");
}

static void
test_invalid(struct sr_buf *b)
{
    /* NUL and each byte that begins no well-formed sequence: U+FFFD */
    CHECK_STR(TEXT(b, "a\0b"), "a\xEF\xBF\xBD"
                               "b");
    CHECK_STR(TEXT(b, "\xFF"), "\xEF\xBF\xBD");
    CHECK_STR(TEXT(b, "\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD"); /* overlong */
    CHECK_STR(TEXT(b, "\xED\xA0\x80"),
              "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* surrogate */
    CHECK_STR(TEXT(b, "\xF4\x90\x80\x80x"),
              "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDx");
    CHECK_STR(TEXT(b, "x\xE0\xB8"), "x\xEF\xBF\xBD\xEF\xBF\xBD"); /* cut */
    CHECK_STR(cell(b, SR_CSV_STORAGE, "\x80", 1), "\xEF\xBF\xBD");
    const char *out = TEXT(b, "\xC3\x28\"\0");
    CHECK(sr_utf8_valid(out, b->len));
}

static void
test_numbers(struct sr_buf *b)
{
    static const char *const nums[] = { "0",       "-0.25", "+3",  "1e-05",
                                        "2.5E+10", "-inf",  "nan", "7." };
    static const char *const texts[] = { "-",   "-e5", "1e", "-1+2",
                                         "--1", "=1",  "" };
    struct sr_csv w;
    int n_bad = 0;
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        sr_buf_reset(b);
        sr_csv_init_buf(&w, b, SR_CSV_QUOTE_ALL);
        sr_csv_number(&w, nums[i]);
        n_bad += strcmp(b->data, nums[i]) != 0;
    }
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        sr_buf_reset(b);
        sr_csv_init_buf(&w, b, 0);
        sr_csv_number(&w, texts[i]);
        const char *want = texts[i][0] == '-' || texts[i][0] == '=' ? "'" : "";
        n_bad += strncmp(b->data, want, strlen(want)) != 0 ||
                 strcmp(b->data + strlen(want), texts[i]) != 0;
    }
    CHECK(n_bad == 0);
    sr_buf_reset(b);
    sr_csv_init_buf(&w, b, 0);
    sr_csv_text(&w, "k");
    sr_csv_numberf(&w, "%.4f", -1.5);
    sr_csv_end_row(&w);
    CHECK_STR(b->data, "k,-1.5000\n");
}

static void
test_cap(void)
{
    struct sr_buf b;
    struct sr_csv w;
    sr_buf_init(&b, 8);
    sr_csv_init_buf(&w, &b, 0);
    sr_csv_text(&w, "1234");
    sr_csv_text(&w, "56789");
    CHECK(sr_csv_status(&w) == SR_ETOOBIG);
    size_t len = b.len;
    sr_csv_text(&w, "x");
    CHECK(b.len == len); /* nothing more once failed */
    sr_buf_release(&b);

    FILE *fp = tmpfile();
    CHECK(fp != NULL);
    if (fp != NULL) {
        sr_csv_init_file(&w, fp, SR_CSV_CRLF);
        sr_csv_text(&w, "a\"b");
        sr_csv_end_row(&w);
        char got[16] = { 0 };
        rewind(fp);
        CHECK(fread(got, 1, sizeof got - 1, fp) == 8);
        CHECK_STR(got, "\"a\"\"b\"\r\n");
        CHECK(sr_csv_status(&w) == SR_OK);
        fclose(fp);
    }
}

int
main(void)
{
    struct sr_buf b;
    sr_buf_init(&b, 0);
    test_quoting(&b);
    test_guard(&b);
    test_bidi(&b);
    test_invalid(&b);
    test_numbers(&b);
    sr_buf_release(&b);
    test_cap();
    return TEST_DONE("test_csv");
}
