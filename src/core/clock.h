/*
 * clock.h - SIREN's notion of now, replaceable by tests.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CLOCK_H
#define SR_CLOCK_H

#include <stdint.h>

/* Unix time in milliseconds (or the test clock's). Thread-safe. */
int64_t sr_now_ms(void);
/* Unix time in seconds. */
int64_t sr_now(void);
/*
 * Replace the clock by fn (NULL restores the real one). Call only before
 * worker threads start (tests set it once, then move their own time).
 */
void sr_clock_set(int64_t (*fn)(void));

#endif
