/*
 * log.c - logfmt lines on stderr, or in a log file that SIGHUP reopens.
 *
 * Owns the log threshold and the log file's descriptor and path. Each line
 * is one write(2) of the whole line and its newline, so lines from worker
 * threads never interleave and a rotation never splits one. Reopening
 * uses only async-signal-safe calls (open, dup2, close), so the SIGHUP
 * handler does it itself, whichever thread the signal lands on. Must not
 * be handed identities.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/banned.h"

enum sr_log_level sr_log_threshold = LOG_INFO;

static const char *const level_names[] = { "error", "warn", "info", "debug" };

/* The file sr_log_open_file() named; written once before the handler is
 * installed, read-only after (the handler reads it). */
static char log_path[4096];
/* Where lines go: 2 (stderr) until sr_log_open_file(); then a descriptor
 * of log_path that sr_log_reopen() replaces in place with dup2(). */
static volatile sig_atomic_t log_fd = STDERR_FILENO;

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
        n += vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    }
    va_end(ap);
    if (n > (int)sizeof line - 2) {
        n = (int)sizeof line - 2; /* cut long lines, keep the newline */
    }
    line[n++] = '\n';
    const char *p = line;
    size_t left = (size_t)n;
    while (left > 0) {
        ssize_t w = write(log_fd, p, left);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            break; /* nowhere left to say it */
        }
        p += w;
        left -= (size_t)w;
    }
}

void
sr_log_reopen(void)
{
    int saved = errno;
    if (log_path[0] != '\0') {
        int fd =
            open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0) {
            if (fd != log_fd) {
                dup2(fd, log_fd);
                close(fd);
            }
        }
    }
    errno = saved;
}

static void
on_sighup(int sig)
{
    (void)sig;
    sr_log_reopen();
}

int
sr_log_open_file(const char *path, struct sr_err *err)
{
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof log_path || log_path[0] != '\0') {
        return sr_err_set(err, SR_EINVAL,
                          "log file: an absolute path of at most %zu bytes, "
                          "set once",
                          sizeof log_path - 1);
    }
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        return sr_err_set(err, SR_EIO, "cannot open log file '%s': %s", path,
                          strerror(errno));
    }
    memcpy(log_path, path, len + 1);
    log_fd = fd;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sighup;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGHUP, &sa, NULL) != 0) {
        return sr_err_set(err, SR_EIO, "cannot handle SIGHUP: %s",
                          strerror(errno));
    }
    return SR_OK;
}
