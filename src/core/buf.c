/*
 * buf.c - sr_buf, sr_str, integer parsing, UTF-8 decoding and validation.
 *
 * The only growable-buffer code in SIREN. Every append honours the
 * buffer's hard cap and leaves the buffer unchanged when it refuses.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/buf.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/err.h"
#include "core/banned.h"

void
sr_buf_init(struct sr_buf *b, size_t max)
{
    assert(b != NULL);
    b->max = max ? max : SR_BUF_DEFAULT_MAX;
    b->cap = 64;
    b->len = 0;
    b->data = sr_xmalloc(b->cap);
    b->data[0] = '\0';
}

void
sr_buf_release(struct sr_buf *b)
{
    if (b == NULL) {
        return;
    }
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void
sr_buf_reset(struct sr_buf *b)
{
    b->len = 0;
    if (b->data != NULL) {
        b->data[0] = '\0';
    }
}

static int
reserve(struct sr_buf *b, size_t extra)
{
    if (b->data == NULL) {
        sr_buf_init(b, b->max);
    }
    if (extra > b->max - b->len) {
        return SR_ETOOBIG;
    }
    size_t need = b->len + extra + 1;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < need) {
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        }
        b->data = sr_xrealloc(b->data, cap);
        b->cap = cap;
    }
    return SR_OK;
}

int
sr_buf_add(struct sr_buf *b, const void *p, size_t len)
{
    assert(b != NULL);
    if (len == 0) {
        return SR_OK;
    }
    int rc = reserve(b, len);
    if (rc != SR_OK) {
        return rc;
    }
    memcpy(b->data + b->len, p, len);
    b->len += len;
    b->data[b->len] = '\0';
    return SR_OK;
}

int
sr_buf_add_file(struct sr_buf *b, FILE *f)
{
    assert(b != NULL && f != NULL);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (sr_buf_add(b, chunk, n) != SR_OK) {
            return SR_ETOOBIG;
        }
    }
    return ferror(f) ? SR_EIO : SR_OK;
}

int
sr_buf_adds(struct sr_buf *b, const char *s)
{
    return sr_buf_add(b, s, strlen(s));
}

int
sr_buf_addc(struct sr_buf *b, char c)
{
    return sr_buf_add(b, &c, 1);
}

int
sr_buf_vprintf(struct sr_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        return SR_EINVAL;
    }
    int rc = reserve(b, (size_t)n);
    if (rc != SR_OK) {
        return rc;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return SR_OK;
}

int
sr_buf_printf(struct sr_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = sr_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *
sr_buf_detach(struct sr_buf *b, size_t *out_len)
{
    if (b->data == NULL) {
        sr_buf_init(b, b->max);
    }
    char *p = b->data;
    if (out_len != NULL) {
        *out_len = b->len;
    }
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}

struct sr_str
sr_str_of(const char *s)
{
    struct sr_str v = { s, s ? strlen(s) : 0 };
    return v;
}

int
sr_str_eq(struct sr_str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.len == n && memcmp(s.p, lit, n) == 0;
}

int
sr_parse_i64(const char *s, long long min, long long max, long long *out)
{
    if (s == NULL || *s == '\0') {
        return SR_EINVAL;
    }
    const char *p = s;
    if (*p == '-' || *p == '+') {
        p++;
    }
    if (*p < '0' || *p > '9') {
        return SR_EINVAL;
    }
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == NULL || *end != '\0' || v < min || v > max) {
        return SR_EINVAL;
    }
    *out = v;
    return SR_OK;
}

/*
 * The well-formed lead bytes of Unicode 15, Table 3-7: how many
 * continuation bytes follow each and the range of the first of them (the
 * others are always 80..BF). C0, C1 and F5..FF lead nothing.
 */
static const struct utf8_lead {
    unsigned char first, last; /* the lead bytes of the row */
    unsigned char n_cont;      /* continuation bytes after the lead */
    unsigned char lo, hi;      /* range of the byte after the lead */
} utf8_leads[] = {
    { 0xC2, 0xDF, 1, 0x80, 0xBF },
    { 0xE0, 0xE0, 2, 0xA0, 0xBF }, /* no overlong 3-byte forms */
    { 0xE1, 0xEC, 2, 0x80, 0xBF },
    { 0xED, 0xED, 2, 0x80, 0x9F }, /* no surrogates U+D800..U+DFFF */
    { 0xEE, 0xEF, 2, 0x80, 0xBF },
    { 0xF0, 0xF0, 3, 0x90, 0xBF }, /* no overlong 4-byte forms */
    { 0xF1, 0xF3, 3, 0x80, 0xBF },
    { 0xF4, 0xF4, 3, 0x80, 0x8F }, /* nothing above U+10FFFF */
};

size_t
sr_utf8_decode(const unsigned char *p, size_t len, uint32_t *cp)
{
    assert(p != NULL && len >= 1 && cp != NULL);
    unsigned c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    *cp = SR_UTF8_BAD;
    const struct utf8_lead *l = NULL;
    for (size_t i = 0; i < sizeof utf8_leads / sizeof utf8_leads[0]; i++) {
        if (c >= utf8_leads[i].first && c <= utf8_leads[i].last) {
            l = &utf8_leads[i];
            break;
        }
    }
    if (l == NULL) {
        return 1; /* a continuation byte or a byte that leads nothing */
    }
    uint32_t v = c & (0x3Fu >> l->n_cont);
    for (size_t k = 1; k <= l->n_cont; k++) {
        if (k >= len) {
            return k; /* truncated */
        }
        unsigned b = p[k];
        if (b < (k == 1 ? l->lo : 0x80) || b > (k == 1 ? l->hi : 0xBF)) {
            return k;
        }
        v = (v << 6) | (b & 0x3F);
    }
    *cp = v;
    return (size_t)l->n_cont + 1;
}

int
sr_utf8_valid(const char *p, size_t len)
{
    const unsigned char *s = (const unsigned char *)p;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += sr_utf8_decode(s + i, len - i, &cp);
        if (cp == SR_UTF8_BAD || cp == 0) {
            return 0;
        }
    }
    return 1;
}

int
sr_is_space_cp(int32_t cp)
{
    if ((cp >= 9 && cp <= 13) || cp == ' ' || cp == 0x85) {
        return 1;
    }
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
           cat == UTF8PROC_CATEGORY_ZP;
}
