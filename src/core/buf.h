/*
 * buf.h - growable, always NUL-terminated byte buffers with a hard cap,
 * and read-only string views for parsers.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_BUF_H
#define SR_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct sr_buf {
    char *data; /* never NULL after sr_buf_init(); NUL-terminated */
    size_t len; /* bytes used, excluding the terminator */
    size_t cap; /* bytes allocated */
    size_t max; /* hard cap on len; appends beyond it return SR_ETOOBIG */
};

struct sr_str {
    const char *p; /* borrowed bytes, not NUL-terminated */
    size_t len;    /* in bytes */
};

#define SR_BUF_DEFAULT_MAX ((size_t)64 * 1024 * 1024)

/* Make b empty with hard cap max bytes (0 = SR_BUF_DEFAULT_MAX). */
void sr_buf_init(struct sr_buf *b, size_t max);
/* Free b's storage; b stays valid and empty. Safe twice. */
void sr_buf_release(struct sr_buf *b);
/* Empty b without freeing. */
void sr_buf_reset(struct sr_buf *b);
/* Append len bytes; SR_ETOOBIG (and b unchanged) past the cap. */
int sr_buf_add(struct sr_buf *b, const void *p, size_t len);
/* Append the rest of f (left open); SR_ETOOBIG past the cap (b then holds
 * part of it), SR_EIO on a read error. */
int sr_buf_add_file(struct sr_buf *b, FILE *f);
/* Append a NUL-terminated string. */
int sr_buf_adds(struct sr_buf *b, const char *s);
/* Append one byte. */
int sr_buf_addc(struct sr_buf *b, char c);
/* Append formatted text; SR_ETOOBIG (b unchanged) past the cap. */
int sr_buf_printf(struct sr_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int sr_buf_vprintf(struct sr_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Hand b's storage to the caller (free() it); b becomes empty. */
char *sr_buf_detach(struct sr_buf *b, size_t *out_len);

/* A view of a NUL-terminated string. */
struct sr_str sr_str_of(const char *s);
/* True if s equals the NUL-terminated lit exactly. */
int sr_str_eq(struct sr_str s, const char *lit);

/*
 * Parse all of s (base 10, optional sign, no spaces) into *out, within
 * [min, max]. SR_EINVAL on anything else; *out written only on success.
 */
int sr_parse_i64(const char *s, long long min, long long max, long long *out);

/* sr_utf8_decode()'s code point for an ill-formed sequence. */
#define SR_UTF8_BAD UINT32_MAX

/*
 * Decode the UTF-8 sequence at p (len >= 1 bytes) into *cp and return the
 * bytes it takes: 1 to 4 for a well-formed sequence (Unicode 15, Table
 * 3-7; U+0000 is one), else *cp = SR_UTF8_BAD and the length of its
 * maximal ill-formed subpart (section 3.9), at least 1.
 */
size_t sr_utf8_decode(const unsigned char *p, size_t len, uint32_t *cp);

/* True if the len bytes at p are valid UTF-8 without NUL bytes. */
int sr_utf8_valid(const char *p, size_t len);

/* True if code point cp is white space: ASCII 9-13 and space, U+0085, and
 * Unicode's space, line and paragraph separators (Zs, Zl, Zp). */
int sr_is_space_cp(int32_t cp);

#endif
