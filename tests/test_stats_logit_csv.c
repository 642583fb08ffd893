/*
 * test_stats_logit_csv.c - stats_risk_column(), the risk command's reader
 * of predictor columns, against the slow path it replaces: a column is
 * numeric exactly when every non-missing cell is taken whole by strtod()
 * (trailing spaces aside) with a finite value, and then every value is
 * bit for bit frame_col_numeric()'s (strtod). Hand-picked cells at the
 * edges of the fast path (19 digits, 2^53, 22 decimals, signs, spaces,
 * exponents, non-ASCII digits) and 20,000 random decimals.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "harness.h"
#include "tally.h"
#include "stats/stats_common.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

#include "core/banned.h"

static int
frame_from(struct frame *f, const char *s)
{
    struct sr_err err = { 0 };
    int rc = frame_parse(f, s, strlen(s), NULL, &err);

    sr_err_release(&err);
    return rc;
}

/* one column "x" holding cells: 1 when stats_risk_column() reads it
 * without error, numeric exactly when want_numeric, and then every value
 * bit for bit strtod's (frame_col_numeric()); else 0, saying why */
static int
cells_agree(const char *const *cells, size_t n, bool want_numeric)
{
    struct sr_buf b;
    struct frame f = { 0 };
    struct sr_err err = { 0 };
    double *fast = calloc(n + 1, sizeof(double));
    double *slow = calloc(n + 1, sizeof(double));
    bool is_num = !want_numeric;
    size_t i;

    sr_buf_init(&b, 0);
    REQUIRE(fast != NULL && slow != NULL);
    REQUIRE(sr_buf_adds(&b, "x\n") == SR_OK);
    for (i = 0; i < n; i++) {
        REQUIRE(sr_buf_printf(&b, "\"%s\"\n", cells[i]) == SR_OK);
    }
    REQUIRE(frame_from(&f, b.data) == SR_OK);
    REQUIRE(f.n_rows == n);
    int ok = stats_risk_column(&f, 0, fast, &is_num, &err) == SR_OK;
    if (!ok || is_num != want_numeric) {
        fprintf(stderr, "column of %zu cells from '%s': %s, %s, want %s\n", n,
                cells[0], ok ? "read" : sr_err_msg(&err),
                is_num ? "numeric" : "categorical",
                want_numeric ? "numeric" : "categorical");
        ok = 0;
    } else if (want_numeric) {
        size_t n_bad = 0;
        REQUIRE(frame_col_numeric(&f, 0, slow, NULL, &err) == SR_OK);
        for (i = 0; i < n; i++) {
            if (memcmp(&fast[i], &slow[i], sizeof(double)) != 0 &&
                n_bad++ < 5) {
                fprintf(stderr, "cell '%s': %a vs strtod %a\n", cells[i],
                        fast[i], slow[i]);
            }
        }
        ok = n_bad == 0;
    }
    sr_err_release(&err);
    frame_release(&f);
    sr_buf_release(&b);
    free(fast);
    free(slow);
    return ok;
}

static void
test_edges(void)
{
    /* each is a number, or missing; strtod is the judge */
    static const char *const nums[] = {
        "0",
        "-0",
        "+0",
        "-0.0",
        "1",
        "-1",
        "+.5",
        "1.",
        ".25",
        "007",
        "0.1",
        "0.2",
        "0.3",
        "-2.675",
        "3.14159265358979323846",
        "9007199254740992",
        "9007199254740993",
        "-9007199254740992.5",
        "1234567890123456789",
        "12345678901234567890",
        "0.0000000000000000000001",
        "0.00000000000000000000001",
        "123456.7890123456789",
        "1e5",
        "1E-5",
        "-2.5e+3",
        "0x1p3",
        "  4.5",
        "4.5  ",
        "inf_not",
        "NA",
        "",
        "N/A",
        "NaN",
        ".",
        "2.2250738585072014e-308",
        "1.7976931348623157e308",
        "0.30000000000000004",
        "99999999999999999999999",
        "5e-1",
    };
    /* each makes the column categorical */
    static const char *const cats[] = {
        "1e400",        "-1e999", "inf", "nan(1)", "abc",
        "1.2.3",        "--1",    "+-1", "1,5",    "\xd9\xa1\xd9\xa2",
        "\xef\xbc\x91", "1 2",    "0x",  "1e",     "1\t",
        "- 1",          "½",
    };
    size_t i, n_nums = sizeof(nums) / sizeof(nums[0]);

    /* "inf_not" is not a number: drop it from the numeric list */
    {
        const char *ok[sizeof(nums) / sizeof(nums[0])];
        size_t k = 0;
        for (i = 0; i < n_nums; i++) {
            if (strcmp(nums[i], "inf_not") != 0) {
                ok[k++] = nums[i];
            }
        }
        CHECK(cells_agree(ok, k, true));
    }
    /* each of cats with a number is a categorical column */
    int n_bad = 0;
    for (i = 0; i < sizeof(cats) / sizeof(cats[0]); i++) {
        const char *two[2];
        two[0] = "1.5";
        two[1] = cats[i];
        n_bad += !cells_agree(two, 2, false);
    }
    CHECK(n_bad == 0);
    {
        const char *one[1] = { "inf_not" };
        CHECK(cells_agree(one, 1, false));
    }
}

/* an underflowing number in an all-number column is an error naming the
 * line, as frame_col_numeric(); in a categorical column it is a level */
static void
test_range(void)
{
    struct frame f = { 0 };
    struct sr_err err = { 0 };
    double out[4];
    bool is_num = false;

    CHECK(frame_from(&f, "x\n1.5\n1e-400\n2\n4.9e-324\n") == SR_OK);
    CHECK(stats_risk_column(&f, 0, out, &is_num, &err) == SR_EINVAL);
    CHECK_STR(sr_err_msg(&err), "column 'x', line 3: not a number");
    CHECK(frame_col_numeric(&f, 0, out, NULL, &err) == SR_EINVAL);
    sr_err_release(&err);
    frame_release(&f);
    CHECK(frame_from(&f, "x\n1e-400\nabc\n2\n") == SR_OK);
    CHECK(stats_risk_column(&f, 0, out, &is_num, &err) == SR_OK);
    CHECK(!is_num);
    frame_release(&f);
    CHECK(frame_from(&f, "x\nNA\nN/A\n.\n") == SR_OK);
    CHECK(stats_risk_column(&f, 0, out, &is_num, &err) == SR_OK);
    CHECK(is_num && isnan(out[0]) && isnan(out[1]) && isnan(out[2]));
    frame_release(&f);
}

static uint64_t lcg_state = 7;

static uint64_t
next_u64(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return lcg_state >> 16;
}

/* random decimals of 1-24 digits, 0-24 of them after the point */
static void
test_random(void)
{
    enum { N = 20000 };
    static char store[N][40];
    static const char *cells[N];
    size_t i;

    for (i = 0; i < N; i++) {
        size_t n_int = next_u64() % 13, n_frac = next_u64() % 25, j, k = 0;
        char *c = store[i];
        if (n_int + n_frac == 0) {
            n_int = 1;
        }
        if (next_u64() % 3 == 0) {
            c[k++] = next_u64() % 2 ? '-' : '+';
        }
        for (j = 0; j < n_int; j++) {
            c[k++] = (char)('0' + next_u64() % 10);
        }
        if (n_frac > 0 || next_u64() % 4 == 0) {
            c[k++] = '.';
        }
        for (j = 0; j < n_frac; j++) {
            c[k++] = (char)('0' + next_u64() % 10);
        }
        c[k] = '\0';
        cells[i] = c;
    }
    CHECK(cells_agree(cells, N, true));
}

int
main(void)
{
    test_edges();
    test_range();
    test_random();
    return TEST_DONE("test_stats_logit_csv");
}
