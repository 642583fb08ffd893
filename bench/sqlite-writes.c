/*
 * sqlite-writes.c - the yardstick of bench/http-write: a plain program
 * inserting one row per transaction into an SQLite database (WAL,
 * synchronous=FULL, as SIREN's store) from N threads, each with its own
 * connection, for S seconds. Prints the commits per second and the p99
 * and maximum of one transaction's time:
 *
 *   sqlite-writes DB THREADS SECONDS
 *   -> sqlite-writes: 16 threads: 3812.4 writes/s, p99 1.62 ms, max 9.10 ms
 *
 * Not part of SIREN; built by the benchmark into its temporary directory.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SAMPLES 2000000

static const char *path;
static double seconds;
static double *samples; /* milliseconds of each commit */
static long n_samples;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double
now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static void *
writer(void *arg)
{
    (void)arg;
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "sqlite-writes: cannot open %s\n", path);
        exit(1);
    }
    sqlite3_busy_timeout(db, 600000); /* a writer starved this long still counts */
    sqlite3_exec(db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
    sqlite3_stmt *ins = NULL;
    sqlite3_prepare_v2(db, "INSERT INTO t(v, at) VALUES (randomblob(64), ?1)",
                       -1, &ins, NULL);
    double end = now_ms() + seconds * 1000.0;
    for (;;) {
        double t0 = now_ms();
        if (t0 >= end) {
            break;
        }
        int ok = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
                 SQLITE_OK;
        sqlite3_bind_double(ins, 1, t0);
        ok = ok && sqlite3_step(ins) == SQLITE_DONE;
        sqlite3_reset(ins);
        ok = ok && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
        if (!ok) {
            fprintf(stderr, "sqlite-writes: %s\n", sqlite3_errmsg(db));
            exit(1);
        }
        double ms = now_ms() - t0;
        pthread_mutex_lock(&lock);
        if (n_samples < MAX_SAMPLES) {
            samples[n_samples++] = ms;
        }
        pthread_mutex_unlock(&lock);
    }
    sqlite3_finalize(ins);
    sqlite3_close(db);
    return NULL;
}

static int
cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: sqlite-writes DB THREADS SECONDS\n");
        return 2;
    }
    path = argv[1];
    int n = atoi(argv[2]);
    seconds = atof(argv[3]);
    if (n < 1 || n > 1024 || seconds <= 0) {
        fprintf(stderr, "sqlite-writes: bad threads or seconds\n");
        return 2;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL;"
                     "CREATE TABLE IF NOT EXISTS t("
                     " id INTEGER PRIMARY KEY, v BLOB, at REAL)",
                     NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "sqlite-writes: cannot make %s\n", path);
        return 1;
    }
    sqlite3_close(db);
    samples = malloc(sizeof *samples * MAX_SAMPLES);
    pthread_t *t = malloc(sizeof *t * (size_t)n);
    if (samples == NULL || t == NULL) {
        return 1;
    }
    double t0 = now_ms();
    for (int i = 0; i < n; i++) {
        pthread_create(&t[i], NULL, writer, NULL);
    }
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
    }
    double elapsed = (now_ms() - t0) / 1000.0;
    qsort(samples, (size_t)n_samples, sizeof *samples, cmp);
    double p99 = n_samples ? samples[(long)((double)(n_samples - 1) * 0.99)] : 0;
    double max = n_samples ? samples[n_samples - 1] : 0;
    printf("sqlite-writes: %d threads: %.1f writes/s, p99 %.2f ms, max %.2f ms\n",
           n, (double)n_samples / elapsed, p99, max);
    free(t);
    free(samples);
    return 0;
}
