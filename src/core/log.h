/*
 * log.h - one logfmt line per event on stderr.
 *
 * LOG(level, fmt, ...) skips formatting when the level is off. Lines go to
 * stderr, or to the file of sr_log_open_file(), reopened on SIGHUP so a
 * rotation (mv siren.log siren.log.1; kill -HUP PID) loses no line. Never pass
 * names, free text, phones, addresses, passwords, tokens or query strings:
 * log ids and codes only.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_LOG_H
#define SR_LOG_H

#include "core/err.h"

enum sr_log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

/* The current threshold; set once at startup (not thread-safe to change). */
extern enum sr_log_level sr_log_threshold;

/* Write "ts=... level=... <formatted>" as one line; thread-safe. */
void sr_log_write(enum sr_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Write log lines to path from now on (opened O_APPEND, created 0600),
 * and install a SIGHUP handler that reopens path (sr_log_reopen()). Call
 * once, at startup, before threads start (`siren serve` with log_file in
 * siren.conf). Error messages of commands still go to stderr. SR_OK,
 * SR_EINVAL (empty, too long, or a second call), SR_EIO.
 */
int sr_log_open_file(const char *path, struct sr_err *err);

/*
 * Reopen the log file by its path (after it was renamed by a rotation)
 * onto the same descriptor, so a line is written whole to the old file or
 * to the new one. Async-signal-safe; a no-op when logging to stderr or
 * when the file cannot be opened (lines keep going to the old one).
 */
void sr_log_reopen(void);

#define LOG(level, ...)                         \
    do {                                        \
        if ((level) <= sr_log_threshold) {      \
            sr_log_write((level), __VA_ARGS__); \
        }                                       \
    } while (0)

#endif
