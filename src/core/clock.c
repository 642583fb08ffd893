/*
 * clock.c - wall-clock time with a test hook.
 *
 * Owns the clock function pointer, set only before threads start; that is
 * the named rule that makes this mutable global safe.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/clock.h"

#include <stddef.h>
#include <time.h>

#include "core/banned.h"

static int64_t (*clock_fn)(void);

int64_t
sr_now_ms(void)
{
    if (clock_fn != NULL) {
        return clock_fn();
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
sr_now(void)
{
    return sr_now_ms() / 1000;
}

void
sr_clock_set(int64_t (*fn)(void))
{
    clock_fn = fn;
}
