/*
 * log.c - logfmt lines on stderr.
 *
 * Owns the log threshold. One fprintf per line under stdio's own lock, so
 * lines from worker threads never interleave. Must not be handed identities.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "core/banned.h"

enum sr_log_level sr_log_threshold = LOG_INFO;

static const char *const level_names[] = { "error", "warn", "info", "debug" };

void
sr_log_write(enum sr_log_level level, const char *fmt, ...)
{
    char line[1024];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = (int)strftime(line, sizeof line, "ts=%Y-%m-%dT%H:%M:%SZ", &tm);
    n += snprintf(line + n, sizeof line - (size_t)n, " level=%s ",
                  level_names[level]);
    va_list ap;
    va_start(ap, fmt);
    if (n < (int)sizeof line) {
        vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    }
    va_end(ap);
    flockfile(stderr);
    fputs(line, stderr);
    fputc('\n', stderr);
    funlockfile(stderr);
}
