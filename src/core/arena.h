/*
 * arena.h - bump allocation for one request: everything is freed at once.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_ARENA_H
#define SR_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *head; /* newest block first */
    size_t n_bytes;           /* bytes handed out so far */
};

/* Empty arena; no allocation. */
void arena_init(struct arena *a);
/* Free every block; the arena is empty again. Safe twice. */
void arena_release(struct arena *a);
/* size bytes aligned for any type; aborts on OOM. Never NULL. */
void *arena_alloc(struct arena *a, size_t size);
/* Copy of len bytes of s plus a NUL. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
/* Formatted string in the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
