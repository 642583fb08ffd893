/*
 * html.h - the only way SIREN writes HTML.
 *
 * Every byte of a page goes through one of these calls. Text and attribute
 * values are escaped and made valid UTF-8; URL parts are percent-encoded;
 * markup comes only from string literals through HTML_LIT().
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_HTML_H
#define SR_HTML_H

#include <stddef.h>

#include "core/buf.h"

struct html {
    struct sr_buf buf; /* the page so far; UTF-8, capped by html_init() */
};

#define HTML_DEFAULT_MAX ((size_t)8 * 1024 * 1024)

/*
 * Make h an empty page whose output may grow to max bytes
 * (0 = HTML_DEFAULT_MAX, 8 MiB). Release with html_release().
 */
void html_init(struct html *h, size_t max);

/* Free h's output; h stays valid and empty. Safe to call twice. */
void html_release(struct html *h);

/*
 * Append the NUL-terminated s as HTML text. Escapes & < > " ' as entities;
 * replaces each invalid UTF-8 sequence (overlong, surrogate, above
 * U+10FFFF, truncated, stray continuation byte) with U+FFFD, one per
 * maximal ill-formed subpart; replaces C0 controls other than tab, LF and
 * CR, DEL and C1 controls with U+FFFD (HTML forbids them); writes the
 * bidi embedding/override/isolate controls U+202A-U+202E and
 * U+2066-U+2069 as numeric references (&#x202E;) so they are visible in
 * the page source and cannot hide in the markup bytes. All other
 * characters (Burmese, Khmer, Thai, ...) pass through unchanged.
 * s may be NULL (appends nothing).
 * Returns SR_OK, or SR_ETOOBIG when the cap would be passed; then h is
 * unchanged (no partial output).
 */
int html_text(struct html *h, const char *s);

/* As html_text() for the len bytes at s; NUL bytes are dropped. */
int html_textn(struct html *h, const char *s, size_t len);

/*
 * As html_text(), for an attribute value; the caller writes the
 * surrounding double quotes with HTML_LIT (value="...").
 */
int html_attr(struct html *h, const char *s);

/*
 * Append s percent-encoded for use as one URL path segment or query
 * value: every byte other than the RFC 3986 unreserved characters
 * A-Z a-z 0-9 - . _ ~ becomes %XX (upper-case hex). The result contains
 * no HTML-special characters, so it is safe inside an attribute too.
 * s may be NULL. Returns SR_OK or SR_ETOOBIG (h unchanged).
 */
int html_url(struct html *h, const char *s);

/*
 * Format like printf, then append the result as html_textn() does.
 * Returns SR_OK, SR_ETOOBIG (h unchanged) or SR_EINVAL on a bad format.
 */
int html_printf_text(struct html *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Append len bytes of markup unescaped. Call it only through HTML_LIT;
 * tools/lint-html rejects html_raw anywhere else outside html.c.
 * Returns SR_OK or SR_ETOOBIG (h unchanged).
 */
int html_raw(struct html *h, const char *s, size_t len);

/* "" lit "": a non-literal argument is a compile error */
#define HTML_LIT(h, lit) html_raw((h), "" lit, sizeof(lit) - 1)

#endif
