/*
 * err.h - SIREN's one error currency.
 *
 * A fallible function returns int: SR_OK (0) or a negative enum sr_status,
 * and writes a user-safe message into a caller-supplied struct sr_err.
 * Messages never carry identities: codes and field names only.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_ERR_H
#define SR_ERR_H

#include <stddef.h>

enum sr_status {
    SR_OK = 0,
    SR_ENOMEM = -1,
    SR_EINVAL = -2,
    SR_ENOTFOUND = -3,
    SR_ECONFLICT = -4,
    SR_EPERM = -5,
    SR_EDB = -6,
    SR_ETOOBIG = -7,
    SR_EIO = -8,
    SR_ECRYPTO = -9,
    SR_ELOCKED = -10
};

struct sr_err {
    enum sr_status code; /* SR_OK while nothing is recorded */
    char *msg;           /* user-safe text, malloc'd; sr_err_release() */
};

/*
 * Record code and a printf-style message in err (which may be NULL) and
 * return code, so callers write `return sr_err_set(err, SR_EINVAL, ...)`.
 * A message already recorded is replaced.
 */
int sr_err_set(struct sr_err *err, enum sr_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Free err's message and reset it to SR_OK; safe to call twice. */
void sr_err_release(struct sr_err *err);

/* The message in err, or a generic text for its code; never NULL. */
const char *sr_err_msg(const struct sr_err *err);

/* A short constant name for a status ("invalid input", ...). */
const char *sr_status_str(int code);

/*
 * Abort with file:line, even under NDEBUG: for states that are a bug in
 * SIREN, never for bad input.
 */
#define SR_BUG(msg) sr_bug(__FILE__, __LINE__, (msg))
_Noreturn void sr_bug(const char *file, int line, const char *msg);

/* Print "siren: <msg>" to stderr and exit(1). Only before serving. */
_Noreturn void sr_die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* malloc/calloc/realloc/strdup that abort on OOM and check overflow. */
void *sr_xmalloc(size_t size);
void *sr_xcalloc(size_t n, size_t size);
void *sr_xrealloc(void *p, size_t size);
/*
 * Room for element n of the array p of *cap elements of size bytes each
 * (n <= *cap): p itself while n < *cap, otherwise p reallocated to twice
 * its capacity (16 elements at first), the new elements zeroed and *cap
 * updated. Aborts on overflow or when memory runs out.
 */
void *sr_xgrow(void *p, size_t n, size_t *cap, size_t size);
char *sr_xstrdup(const char *s);
char *sr_xstrndup(const char *s, size_t len);

/*
 * What S_release() does for a struct whose members own plain arrays:
 * frees the n pointers ptrs[0..n-1], then zeroes the size bytes at obj.
 * Called through SR_RELEASE(), which does nothing when obj is NULL.
 */
void sr_free_and_zero(void *obj, size_t size, void *const *ptrs, size_t n);

/* SR_RELEASE(p, p->a, p->b...): free p's arrays a, b... and zero *p;
 * nothing when p is NULL (the members are read only when it is not). */
#define SR_RELEASE(obj, ...)                                        \
    do {                                                            \
        if ((obj) != NULL) {                                        \
            void *const sr_ptrs_[] = { __VA_ARGS__ };               \
            sr_free_and_zero((obj), sizeof *(obj), sr_ptrs_,        \
                             sizeof sr_ptrs_ / sizeof sr_ptrs_[0]); \
        }                                                           \
    } while (0)

#endif
