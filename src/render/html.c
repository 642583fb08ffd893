/*
 * html.c - the HTML writer: the one place that turns data into markup.
 *
 * Owns the escaping rules for text, attribute values and URL parts, and
 * the UTF-8 repair that goes with them (invalid sequences become U+FFFD
 * so a browser never guesses an encoding). Every call either appends all
 * of its output or leaves the page unchanged.
 *
 * Must not: know about requests, sessions, translations or the database;
 * emit markup that does not come from a string literal (HTML_LIT).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "render/html.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

#include "core/banned.h" /* last: bans unsafe calls */

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD in UTF-8 */

void
html_init(struct html *h, size_t max)
{
    assert(h != NULL);
    sr_buf_init(&h->buf, max ? max : HTML_DEFAULT_MAX);
}

void
html_release(struct html *h)
{
    if (h == NULL) {
        return;
    }
    sr_buf_release(&h->buf);
}

static int
is_bidi_control(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * The escaper behind html_text/textn/attr. Copies runs of harmless bytes
 * in one append and rewrites the rest; on failure truncates b back to
 * where it started.
 */
static int
escape(struct sr_buf *b, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t start_len = b->len;
    size_t run = 0; /* start of the pending run of bytes copied as is */
    size_t i = 0;
    int rc = SR_OK;

    while (i < len && rc == SR_OK) {
        uint32_t cp;
        size_t n = sr_utf8_decode(s + i, len - i, &cp);
        const char *rep = NULL;
        char num[16];

        if (cp == '&') {
            rep = "&amp;";
        } else if (cp == '<') {
            rep = "&lt;";
        } else if (cp == '>') {
            rep = "&gt;";
        } else if (cp == '"') {
            rep = "&quot;";
        } else if (cp == '\'') {
            rep = "&#39;";
        } else if (cp == 0) {
            rep = ""; /* NUL: dropped */
        } else if (cp == SR_UTF8_BAD ||
                   (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
                   (cp >= 0x7F && cp <= 0x9F)) {
            rep = REPLACEMENT;
        } else if (is_bidi_control(cp)) {
            snprintf(num, sizeof num, "&#x%X;", (unsigned)cp);
            rep = num;
        }
        if (rep != NULL) {
            rc = sr_buf_add(b, s + run, i - run);
            if (rc == SR_OK) {
                rc = sr_buf_add(b, rep, strlen(rep));
            }
            run = i + n;
        }
        i += n;
    }
    if (rc == SR_OK) {
        rc = sr_buf_add(b, s + run, len - run);
    }
    if (rc != SR_OK) {
        b->len = start_len;
        b->data[start_len] = '\0';
    }
    return rc;
}

int
html_textn(struct html *h, const char *s, size_t len)
{
    assert(h != NULL);
    assert(s != NULL || len == 0);
    if (len == 0) {
        return SR_OK;
    }
    return escape(&h->buf, s, len);
}

int
html_text(struct html *h, const char *s)
{
    assert(h != NULL);
    if (s == NULL) {
        return SR_OK;
    }
    return escape(&h->buf, s, strlen(s));
}

int
html_attr(struct html *h, const char *s)
{
    /*
     * Attribute values are always double-quoted by the caller; escaping
     * both quotes as well keeps a single-quoted mistake safe too.
     */
    return html_text(h, s);
}

int
html_url(struct html *h, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    assert(h != NULL);
    if (s == NULL) {
        return SR_OK;
    }
    struct sr_buf *b = &h->buf;
    size_t start_len = b->len;
    int rc = SR_OK;
    for (const unsigned char *p = (const unsigned char *)s;
         *p != '\0' && rc == SR_OK; p++) {
        unsigned c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
            c == '~') {
            rc = sr_buf_addc(b, (char)c);
        } else {
            char enc[3] = { '%', hex[c >> 4], hex[c & 0x0F] };
            rc = sr_buf_add(b, enc, sizeof enc);
        }
    }
    if (rc != SR_OK) {
        b->len = start_len;
        b->data[start_len] = '\0';
    }
    return rc;
}

int
html_printf_text(struct html *h, const char *fmt, ...)
{
    assert(h != NULL && fmt != NULL);
    struct sr_buf tmp;
    sr_buf_init(&tmp, h->buf.max);
    va_list ap;
    va_start(ap, fmt);
    int rc = sr_buf_vprintf(&tmp, fmt, ap);
    va_end(ap);
    if (rc == SR_OK) {
        rc = html_textn(h, tmp.data, tmp.len);
    }
    sr_buf_release(&tmp);
    return rc;
}

int
html_raw(struct html *h, const char *s, size_t len)
{
    assert(h != NULL && (s != NULL || len == 0));
    return sr_buf_add(&h->buf, s, len);
}
