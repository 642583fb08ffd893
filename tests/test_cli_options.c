/*
 * test_cli_options.c - the one option parser of every command
 * (cli_parse_options) and the text reader (cli_read_text).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "cli/cli.h"
#include "core/err.h"
#include "harness.h"

#include "core/banned.h"

struct o {
    const char *ws, *org;
    int is_ranked;
    const char *args[2];
    int n_args;
};

static const struct cli_option specs[] = {
    CLI_OPT(struct o, "-w", ws),
    CLI_OPT(struct o, "--org", org),
    CLI_FLAG(struct o, "--ranked", is_ranked),
};
#define N_SPECS (sizeof specs / sizeof specs[0])

/* the copies of every argv parsed (values point into them) */
static char *copies[64];
static int n_copies;

/* parse a copy of words[0..n-1] (argv is not const) */
static int
parse(int n, const char *const *words, struct o *o)
{
    char *argv[16];
    for (int i = 0; i < n; i++) {
        argv[i] = copies[n_copies++] = sr_xstrdup(words[i]);
    }
    return cli_parse_options(n, argv, specs, N_SPECS, o, sizeof *o, o->args, 2,
                             &o->n_args);
}

int
main(void)
{
    struct o o;
    memset(&o, 0x5a, sizeof o); /* everything is set by the parser */
    static const char *const a1[] = { "list", "--ranked", "-w", "dir",
                                      "K-1",  "--org",    "O-1" };
    CHECK(parse(7, a1, &o) == 0);
    CHECK(o.is_ranked == 1);
    CHECK(o.ws != NULL && strcmp(o.ws, "dir") == 0);
    CHECK(o.org != NULL && strcmp(o.org, "O-1") == 0);
    CHECK(o.n_args == 2 && strcmp(o.args[0], "list") == 0 &&
          strcmp(o.args[1], "K-1") == 0);

    static const char *const a2[] = { "x" };
    CHECK(parse(1, a2, &o) == 0);
    CHECK(o.is_ranked == 0 && o.ws == NULL && o.org == NULL);
    CHECK(o.n_args == 1);
    CHECK(parse(0, a2, &o) == 0 && o.n_args == 0);

    /* "-" alone is a word (standard input), not an option */
    static const char *const a3[] = { "-" };
    CHECK(parse(1, a3, &o) == 0 && o.n_args == 1);

    static const char *const bad1[] = { "--colour", "red" };
    CHECK(parse(2, bad1, &o) == 2); /* unknown option */
    static const char *const bad2[] = { "list", "--org" };
    CHECK(parse(2, bad2, &o) == 2); /* value missing */
    static const char *const bad3[] = { "a", "b", "c" };
    CHECK(parse(3, bad3, &o) == 2); /* too many arguments */

    /* cli_read_text: whole file, final newlines dropped, capped */
    char path[] = "/tmp/siren-cli-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        static const char text[] = "line one\nline two\r\n\n";
        CHECK(write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
        close(fd);
        struct sr_buf b;
        sr_buf_init(&b, 1024);
        CHECK(cli_read_text(path, &b) == 0);
        CHECK(strcmp(b.data, "line one\nline two") == 0);
        sr_buf_release(&b);
        sr_buf_init(&b, 8);
        CHECK(cli_read_text(path, &b) == -1); /* over the cap */
        sr_buf_release(&b);
        unlink(path);
        sr_buf_init(&b, 1024);
        CHECK(cli_read_text(path, &b) == -1); /* gone */
        sr_buf_release(&b);
    }
    for (int i = 0; i < n_copies; i++) {
        free(copies[i]);
    }
    return TEST_DONE("test_cli_options");
}
