/*
 * clock.c - wall-clock time with a test hook, the fixed offsets of the
 * region's time zones and their labels, and the civil calendar.
 *
 * Owns the clock function pointer, set only before threads start; that is
 * the named rule that makes this mutable global safe.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/clock.h"

#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
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

/*
 * Zones of the hotline region and neighbours whose offset has not changed
 * since 2000 and that keep no daylight saving time.
 */
static const struct {
    const char *name;
    int offset_s;
} zones[] = {
    { "UTC", 0 },
    { "Etc/UTC", 0 },
    { "Asia/Bangkok", 7 * 3600 },
    { "Asia/Yangon", 6 * 3600 + 1800 },
    { "Asia/Rangoon", 6 * 3600 + 1800 },
    { "Asia/Phnom_Penh", 7 * 3600 },
    { "Asia/Vientiane", 7 * 3600 },
    { "Asia/Ho_Chi_Minh", 7 * 3600 },
    { "Asia/Saigon", 7 * 3600 },
    { "Asia/Jakarta", 7 * 3600 },
    { "Asia/Pontianak", 7 * 3600 },
    { "Asia/Makassar", 8 * 3600 },
    { "Asia/Jayapura", 9 * 3600 },
    { "Asia/Kuala_Lumpur", 8 * 3600 },
    { "Asia/Kuching", 8 * 3600 },
    { "Asia/Singapore", 8 * 3600 },
    { "Asia/Shanghai", 8 * 3600 },
    { "Asia/Hong_Kong", 8 * 3600 },
    { "Asia/Taipei", 8 * 3600 },
    { "Asia/Manila", 8 * 3600 },
    { "Asia/Dhaka", 6 * 3600 },
    { "Asia/Kolkata", 5 * 3600 + 1800 },
    { "Asia/Tokyo", 9 * 3600 },
    { "Asia/Seoul", 9 * 3600 },
};

int
sr_tz_offset(const char *zone, int *offset_s)
{
    for (size_t i = 0; zone != NULL && i < sizeof zones / sizeof zones[0];
         i++) {
        if (strcmp(zones[i].name, zone) == 0) {
            *offset_s = zones[i].offset_s;
            return SR_OK;
        }
    }
    *offset_s = 0;
    return SR_ENOTFOUND;
}

void
sr_tz_label(int offset_s, char *out, size_t size)
{
    assert(offset_s > -86400 && offset_s < 86400);
    assert(out != NULL && size > 0);
    int minutes = (offset_s < 0 ? -offset_s : offset_s) / 60;
    char sign = offset_s < 0 ? '-' : '+';
    if (minutes == 0) {
        snprintf(out, size, "UTC");
    } else if (minutes % 60 == 0) {
        snprintf(out, size, "UTC%c%d", sign, minutes / 60);
    } else {
        snprintf(out, size, "UTC%c%d:%02d", sign, minutes / 60, minutes % 60);
    }
}

int64_t
sr_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void
sr_time_text(int64_t t, int offset_s, enum sr_time_form form, char *out,
             size_t size)
{
    struct tm tm;
    time_t tt = (time_t)(t + offset_s);
    if (t <= 0 || gmtime_r(&tt, &tm) == NULL) {
        snprintf(out, size, "-");
        return;
    }
    if (form == SR_TIME_DAY) {
        strftime(out, size, "%Y-%m-%d", &tm);
    } else if (form == SR_TIME_ISO) {
        strftime(out, size, "%Y-%m-%dT%H:%M", &tm);
    } else {
        strftime(out, size, "%Y-%m-%d %H:%M", &tm);
    }
}
