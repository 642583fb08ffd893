/*
 * test_log.c - log lines to a file, and its rotation: after the file is
 * renamed, lines go on to the old file until SIGHUP, then to a new file at
 * the same path; no line is lost or split.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "harness.h"
#include "tally.h"
#include "core/banned.h"

/* The whole file at path into a static buffer ("" if missing). */
static const char *
slurp(const char *path)
{
    static char text[65536];
    FILE *f = fopen(path, "r");
    size_t n = 0;
    if (f != NULL) {
        n = fread(text, 1, sizeof text - 1, f);
        fclose(f);
    }
    text[n] = '\0';
    return text;
}

static int
count_lines(const char *text)
{
    int n = 0;
    for (const char *p = text; *p; p++) {
        n += *p == '\n';
    }
    return n;
}

int
main(void)
{
    char dir[] = "/tmp/siren-log-XXXXXX";
    REQUIRE(mkdtemp(dir) != NULL);
    char path[256], old[256];
    snprintf(path, sizeof path, "%s/siren.log", dir);
    snprintf(old, sizeof old, "%s/siren.log.1", dir);
    struct sr_err err = { 0 };
    umask(022);

    /* reopening before a file is named does nothing */
    sr_log_reopen();
    CHECK(sr_log_open_file(path, &err) == SR_OK);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    LOG(LOG_INFO, "event=first n=%d", 1);
    LOG(LOG_DEBUG, "event=never"); /* below the threshold */
    CHECK(strstr(slurp(path), "level=info event=first n=1\n") != NULL);
    CHECK(count_lines(slurp(path)) == 1);

    /* rotation: rename, a line still to the old file, SIGHUP, then lines
     * to the new file at the same path */
    REQUIRE(rename(path, old) == 0);
    LOG(LOG_WARN, "event=second");
    CHECK(raise(SIGHUP) == 0); /* handled: the process goes on */
    LOG(LOG_ERROR, "event=third");
    const char *o = slurp(old);
    CHECK(strstr(o, "event=first") != NULL &&
          strstr(o, "level=warn event=second\n") != NULL &&
          strstr(o, "event=third") == NULL && count_lines(o) == 2);
    const char *n = slurp(path);
    CHECK(strstr(n, "level=error event=third\n") != NULL &&
          count_lines(n) == 1);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);

    /* a line longer than the buffer is cut but still ends its line */
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    LOG(LOG_INFO, "event=long v=%s", big);
    LOG(LOG_INFO, "event=after");
    n = slurp(path);
    CHECK(count_lines(n) == 3 && strstr(n, "\nts=") != NULL &&
          strstr(n, "event=after\n") != NULL);

    /* one file, named once */
    CHECK(sr_log_open_file(path, &err) == SR_EINVAL);
    sr_err_release(&err);

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    REQUIRE(system(cmd) == 0);
    return TEST_DONE("test_log");
}
