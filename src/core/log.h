/*
 * log.h - one logfmt line per event on stderr.
 *
 * LOG(level, fmt, ...) skips formatting when the level is off. Never pass
 * names, free text, phones, addresses, passwords, tokens or query strings:
 * log ids and codes only.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_LOG_H
#define SR_LOG_H

enum sr_log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

/* The current threshold; set once at startup (not thread-safe to change). */
extern enum sr_log_level sr_log_threshold;

/* Write "ts=... level=... <formatted>" as one line; thread-safe. */
void sr_log_write(enum sr_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define LOG(level, ...)                         \
    do {                                        \
        if ((level) <= sr_log_threshold) {      \
            sr_log_write((level), __VA_ARGS__); \
        }                                       \
    } while (0)

#endif
