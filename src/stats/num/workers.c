/*
 * workers.c - runs a worker function on the calling thread and on a
 * number of extra threads, then joins them (mse.c's model search and
 * bootstrap, logit.c's tests and profile intervals).
 *
 * Owns only the threads of one call: nothing is kept between calls. Must
 * not decide how work is shared out (the caller's queue does that) or do
 * I/O.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "stats/num/workers.h"

#include <pthread.h>

#include "core/banned.h"

void
workers_run(void *(*fn)(void *), void *arg, int n_threads)
{
    pthread_t tid[WORKERS_MAX];
    int started = 0;
    /* this thread works too; extra threads are a bonus if they start */
    for (int i = 1; i < n_threads && i < WORKERS_MAX; i++) {
        if (pthread_create(&tid[started], NULL, fn, arg) == 0) {
            started++;
        }
    }
    (void)fn(arg);
    for (int i = 0; i < started; i++) {
        pthread_join(tid[i], NULL);
    }
}
