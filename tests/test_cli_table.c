/*
 * test_cli_table.c - walks the whole command table (commands.c): for every
 * command and subcommand row, `--help` prints its usage on stdout and
 * exits 0, `siren help COMMAND [SUB]` prints the same, an unknown option
 * exits 2 with the one usage-error shape, and a row that takes a
 * positional argument exits 2 with that shape when it is missing; an
 * unknown subcommand does too. Each loop is one CHECK: failures are
 * tallied and named on stderr.
 *
 * Each command runs through cli_run() in a child process, with stdout
 * and stderr in temporary files and no workspace in the environment.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "harness.h"

#include "core/banned.h"

#define UNKNOWN "--no-such-option"

/* the output of one run */
struct result {
    int status;     /* exit status, or -1 when it did not exit */
    char out[8192]; /* stdout, cut at the size */
    char err[2048]; /* stderr, cut at the size */
};

static void
slurp(const char *path, char *out, size_t size)
{
    FILE *f = fopen(path, "r");
    size_t n = f != NULL ? fread(out, 1, size - 1, f) : 0;
    out[n] = '\0';
    if (f != NULL) {
        fclose(f);
    }
}

/* Run `siren words...` (n_words of them) in a child; fill *r. */
static void
run(int n_words, const char *const *words, struct result *r)
{
    char out_path[] = "/tmp/siren-table-out-XXXXXX";
    char err_path[] = "/tmp/siren-table-err-XXXXXX";
    int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
    r->status = -1;
    r->out[0] = r->err[0] = '\0';
    if (out_fd < 0 || err_fd < 0) {
        return;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[8];
        static char prog[] = "siren";
        argv[0] = prog;
        for (int i = 0; i < n_words && i < 6; i++) {
            argv[i + 1] = (char *)words[i];
        }
        argv[n_words + 1] = NULL;
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        unsetenv("SIREN_WORKSPACE");
        unsetenv("SIREN_PASSPHRASE");
        alarm(30); /* a row that wrongly runs must not hang the test */
        exit(cli_run(cli_commands, n_words + 1, argv));
    }
    int ws = 0;
    if (pid > 0 && waitpid(pid, &ws, 0) == pid && WIFEXITED(ws)) {
        r->status = WEXITSTATUS(ws);
    }
    close(out_fd);
    close(err_fd);
    slurp(out_path, r->out, sizeof r->out);
    slurp(err_path, r->err, sizeof r->err);
    unlink(out_path);
    unlink(err_path);
}

/* "siren: NAME[ SUB]: ...WHAT...; see 'siren help NAME'\n" and nothing on
 * stdout, exit 2: the one shape of a usage error */
static int
is_usage_error(const struct result *r, const struct cli_command *c,
               const char *what)
{
    char head[128], tail[128];
    snprintf(head, sizeof head, "siren: %s%s%s: ", c->name, c->sub ? " " : "",
             c->sub ? c->sub : "");
    snprintf(tail, sizeof tail, "; see 'siren help %s'\n", c->name);
    size_t n = strlen(r->err), k = strlen(tail);
    return r->status == 2 && r->out[0] == '\0' &&
           strncmp(r->err, head, strlen(head)) == 0 && n > k &&
           strcmp(r->err + n - k, tail) == 0 &&
           strchr(r->err, '\n') == r->err + n - 1 &&
           strstr(r->err, what) != NULL;
}

/* The first required positional word of a row's args, or NULL. */
static const char *
required_arg(const struct cli_command *c, char *word, size_t size)
{
    if (c->args == NULL || c->args[0] == '[' || c->args[0] == '\0') {
        return NULL;
    }
    snprintf(word, size, "%.*s", (int)strcspn(c->args, " "), c->args);
    return word;
}

static void
fail(int *n_bad, const struct cli_command *c, const char *what,
     const struct result *r)
{
    (*n_bad)++;
    fprintf(stderr,
            "siren %s%s%s: %s: exit %d\n  stdout: %.200s\n"
            "  stderr: %s\n",
            c->name, c->sub ? " " : "", c->sub ? c->sub : "", what, r->status,
            r->out, r->err);
}

int
main(void)
{
    static struct result r, again;
    int n_rows = 0, n_leaves = 0, n_args = 0;

    /* --help: usage on stdout naming the row, exit 0; the same from
     * `siren help NAME [SUB]` */
    int n_bad = 0;
    for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
        const char *w[4] = { c->name, c->sub, NULL, NULL };
        int n = c->sub != NULL ? 2 : 1;
        w[n] = "--help";
        run(n + 1, w, &r);
        char want[128];
        snprintf(want, sizeof want, "usage: siren %s%s%s", c->name,
                 c->sub ? " " : "", c->sub ? c->sub : "");
        if (r.status != 0 || strncmp(r.out, want, strlen(want)) != 0 ||
            r.err[0] != '\0') {
            fail(&n_bad, c, "--help", &r);
        }
        const char *h[3] = { "help", c->name, c->sub };
        run(n + 1, h, &again);
        if (again.status != 0 || strcmp(again.out, r.out) != 0) {
            fail(&n_bad, c, "siren help", &again);
        }
        n_rows++;
    }
    CHECK(n_bad == 0);

    /* an unknown option: exit 2, the one shape, naming the option */
    n_bad = 0;
    for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
        if (c->run == NULL) {
            continue; /* the head of subcommands: see below */
        }
        const char *w[3] = { c->name, c->sub, NULL };
        int n = c->sub != NULL ? 2 : 1;
        w[n] = UNKNOWN;
        run(n + 1, w, &r);
        if (!is_usage_error(&r, c, "'" UNKNOWN "'")) {
            fail(&n_bad, c, "unknown option", &r);
        }
        n_leaves++;
    }
    CHECK(n_bad == 0);

    /* a missing positional argument: exit 2, the one shape, naming it */
    n_bad = 0;
    for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
        char word[64];
        if (c->run == NULL || required_arg(c, word, sizeof word) == NULL) {
            continue;
        }
        const char *w[2] = { c->name, c->sub };
        run(c->sub != NULL ? 2 : 1, w, &r);
        char what[96];
        snprintf(what, sizeof what, "missing argument %s", word);
        if (!is_usage_error(&r, c, what)) {
            fail(&n_bad, c, "missing argument", &r);
        }
        n_args++;
    }
    CHECK(n_bad == 0);

    /* a command with subcommands: an unknown one, or none, exit 2 */
    n_bad = 0;
    for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
        if (c->run != NULL) {
            continue;
        }
        const char *w[2] = { c->name, "no-such-subcommand" };
        run(2, w, &r);
        if (!is_usage_error(&r, c, "unknown subcommand 'no-such-subcommand'")) {
            fail(&n_bad, c, "unknown subcommand", &r);
        }
        run(1, w, &r);
        if (!is_usage_error(&r, c, "missing subcommand")) {
            fail(&n_bad, c, "missing subcommand", &r);
        }
    }
    CHECK(n_bad == 0);

    /* the walk saw the table: every command of `siren help` is a row */
    const char *h[1] = { "help" };
    run(1, h, &r);
    n_bad = 0;
    for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
        char line[64];
        snprintf(line, sizeof line, "\n  %-11s ", c->name);
        if (c->sub == NULL && strstr(r.out, line) == NULL) {
            fail(&n_bad, c, "not in siren help", &r);
        }
    }
    CHECK(n_bad == 0);
    CHECK(n_rows > 80 && n_leaves > 60 && n_args > 30);
    return TEST_DONE("test_cli_table");
}
