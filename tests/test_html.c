/*
 * test_html.c - the HTML escaper: markup characters, quotes, NUL,
 * invalid UTF-8, bidi controls, South-East Asian scripts, the size cap
 * and URL encoding. Expected outputs are worked out by hand from the
 * rules in html.h (HTML entity names, RFC 3986 unreserved set, Unicode
 * 15 section 3.9 "maximal subpart" replacement).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <string.h>

#include "core/err.h"
#include "harness.h"
#include "render/html.h"

#include "core/banned.h" /* last: bans unsafe calls */

#define FFFD "\xEF\xBF\xBD"

/* html_textn of len bytes into a fresh page; compares with want */
static int
text_is(const char *s, size_t len, const char *want)
{
    struct html h;
    html_init(&h, 0);
    int rc = html_textn(&h, s, len);
    int ok = rc == SR_OK && strcmp(h.buf.data, want) == 0 &&
             h.buf.len == strlen(want);
    if (!ok) {
        fprintf(stderr, "  got '%s' want '%s'\n", h.buf.data, want);
    }
    html_release(&h);
    return ok;
}

#define TEXT_IS(lit, want) text_is((lit), sizeof(lit) - 1, (want))

static void
test_markup(void)
{
    CHECK(TEXT_IS("<script>alert(1)</script>",
                  "&lt;script&gt;alert(1)&lt;/script&gt;"));
    CHECK(TEXT_IS("a \"b\" 'c'", "a &quot;b&quot; &#39;c&#39;"));
    CHECK(TEXT_IS("Tom & Jerry &amp;", "Tom &amp; Jerry &amp;amp;"));
    CHECK(TEXT_IS("", ""));
    CHECK(TEXT_IS("plain text, 42.", "plain text, 42."));
    /* tab, LF and CR are kept; other C0 controls and DEL are not */
    CHECK(TEXT_IS("a\tb\nc\rd", "a\tb\nc\rd"));
    CHECK(TEXT_IS("a\x01"
                  "b\x1b"
                  "c\x7f",
                  "a" FFFD "b" FFFD "c" FFFD));
    /* C1 control U+0085 (C2 85) */
    CHECK(TEXT_IS("x\xC2\x85y", "x" FFFD "y"));

    struct html h;
    html_init(&h, 0);
    CHECK(html_attr(&h, "\" onmouseover='x' a=\"") == SR_OK);
    CHECK_STR(h.buf.data, "&quot; onmouseover=&#39;x&#39; a=&quot;");
    html_release(&h);
    html_release(&h); /* safe twice */

    html_init(&h, 0);
    CHECK(html_text(&h, NULL) == SR_OK);
    CHECK(h.buf.len == 0);
    CHECK(HTML_LIT(&h, "<p class=\"x\">") == SR_OK);
    CHECK(html_text(&h, "1 < 2") == SR_OK);
    CHECK(HTML_LIT(&h, "</p>") == SR_OK);
    CHECK_STR(h.buf.data, "<p class=\"x\">1 &lt; 2</p>");
    html_release(&h);
}

static void
test_nul(void)
{
    /* a NUL inside a length-given string is dropped, not a terminator */
    CHECK(TEXT_IS("ab\0cd", "abcd"));
    CHECK(TEXT_IS("\0\0<\0", "&lt;"));
}

static void
test_invalid_utf8(void)
{
    /* overlong '/' (C0 AF): C0 can never start a sequence; 2 x U+FFFD */
    CHECK(TEXT_IS("a\xC0\xAF"
                  "b",
                  "a" FFFD FFFD "b"));
    /* overlong 3-byte NUL (E0 80 80): E0 needs A0-BF next, so 3 x FFFD */
    CHECK(TEXT_IS("\xE0\x80\x80", FFFD FFFD FFFD));
    /* overlong '<' in two bytes (C1 BC) must not become a '<' */
    CHECK(TEXT_IS("\xC1\xBC", FFFD FFFD));
    /* surrogate U+D800 (ED A0 80): ED needs 80-9F next, so 3 x FFFD */
    CHECK(TEXT_IS("x\xED\xA0\x80y", "x" FFFD FFFD FFFD "y"));
    /* truncated 3-byte sequence (E1 80) at the end: one FFFD */
    CHECK(TEXT_IS("ok\xE1\x80", "ok" FFFD));
    /* truncated 4-byte prefix followed by ASCII: one FFFD, then '<' */
    CHECK(TEXT_IS("\xF0\x9F\x98<", FFFD "&lt;"));
    /* lone continuation byte and bytes F5, FF */
    CHECK(TEXT_IS("\x80\xF5\xFF", FFFD FFFD FFFD));
    /* above U+10FFFF (F4 90 80 80): F4 needs 80-8F next, so 4 x FFFD */
    CHECK(TEXT_IS("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD));
    /* valid edges pass: U+0080, U+07FF, U+FFFD, U+10FFFF, emoji U+1F600 */
    CHECK(TEXT_IS("\xC2\x80", FFFD)); /* U+0080 is a C1 control */
    CHECK(TEXT_IS("\xDF\xBF\xEF\xBF\xBD\xF4\x8F\xBF\xBF\xF0\x9F\x98\x80",
                  "\xDF\xBF\xEF\xBF\xBD\xF4\x8F\xBF\xBF\xF0\x9F\x98\x80"));
}

static void
test_bidi(void)
{
    /* U+202E RIGHT-TO-LEFT OVERRIDE is E2 80 AE */
    CHECK(TEXT_IS("abc\xE2\x80\xAE"
                  "gpj.exe",
                  "abc&#x202E;gpj.exe"));
    /* U+202A..U+202D and U+2066..U+2069 (E2 81 A6..A9) */
    CHECK(TEXT_IS("\xE2\x80\xAA\xE2\x80\xAD\xE2\x81\xA6\xE2\x81\xA9",
                  "&#x202A;&#x202D;&#x2066;&#x2069;"));
    /* neighbours U+2029 (E2 80 A9), U+202F, U+2065 (E2 81 A5) pass */
    CHECK(TEXT_IS("\xE2\x80\xA9\xE2\x80\xAF\xE2\x81\xA5",
                  "\xE2\x80\xA9\xE2\x80\xAF\xE2\x81\xA5"));
}

static void
test_scripts(void)
{
    /* Burmese "Myanmar" with stacked consonant and medials */
    static const char my[] = "\xE1\x80\x99\xE1\x80\xBC\xE1\x80\x94\xE1\x80\xBA"
                             "\xE1\x80\x99\xE1\x80\xAC";
    /* Khmer "Khmer" (ខ្មែរ) with coeng U+17D2 */
    static const char km[] =
        "\xE1\x9E\x81\xE1\x9F\x92\xE1\x9E\x98\xE1\x9F\x82\xE1\x9E\x9A";
    /* Thai "Thai" (ไทย) */
    static const char th[] = "\xE0\xB9\x84\xE0\xB8\x97\xE0\xB8\xA2";
    /* zero-width joiner/non-joiner used in these scripts pass too */
    static const char zw[] = "\xE2\x80\x8C\xE2\x80\x8D";
    CHECK(TEXT_IS(my, my));
    CHECK(TEXT_IS(km, km));
    CHECK(TEXT_IS(th, th));
    CHECK(TEXT_IS(zw, zw));

    struct html h;
    html_init(&h, 0);
    CHECK(html_text(&h, my) == SR_OK);
    CHECK(html_text(&h, "<") == SR_OK);
    CHECK(html_text(&h, th) == SR_OK);
    CHECK(h.buf.len == strlen(my) + 4 + strlen(th));
    html_release(&h);
}

static void
test_cap(void)
{
    struct html h;
    html_init(&h, 10);
    CHECK(html_text(&h, "12345") == SR_OK);
    /* "<<" needs 8 bytes; 5 + 8 > 10: refused, page unchanged */
    CHECK(html_text(&h, "<<") == SR_ETOOBIG);
    CHECK(h.buf.len == 5);
    CHECK_STR(h.buf.data, "12345");
    /* partial escapes are rolled back even mid-string */
    CHECK(html_text(&h, "ab<cd") == SR_ETOOBIG);
    CHECK_STR(h.buf.data, "12345");
    CHECK(html_url(&h, "a b") == SR_OK); /* "a%20b" = 5, exactly 10 */
    CHECK_STR(h.buf.data, "12345a%20b");
    CHECK(html_url(&h, "x") == SR_ETOOBIG);
    CHECK(HTML_LIT(&h, "x") == SR_ETOOBIG);
    CHECK(html_printf_text(&h, "%d", 7) == SR_ETOOBIG);
    CHECK(h.buf.len == 10);
    html_release(&h);

    /* default cap is 8 MiB */
    html_init(&h, 0);
    CHECK(h.buf.max == (size_t)8 * 1024 * 1024);
    html_release(&h);
}

static void
test_url(void)
{
    struct html h;
    html_init(&h, 0);
    CHECK(html_url(&h, "AZaz09-._~") == SR_OK);
    CHECK_STR(h.buf.data, "AZaz09-._~");
    sr_buf_reset(&h.buf);
    CHECK(html_url(&h, "a b&c=d/e?f#\"'<>%+") == SR_OK);
    CHECK_STR(h.buf.data, "a%20b%26c%3Dd%2Fe%3Ff%23%22%27%3C%3E%25%2B");
    sr_buf_reset(&h.buf);
    /* Thai "ไ" = E0 B9 84 */
    CHECK(html_url(&h, "\xE0\xB9\x84") == SR_OK);
    CHECK_STR(h.buf.data, "%E0%B9%84");
    sr_buf_reset(&h.buf);
    CHECK(html_url(&h, NULL) == SR_OK);
    CHECK(h.buf.len == 0);
    html_release(&h);
}

static void
test_printf(void)
{
    struct html h;
    html_init(&h, 0);
    CHECK(html_printf_text(&h, "Signed in as %s (%d)", "<b>&", 3) == SR_OK);
    CHECK_STR(h.buf.data, "Signed in as &lt;b&gt;&amp; (3)");
    html_release(&h);
}

int
main(void)
{
    test_markup();
    test_nul();
    test_invalid_utf8();
    test_bidi();
    test_scripts();
    test_cap();
    test_url();
    test_printf();
    return TEST_DONE("test_html");
}
