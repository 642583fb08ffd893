/*
 * clock.h - SIREN's notion of now, replaceable by tests.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CLOCK_H
#define SR_CLOCK_H

#include <stddef.h>
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

/*
 * The fixed UTC offset, in seconds east of UTC, of the IANA zone named
 * zone. Only zones of the hotline region and its neighbours whose offset
 * has not changed since 2000 and that keep no daylight saving time are
 * known (Asia/Bangkok, Asia/Yangon, ... UTC), so the offset is exact.
 * SR_OK, or SR_ENOTFOUND with *offset_s = 0 for another zone or NULL.
 */
int sr_tz_offset(const char *zone, int *offset_s);

/*
 * The label of the fixed offset offset_s (seconds east of UTC, whole
 * minutes; seconds are dropped) into out (size bytes): "UTC" for 0,
 * else "UTC", the sign, the hours and ":MM" only when there are minutes:
 * "UTC+7" (Asia/Bangkok), "UTC+6:30" (Asia/Yangon), "UTC-3:30".
 */
void sr_tz_label(int offset_s, char *out, size_t size);

/* How much of a time sr_time_text() writes. */
enum sr_time_form {
    SR_TIME_DAY,    /* YYYY-MM-DD */
    SR_TIME_MINUTE, /* YYYY-MM-DD HH:MM */
    SR_TIME_ISO,    /* YYYY-MM-DDTHH:MM (HTML's local date and time) */
};

/*
 * Unix time t, shifted offset_s seconds east of UTC, in form into out
 * (size bytes); "-" when t <= 0 or out of range.
 */
void sr_time_text(int64_t t, int offset_s, enum sr_time_form form, char *out,
                  size_t size);

/* Days since 1970-01-01 of the civil date y-m-d (proleptic Gregorian). */
int64_t sr_days_from_civil(int64_t y, int m, int d);

#endif
