/*
 * buf.c - sr_buf, sr_str, integer parsing and UTF-8 validation.
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

int
sr_utf8_valid(const char *p, size_t len)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        unsigned min;
        if (c == 0) {
            return 0;
        } else if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1;
            min = 0x80;
            c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            min = 0x800;
            c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            min = 0x10000;
            c &= 0x07;
        } else {
            return 0;
        }
        if (len - i <= n) {
            return 0;
        }
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return 0;
            }
            c = (c << 6) | (s[i + k] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
            return 0;
        }
        i += n + 1;
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
