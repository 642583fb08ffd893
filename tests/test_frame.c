/*
 * test_frame.c - CSV frames: headers, HXL, Kobo/ODK names, caps, and
 * hostile input (bad quotes, ragged rows, NUL, invalid UTF-8, huge cells).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "harness.h"
#include "stats/frame.h"

#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "core/banned.h"

static int
parse(struct frame *f, const char *s, const struct frame_limits *lim,
      struct sr_err *err)
{
    return frame_parse(f, s, strlen(s), lim, err);
}

static void
test_basic(void)
{
    struct frame f = { 0 };
    struct sr_err err = { 0 };
    size_t col = 99, n_missing = 0;
    double v[4];

    CHECK(parse(&f,
                "\xEF\xBB\xBF"
                "age,name,\"quoted, head\"\r\n"
                "31,\"a \"\"b\"\"\",x\r\n"
                "\r\n"
                "NA,\"line1\nline2\",y\r\n"
                " 4.5 ,,z\r\n"
                ".,c,w",
                NULL, &err) == SR_OK);
    CHECK(f.n_rows == 4 && f.n_cols == 3 && !f.has_hxl);
    CHECK_STR(f.cols[0].name, "age");
    CHECK_STR(f.cols[2].name, "quoted, head");
    CHECK_STR(frame_cell(&f, 0, 1), "a \"b\"");
    CHECK_STR(frame_cell(&f, 1, 1), "line1\nline2");
    CHECK_STR(frame_cell(&f, 2, 1), "");
    CHECK(f.row_line[0] == 2 && f.row_line[1] == 4 && f.row_line[2] == 6);
    CHECK(frame_col_find(&f, "age", &col, &err) == SR_OK && col == 0);
    CHECK(frame_col_numeric(&f, 0, v, &n_missing, &err) == SR_OK);
    CHECK(v[0] == 31 && isnan(v[1]) && v[2] == 4.5 && isnan(v[3]));
    CHECK(n_missing == 2);
    /* a text column is not numeric: the error names column and line */
    CHECK(frame_col_numeric(&f, 2, v, NULL, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "'quoted, head'") != NULL);
    CHECK(strstr(sr_err_msg(&err), "line 2") != NULL);
    /* ... but never the cell's text */
    CHECK(strstr(sr_err_msg(&err), "'x'") == NULL);
    CHECK(frame_col_find(&f, "nope", &col, &err) == SR_ENOTFOUND);
    CHECK(strstr(sr_err_msg(&err), "nope") != NULL);
    frame_release(&f);
    frame_release(&f);
    CHECK(frame_is_missing(" NA ") && frame_is_missing("N/A") &&
          !frame_is_missing("0"));
    sr_err_release(&err);
}

static void
test_hxl_kobo(void)
{
    struct frame f = { 0 };
    struct sr_err err = { 0 };
    size_t col = 99;

    CHECK(parse(&f,
                "start,grp_a/age,grp_b/sub/sex,grp_a/q,grp_b/q,_index,_uuid\n"
                "#date,#affected+age,,#x,,#meta+index,\n"
                "2024-01-01,30,f,1,2,1,u1\n",
                NULL, &err) == SR_OK);
    CHECK(f.has_hxl && f.n_rows == 1 && f.n_cols == 7);
    CHECK_STR(f.cols[1].tag, "#affected+age");
    CHECK(f.cols[2].tag == NULL);
    CHECK_STR(f.cols[2].leaf, "sex");
    CHECK(f.cols[5].is_meta && f.cols[6].is_meta && !f.cols[0].is_meta);
    /* full name, last segment, hashtag; ambiguous leaf */
    CHECK(frame_col_find(&f, "grp_b/sub/sex", &col, &err) == SR_OK && col == 2);
    CHECK(frame_col_find(&f, "sex", &col, &err) == SR_OK && col == 2);
    CHECK(frame_col_find(&f, "#affected+age", &col, &err) == SR_OK && col == 1);
    CHECK(frame_col_find(&f, "q", &col, &err) == SR_ECONFLICT);
    CHECK(strstr(sr_err_msg(&err), "ambiguous") != NULL);
    CHECK(frame_col_find(&f, "grp_a/q", &col, &err) == SR_OK && col == 3);
    CHECK_STR(frame_cell(&f, 0, 2), "f");
    frame_release(&f);

    /* a second row with one non-tag cell is data, not HXL */
    CHECK(parse(&f, "a,b\n#x,1\n", NULL, &err) == SR_OK);
    CHECK(!f.has_hxl && f.n_rows == 1);
    frame_release(&f);
    /* an all-empty second row is data too */
    CHECK(parse(&f, "a,b\n,\n", NULL, &err) == SR_OK);
    CHECK(!f.has_hxl && f.n_rows == 1);
    frame_release(&f);
    sr_err_release(&err);
}

static void
test_hostile(void)
{
    struct frame f = { 0 };
    struct sr_err err = { 0 };
    struct frame_limits lim;
    char *big;

    /* unterminated quote: line of the row and column */
    CHECK(parse(&f, "a,b\n1,2\n3,\"open\n4,5\n", NULL, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "unterminated") != NULL);
    CHECK(strstr(sr_err_msg(&err), "line 3 column 2") != NULL);
    CHECK(f.n_rows == 0 && f.cols == NULL);
    /* a quote inside an unquoted field */
    CHECK(parse(&f, "a,b\n1,2\n3,x\"y\n", NULL, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "line 3 column 2") != NULL);
    /* junk after a closing quote */
    CHECK(parse(&f, "a,b\n\"1\"z,2\n", NULL, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "line 2 column 1") != NULL);
    /* ragged rows, both ways */
    CHECK(parse(&f, "a,b,c\n1,2,3\n1,2\n", NULL, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "line 3") != NULL);
    CHECK(strstr(sr_err_msg(&err), "2 fields") != NULL);
    CHECK(parse(&f, "a\n1,2\n", NULL, &err) == SR_EINVAL);
    /* NUL byte and invalid UTF-8 */
    CHECK(frame_parse(&f, "a,b\n1,x\0y\n", 10, NULL, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "line 2 column 2") != NULL);
    CHECK(parse(&f, "a,b\n1,\xC3\x28\n", NULL, &err) == SR_EINVAL);
    CHECK(parse(&f, "a,\xFF\n", NULL, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "line 1 column 2") != NULL);
    /* empty input */
    CHECK(parse(&f, "", NULL, &err) == SR_EINVAL);
    CHECK(parse(&f, "\n\n\r\n", NULL, &err) == SR_EINVAL);

    /* caps */
    frame_limits_default(&lim);
    lim.max_rows = 2;
    CHECK(parse(&f, "a\n1\n2\n", &lim, &err) == SR_OK);
    frame_release(&f);
    CHECK(parse(&f, "a\n1\n2\n3\n", &lim, &err) == SR_ETOOBIG);
    CHECK(strstr(sr_err_msg(&err), "line 4") != NULL);
    frame_limits_default(&lim);
    lim.max_cols = 3;
    CHECK(parse(&f, "a,b,c,d\n", &lim, &err) == SR_ETOOBIG);
    frame_limits_default(&lim);
    lim.max_bytes = 10;
    CHECK(parse(&f, "a,b\n1,2\n3,4\n", &lim, &err) == SR_ETOOBIG);
    frame_limits_default(&lim);
    lim.max_cell_bytes = 1000;
    big = malloc(5000);
    memset(big, 'x', 4999);
    big[4999] = '\0';
    memcpy(big, "a\n\"", 3);
    /* an unterminated quoted cell that grows past the cap */
    CHECK(parse(&f, big, &lim, &err) == SR_ETOOBIG);
    CHECK(strstr(sr_err_msg(&err), "cell too long") != NULL);
    big[4998] = '\n';
    big[2] = 'x';
    CHECK(parse(&f, big, &lim, &err) == SR_ETOOBIG);
    free(big);
    CHECK(f.n_rows == 0);
    sr_err_release(&err);
}

static void
test_load(void)
{
    struct frame f = { 0 };
    struct sr_err err = { 0 };
    struct frame_limits lim;
    char path[] = "/tmp/test_frame_XXXXXX";
    int fd = mkstemp(path);
    FILE *fp;

    CHECK(fd >= 0);
    fp = fdopen(fd, "w");
    fputs("x,y\n1,2\n", fp);
    fclose(fp);
    CHECK(frame_load(&f, path, NULL, &err) == SR_OK);
    CHECK(f.n_rows == 1);
    frame_release(&f);
    frame_limits_default(&lim);
    lim.max_bytes = 4;
    CHECK(frame_load(&f, path, &lim, &err) == SR_ETOOBIG);
    remove(path);
    CHECK(frame_load(&f, path, NULL, &err) == SR_EIO);
    CHECK(strstr(sr_err_msg(&err), "cannot open") != NULL);
    sr_err_release(&err);
}

int
main(void)
{
    gsl_set_error_handler_off();
    test_basic();
    test_hxl_kobo();
    test_hostile();
    test_load();
    return TEST_DONE("test_frame");
}
