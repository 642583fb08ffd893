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
#define BAD_CP      UINT32_MAX     /* decode(): ill-formed sequence */

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

/*
 * Decode one UTF-8 sequence at s (len >= 1 bytes). Returns the bytes
 * consumed and stores the code point in *cp, or BAD_CP for an ill-formed
 * sequence; then the bytes consumed are its maximal ill-formed subpart
 * (Unicode 15, section 3.9), at least one, so each bad run becomes one
 * U+FFFD the way browsers do it.
 */
static size_t
decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned c = s[0];
    size_t need;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    uint32_t v;

    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0) {
            lo = 0xA0; /* no overlong 3-byte forms */
        } else if (c == 0xED) {
            hi = 0x9F; /* no surrogates U+D800-U+DFFF */
        }
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0) {
            lo = 0x90; /* no overlong 4-byte forms */
        } else if (c == 0xF4) {
            hi = 0x8F; /* nothing above U+10FFFF */
        }
    } else {
        *cp = BAD_CP; /* continuation byte, C0/C1 overlong lead, F5-FF */
        return 1;
    }
    for (size_t k = 1; k <= need; k++) {
        if (k >= len) {
            *cp = BAD_CP; /* truncated */
            return k;
        }
        unsigned b = s[k];
        unsigned min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xBF;
        if (b < min || b > max) {
            *cp = BAD_CP;
            return k;
        }
        v = (v << 6) | (b & 0x3F);
    }
    *cp = v;
    return need + 1;
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
        size_t n = decode(s + i, len - i, &cp);
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
        } else if (cp == BAD_CP ||
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
