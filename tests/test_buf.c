/*
 * test_buf.c - sr_buf caps and growth, integer parsing, UTF-8 checks,
 * arena and error records, the double vector and its median.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/dvec.h"
#include "core/err.h"
#include "harness.h"
#include "core/banned.h"

static void
test_buf(void)
{
    struct sr_buf b;
    sr_buf_init(&b, 10);
    CHECK(b.data != NULL && b.len == 0 && b.data[0] == '\0');
    CHECK(sr_buf_adds(&b, "hello") == SR_OK);
    CHECK(sr_buf_printf(&b, "%d", 1234) == SR_OK);
    CHECK_STR(b.data, "hello1234");
    /* one more byte fits, two do not, and a refused append changes nothing */
    CHECK(sr_buf_adds(&b, "xy") == SR_ETOOBIG);
    CHECK_STR(b.data, "hello1234");
    CHECK(sr_buf_printf(&b, "%s", "long text") == SR_ETOOBIG);
    CHECK(b.len == 9);
    CHECK(sr_buf_addc(&b, '!') == SR_OK);
    CHECK(b.len == 10 && b.data[10] == '\0');
    size_t len;
    char *p = sr_buf_detach(&b, &len);
    CHECK(len == 10 && strcmp(p, "hello1234!") == 0);
    CHECK(b.data == NULL && b.len == 0);
    free(p);
    sr_buf_release(&b);
    sr_buf_release(&b); /* twice is safe */

    /* growth across many doublings keeps content and terminator */
    sr_buf_init(&b, 0);
    for (int i = 0; i < 10000; i++) {
        sr_buf_addc(&b, (char)('a' + i % 26));
    }
    CHECK(b.len == 10000 && b.data[9999] == 'a' + 9999 % 26);
    CHECK(b.data[10000] == '\0');
    /* embedded NUL bytes are kept by length */
    sr_buf_reset(&b);
    CHECK(sr_buf_add(&b, "a\0b", 3) == SR_OK && b.len == 3 && b.data[2] == 'b');
    sr_buf_release(&b);
}

static void
test_parse(void)
{
    long long v = 7;
    CHECK(sr_parse_i64("42", 0, 100, &v) == SR_OK && v == 42);
    CHECK(sr_parse_i64("-5", -10, 10, &v) == SR_OK && v == -5);
    v = 7;
    CHECK(sr_parse_i64("", 0, 10, &v) == SR_EINVAL && v == 7);
    CHECK(sr_parse_i64("12x", 0, 100, &v) == SR_EINVAL);
    CHECK(sr_parse_i64(" 1", 0, 100, &v) == SR_EINVAL);
    CHECK(sr_parse_i64("101", 0, 100, &v) == SR_EINVAL);
    CHECK(sr_parse_i64("99999999999999999999", 0, INT64_MAX, &v) == SR_EINVAL);
    CHECK(sr_parse_i64("0x10", 0, 100, &v) == SR_EINVAL);
    CHECK(sr_parse_i64(NULL, 0, 100, &v) == SR_EINVAL);
    CHECK(v == 7);
}

static void
test_utf8(void)
{
    const char *burmese = "\xe1\x80\x99\xe1\x80\xbc\xe1\x80\x94\xe1\x80\xba";
    CHECK(sr_utf8_valid("plain", 5));
    CHECK(sr_utf8_valid(burmese, strlen(burmese)));
    CHECK(sr_utf8_valid("\xf0\x9f\x98\x80", 4));  /* emoji */
    CHECK(!sr_utf8_valid("a\0b", 3));             /* NUL */
    CHECK(!sr_utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
    CHECK(!sr_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    CHECK(!sr_utf8_valid("\xe1\x80", 2));         /* truncated */
    CHECK(!sr_utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
    CHECK(!sr_utf8_valid("\xff", 1));

    /* sr_utf8_decode: code points and lengths, worked out by hand */
    uint32_t cp = 0;
    const unsigned char *u = (const unsigned char *)"A\xc3\xa9\xe1\x80\x99";
    CHECK(sr_utf8_decode(u, 6, &cp) == 1 && cp == 0x41);
    CHECK(sr_utf8_decode(u + 1, 5, &cp) == 2 && cp == 0xE9);
    CHECK(sr_utf8_decode(u + 3, 3, &cp) == 3 && cp == 0x1019);
    u = (const unsigned char *)"\xf0\x9f\x98\x80"; /* U+1F600 */
    CHECK(sr_utf8_decode(u, 4, &cp) == 4 && cp == 0x1F600);
    u = (const unsigned char *)"\xf4\x8f\xbf\xbf"; /* the last code point */
    CHECK(sr_utf8_decode(u, 4, &cp) == 4 && cp == 0x10FFFF);
    CHECK(sr_utf8_decode((const unsigned char *)"", 1, &cp) == 1 && cp == 0);
    /* ill-formed: the maximal subpart is consumed, at least one byte */
    u = (const unsigned char *)"\x80";
    CHECK(sr_utf8_decode(u, 1, &cp) == 1 && cp == SR_UTF8_BAD);
    u = (const unsigned char *)"\xc0\xaf"; /* C0 leads nothing */
    CHECK(sr_utf8_decode(u, 2, &cp) == 1 && cp == SR_UTF8_BAD);
    u = (const unsigned char *)"\xe0\x80\x80"; /* overlong: stops at 80 */
    CHECK(sr_utf8_decode(u, 3, &cp) == 1 && cp == SR_UTF8_BAD);
    u = (const unsigned char *)"\xed\xa0\x80"; /* surrogate */
    CHECK(sr_utf8_decode(u, 3, &cp) == 1 && cp == SR_UTF8_BAD);
    u = (const unsigned char *)"\xe1\x80\x41"; /* third byte not 80..BF */
    CHECK(sr_utf8_decode(u, 3, &cp) == 2 && cp == SR_UTF8_BAD);
    u = (const unsigned char *)"\xf0\x9f\x98"; /* truncated by len */
    CHECK(sr_utf8_decode(u, 3, &cp) == 3 && cp == SR_UTF8_BAD);
    u = (const unsigned char *)"\xf4\x90\x80\x80"; /* past U+10FFFF */
    CHECK(sr_utf8_decode(u, 4, &cp) == 1 && cp == SR_UTF8_BAD);
    u = (const unsigned char *)"\xf5\x80"; /* F5 leads nothing */
    CHECK(sr_utf8_decode(u, 2, &cp) == 1 && cp == SR_UTF8_BAD);
}

static void
test_arena_err(void)
{
    struct arena a;
    arena_init(&a);
    char *s = arena_printf(&a, "%s-%d", "x", 5);
    CHECK_STR(s, "x-5");
    void *big = arena_alloc(&a, 100000); /* larger than a block */
    CHECK(big != NULL);
    memset(big, 1, 100000);
    CHECK(((uintptr_t)arena_alloc(&a, 3) % sizeof(void *)) == 0);
    CHECK_STR(arena_strndup(&a, "abcdef", 3), "abc");
    arena_release(&a);
    arena_release(&a);

    struct sr_err err = { 0 };
    CHECK(sr_err_set(&err, SR_EINVAL, "field '%s' bad", "name") == SR_EINVAL);
    CHECK(err.code == SR_EINVAL);
    CHECK_STR(sr_err_msg(&err), "field 'name' bad");
    sr_err_release(&err);
    CHECK(err.code == SR_OK && err.msg == NULL);
    CHECK_STR(sr_err_msg(&err), "ok");
    CHECK(sr_err_set(NULL, SR_EDB, "x") == SR_EDB);
}

/* sr_xgrow: room while n < cap, doubling from 16, new elements zeroed */
static void
test_xgrow(void)
{
    size_t cap = 0;
    int *v = sr_xgrow(NULL, 0, &cap, sizeof *v);
    CHECK(v != NULL && cap == 16);
    CHECK(v[0] == 0 && v[15] == 0);
    for (size_t i = 0; i < 16; i++) {
        v[i] = (int)i + 1;
    }
    int *same = sr_xgrow(v, 15, &cap, sizeof *v);
    CHECK(same == v && cap == 16);
    v = sr_xgrow(v, 16, &cap, sizeof *v);
    CHECK(cap == 32);
    CHECK(v[0] == 1 && v[15] == 16);
    CHECK(v[16] == 0 && v[31] == 0);
    free(v);
}

/* sr_time_text: day or minute, shifted by the zone; "-" for no time */
static void
test_time_text(void)
{
    char out[32];
    sr_time_text(1767225600, 0, SR_TIME_DAY, out, sizeof out);
    CHECK(strcmp(out, "2026-01-01") == 0);
    sr_time_text(1767225600, 25200, SR_TIME_MINUTE, out, sizeof out);
    CHECK(strcmp(out, "2026-01-01 07:00") == 0);
    sr_time_text(0, 25200, SR_TIME_MINUTE, out, sizeof out);
    CHECK(strcmp(out, "-") == 0);
    /* HTML's local date and time: 2026-01-01 00:00 UTC is 06:30 in Yangon */
    sr_time_text(1767225600, 23400, SR_TIME_ISO, out, sizeof out);
    CHECK(strcmp(out, "2026-01-01T06:30") == 0);
    sr_time_text(1767225600 - 60, 0, SR_TIME_ISO, out, sizeof out);
    CHECK(strcmp(out, "2025-12-31T23:59") == 0);
    sr_time_text(-1, 0, SR_TIME_ISO, out, sizeof out);
    CHECK(strcmp(out, "-") == 0);
    CHECK(sr_days_from_civil(2026, 1, 1) * 86400 == 1767225600);
}

/* sr_tz_label: "UTC", the sign and hours, ":MM" only when there are
 * minutes; seconds dropped */
static void
test_tz_label(void)
{
    char out[16];
    sr_tz_label(0, out, sizeof out);
    CHECK(strcmp(out, "UTC") == 0);
    sr_tz_label(7 * 3600, out, sizeof out);
    CHECK(strcmp(out, "UTC+7") == 0);
    sr_tz_label(6 * 3600 + 1800, out, sizeof out);
    CHECK(strcmp(out, "UTC+6:30") == 0);
    sr_tz_label(5 * 3600 + 45 * 60, out, sizeof out);
    CHECK(strcmp(out, "UTC+5:45") == 0);
    sr_tz_label(14 * 3600, out, sizeof out);
    CHECK(strcmp(out, "UTC+14") == 0);
    sr_tz_label(-(3 * 3600 + 1800), out, sizeof out);
    CHECK(strcmp(out, "UTC-3:30") == 0);
    sr_tz_label(-10 * 3600, out, sizeof out);
    CHECK(strcmp(out, "UTC-10") == 0);
    sr_tz_label(7 * 3600 + 59, out, sizeof out);
    CHECK(strcmp(out, "UTC+7") == 0);
    sr_tz_label(-59, out, sizeof out);
    CHECK(strcmp(out, "UTC") == 0);
    /* the labels of the zones a workspace names */
    int off = -1;
    CHECK(sr_tz_offset("Asia/Yangon", &off) == SR_OK);
    sr_tz_label(off, out, sizeof out);
    CHECK(strcmp(out, "UTC+6:30") == 0);
    CHECK(sr_tz_offset("Asia/Jayapura", &off) == SR_OK);
    sr_tz_label(off, out, sizeof out);
    CHECK(strcmp(out, "UTC+9") == 0);
}

/* sr_is_space_cp: ASCII and Unicode white space, nothing else */
static void
test_space_cp(void)
{
    CHECK(sr_is_space_cp(' ') && sr_is_space_cp('\t') && sr_is_space_cp(0x85));
    CHECK(sr_is_space_cp(0x3000)); /* ideographic space (Zs) */
    CHECK(sr_is_space_cp(0x2028)); /* line separator (Zl) */
    CHECK(!sr_is_space_cp('a') && !sr_is_space_cp(0x200B) &&
          !sr_is_space_cp(0));
}

static void
test_add_file(void)
{
    FILE *f = tmpfile();
    CHECK(f != NULL);
    if (f == NULL) {
        return;
    }
    fputs("hello, world", f); /* 12 bytes */
    rewind(f);
    struct sr_buf b;
    sr_buf_init(&b, 13); /* ">" and the 12 bytes fit exactly */
    CHECK(sr_buf_adds(&b, ">") == SR_OK);
    CHECK(sr_buf_add_file(&b, f) == SR_OK);
    CHECK(b.len == 13 && strcmp(b.data, ">hello, world") == 0);
    CHECK(sr_buf_add_file(&b, f) == SR_OK); /* at the end: nothing more */
    CHECK(b.len == 13);
    rewind(f);
    sr_buf_reset(&b);
    b.max = 11; /* one byte short */
    CHECK(sr_buf_add_file(&b, f) == SR_ETOOBIG);
    sr_buf_release(&b);
    fclose(f);
    /* a stream that cannot be read */
    f = fopen("/dev/null", "w");
    CHECK(f != NULL);
    if (f != NULL) {
        sr_buf_init(&b, 0);
        CHECK(sr_buf_add_file(&b, f) == SR_EIO);
        CHECK(b.len == 0);
        sr_buf_release(&b);
        fclose(f);
    }
}

static void
test_dvec(void)
{
    struct sr_dvec d = { 0 };
    /* pushed past the first growth, every value kept in order */
    for (int i = 0; i < 40; i++) {
        sr_dvec_push(&d, (double)(40 - i));
    }
    CHECK(d.n == 40 && d.cap >= 40 && d.v[0] == 40.0 && d.v[39] == 1.0);
    /* even count: the mean of the two middle values (20 and 21) */
    CHECK(sr_median(d.v, d.n) == 20.5);
    /* it sorted in place */
    CHECK(d.v[0] == 1.0 && d.v[39] == 40.0);
    sr_dvec_release(&d);
    CHECK(d.v == NULL && d.n == 0 && d.cap == 0);
    sr_dvec_release(&d); /* safe twice */
    /* odd count, unsorted, negatives and repeats */
    double odd[] = { 7.5, -2.0, 3.0, 3.0, 100.0 };
    CHECK(sr_median(odd, 5) == 3.0);
    double one[] = { -4.25 };
    CHECK(sr_median(one, 1) == -4.25);
    double two[] = { 9.0, 1.0 };
    CHECK(sr_median(two, 2) == 5.0);
}

/* SR_RELEASE: every array freed (ASan and LSan see a leak or a double
 * free), the struct zeroed, nothing done for NULL, safe twice */
struct two_arrays {
    int *a;
    char *b;
    size_t n;
};

static void
two_arrays_release(struct two_arrays *t)
{
    SR_RELEASE(t, t->a, t->b);
}

static void
test_release(void)
{
    struct two_arrays t = { sr_xcalloc(4, sizeof(int)), sr_xstrdup("x"), 4 };
    two_arrays_release(&t);
    CHECK(t.a == NULL && t.b == NULL && t.n == 0);
    two_arrays_release(&t); /* safe twice: the pointers are NULL now */
    CHECK(t.a == NULL && t.b == NULL && t.n == 0);
    two_arrays_release(NULL); /* the members of NULL are never read */
    struct sr_err e = { 0 };
    sr_err_set(&e, SR_EINVAL, "bad %d", 1);
    sr_err_release(&e);
    CHECK(e.msg == NULL && e.code == SR_OK);
}

int
main(void)
{
    test_buf();
    test_release();
    test_parse();
    test_utf8();
    test_arena_err();
    test_xgrow();
    test_time_text();
    test_tz_label();
    test_space_cp();
    test_add_file();
    test_dvec();
    return TEST_DONE("test_buf");
}
