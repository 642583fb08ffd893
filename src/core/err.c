/*
 * err.c - error records, fatal exits and checked allocation.
 *
 * Owns struct sr_err and the x-allocators. Must not log: callers decide
 * whether an error is worth a log line (most are outcomes, not faults).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/err.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

int
sr_err_set(struct sr_err *err, enum sr_status code, const char *fmt, ...)
{
    if (err == NULL) {
        return code;
    }
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    free(err->msg);
    err->msg = sr_xstrdup(n < 0 ? "error" : tmp);
    err->code = code;
    return code;
}

void
sr_err_release(struct sr_err *err)
{
    SR_RELEASE(err, err->msg); /* code back to SR_OK (0) */
}

const char *
sr_status_str(int code)
{
    switch (code) {
    case SR_OK:
        return "ok";
    case SR_ENOMEM:
        return "out of memory";
    case SR_EINVAL:
        return "invalid input";
    case SR_ENOTFOUND:
        return "not found";
    case SR_ECONFLICT:
        return "conflict";
    case SR_EPERM:
        return "permission denied";
    case SR_EDB:
        return "database error";
    case SR_ETOOBIG:
        return "too large";
    case SR_EIO:
        return "input/output error";
    case SR_ECRYPTO:
        return "decryption failed";
    case SR_ELOCKED:
        return "locked";
    default:
        return "error";
    }
}

const char *
sr_err_msg(const struct sr_err *err)
{
    if (err != NULL && err->msg != NULL) {
        return err->msg;
    }
    return sr_status_str(err != NULL ? (int)err->code : SR_OK);
}

_Noreturn void
sr_bug(const char *file, int line, const char *msg)
{
    fprintf(stderr, "siren: BUG at %s:%d: %s\n", file, line, msg);
    abort();
}

_Noreturn void
sr_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("siren: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

void *
sr_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p == NULL) {
        SR_BUG("out of memory");
    }
    return p;
}

void *
sr_xcalloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        SR_BUG("allocation size overflow");
    }
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL) {
        SR_BUG("out of memory");
    }
    return p;
}

void *
sr_xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (q == NULL) {
        SR_BUG("out of memory");
    }
    return q;
}

void *
sr_xgrow(void *p, size_t n, size_t *cap, size_t size)
{
    assert(n <= *cap && size > 0);
    if (n < *cap) {
        return p;
    }
    size_t grown = *cap ? *cap * 2 : 16;
    if (grown < *cap || grown > SIZE_MAX / size) {
        SR_BUG("allocation size overflow");
    }
    char *q = sr_xrealloc(p, grown * size);
    memset(q + *cap * size, 0, (grown - *cap) * size);
    *cap = grown;
    return q;
}

char *
sr_xstrndup(const char *s, size_t len)
{
    char *p = sr_xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void
sr_free_and_zero(void *obj, size_t size, void *const *ptrs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(ptrs[i]);
    }
    memset(obj, 0, size);
}

char *
sr_xstrdup(const char *s)
{
    return sr_xstrndup(s, strlen(s));
}
