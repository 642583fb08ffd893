/*
 * test_cli_options.c - the one option parser of every command
 * (cli_parse_options, cli_opt, cli_flag), the text reader
 * (cli_read_text) and the bit-set printer (cli_print_bits).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "cli/cli.h"
#include "core/err.h"
#include "core/vocab.h"
#include "harness.h"

#include "core/banned.h"

static int
dummy(struct ws *ws, const struct cli_args *a)
{
    (void)ws;
    (void)a;
    return 0;
}

static const struct cli_option list_options[] = {
    { "--workspace", "-w", "DIR", "the workspace", 0 },
    { "--org", NULL, "CODE", "an organisation", 0 },
    { "--ranked", NULL, NULL, "a flag", 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct cli_option send_options[] = {
    { "--to", NULL, "ORG", "required", 1 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct cli_command table[] = {
    { "thing", NULL, ACT_LOCAL, NULL, NULL, 0, NULL, "things", NULL },
    { "thing", "list", ACT_LOCAL, "[CODE]", list_options, 0, dummy, "list",
      NULL },
    { "thing", "send", ACT_LOCAL, "CODE", send_options, CLI_PASS_OPTIONS, dummy,
      "send", NULL },
    { NULL, NULL, ACT_PUBLIC, NULL, NULL, 0, NULL, NULL, NULL },
};

/* the copies of every argv parsed (values point into them) */
static char *copies[64];
static int n_copies;

/* parse a copy of words[0..n-1] (argv is not const) against row */
static int
parse(int row, int n, const char *const *words, struct cli_args *a)
{
    char *argv[16];
    for (int i = 0; i < n; i++) {
        argv[i] = copies[n_copies++] = sr_xstrdup(words[i]);
    }
    return cli_parse_options(table, &table[row], n, argv, a);
}

/* what cli_print_bits() prints for bits of list */
static const char *
bits_text(const struct vocab_item *list, uint64_t bits)
{
    static char text[128];
    FILE *f = tmpfile();
    text[0] = '\0';
    if (f == NULL) {
        return "(no tmpfile)";
    }
    cli_print_bits(f, list, bits);
    rewind(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

int
main(void)
{
    struct cli_args a;
    memset(&a, 0x5a, sizeof a); /* everything is set by the parser */
    static const char *const a1[] = { "list", "--ranked", "-w", "dir",
                                      "K-1",  "--org",    "O-1" };
    CHECK(parse(1, 7, a1, &a) == 0);
    CHECK(cli_flag(&a, "--ranked") == 1);
    CHECK(cli_opt(&a, "-w") != NULL && strcmp(cli_opt(&a, "-w"), "dir") == 0);
    CHECK(cli_opt(&a, "--workspace") == cli_opt(&a, "-w"));
    CHECK(cli_opt(&a, "--org") != NULL &&
          strcmp(cli_opt(&a, "--org"), "O-1") == 0);
    CHECK(a.n_args == 2 && strcmp(a.args[0], "list") == 0 &&
          strcmp(a.args[1], "K-1") == 0);
    CHECK(a.cmd == &table[1] && a.table == table);

    static const char *const a2[] = { "list" };
    CHECK(parse(1, 1, a2, &a) == 0);
    CHECK(!cli_flag(&a, "--ranked") && cli_opt(&a, "-w") == NULL &&
          cli_opt(&a, "--org") == NULL);
    CHECK(a.n_args == 1);

    /* --name=value; "-" alone is a word (standard input), not an option */
    static const char *const a3[] = { "list", "--org=O-2", "-" };
    CHECK(parse(1, 3, a3, &a) == 0 && a.n_args == 2);
    CHECK(strcmp(cli_opt(&a, "--org"), "O-2") == 0);

    /* a pass-through row keeps unknown "--key value" pairs in order */
    static const char *const a4[] = { "send", "X",   "--colour", "red",
                                      "--to", "O-1", "--size=2", "3" };
    CHECK(parse(2, 8, a4, &a) == 0 && a.n_extra == 2);
    CHECK(strcmp(a.extra_names[0], "--colour") == 0 &&
          strcmp(a.extra_values[0], "red") == 0);
    CHECK(strcmp(a.extra_names[1], "--size=2") == 0); /* the whole word */
    CHECK(strcmp(a.extra_values[1], "3") == 0);

    /* --help anywhere: -1, nothing printed */
    static const char *const h1[] = { "list", "--help" };
    CHECK(parse(1, 2, h1, &a) == -1);
    static const char *const h2[] = { "send", "-h" };
    CHECK(parse(2, 2, h2, &a) == -1);

    /* usage errors: 2 */
    static const char *const bad1[] = { "list", "--colour", "red" };
    CHECK(parse(1, 3, bad1, &a) == 2); /* unknown option */
    static const char *const bad2[] = { "list", "--org" };
    CHECK(parse(1, 2, bad2, &a) == 2); /* value missing */
    static const char *const bad3[] = { "list", "a", "b" };
    CHECK(parse(1, 3, bad3, &a) == 2); /* too many arguments */
    static const char *const bad4[] = { "send", "--to", "O-1" };
    CHECK(parse(2, 3, bad4, &a) == 2); /* missing argument */
    static const char *const bad5[] = { "send", "X" };
    CHECK(parse(2, 2, bad5, &a) == 2); /* missing required option */
    static const char *const bad6[] = { "list", "--ranked=1" };
    CHECK(parse(1, 2, bad6, &a) == 2); /* a flag takes no value */
    static const char *const bad7[] = { "send", "X", "--to", "O", "--x" };
    CHECK(parse(2, 5, bad7, &a) == 2); /* passed through, no value */

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
    /* cli_print_bits: the codes of the set bits in list order, or "-" */
    static const struct vocab_item colours[] = { { "red", "Red" },
                                                 { "green", "Green" },
                                                 { "blue", "Blue" },
                                                 { NULL, NULL } };
    CHECK_STR(bits_text(colours, 0), "-");
    CHECK_STR(bits_text(colours, 1), "red");
    CHECK_STR(bits_text(colours, 6), "green,blue");
    CHECK_STR(bits_text(colours, 7), "red,green,blue");
    CHECK_STR(bits_text(colours, 8), "-"); /* a bit past the list */
    CHECK_STR(bits_text(colours, 12), "blue");

    for (int i = 0; i < n_copies; i++) {
        free(copies[i]);
    }
    return TEST_DONE("test_cli_options");
}
