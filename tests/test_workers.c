/*
 * test_workers.c - stats/num/workers.c: how many times the worker runs,
 * and that every job of a shared queue is done exactly once.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <pthread.h>
#include <stddef.h>

#include "harness.h"
#include "stats/num/workers.h"

#include "core/banned.h"

#define N_JOBS 1000

struct job {
    pthread_mutex_t lock; /* guards the rest */
    int n_calls;          /* times the worker was entered */
    size_t next;          /* next job to take */
    int done[N_JOBS];     /* times each job was done */
};

static void *
worker(void *arg)
{
    struct job *j = arg;
    pthread_mutex_lock(&j->lock);
    j->n_calls++;
    pthread_mutex_unlock(&j->lock);
    for (;;) {
        pthread_mutex_lock(&j->lock);
        size_t i = j->next < N_JOBS ? j->next++ : N_JOBS;
        pthread_mutex_unlock(&j->lock);
        if (i == N_JOBS) {
            return NULL;
        }
        j->done[i]++;
    }
}

/* run with n_threads; the worker must be entered want_calls times and
 * every job done once */
static void
check_run(int n_threads, int want_calls)
{
    static struct job j;
    memset(&j, 0, sizeof j);
    pthread_mutex_init(&j.lock, NULL);
    workers_run(worker, &j, n_threads);
    pthread_mutex_destroy(&j.lock);
    CHECK(j.n_calls == want_calls);
    int n_once = 0;
    for (size_t i = 0; i < N_JOBS; i++) {
        n_once += j.done[i] == 1;
    }
    CHECK(n_once == N_JOBS);
}

int
main(void)
{
    check_run(0, 1); /* below one: the caller's thread only */
    check_run(1, 1);
    check_run(4, 4);
    check_run(WORKERS_MAX + 10, WORKERS_MAX); /* capped */
    return TEST_DONE("test_workers");
}
