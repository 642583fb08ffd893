/*
 * workers.h - the one way stats/num spreads a computation over threads.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_WORKERS_H
#define SR_WORKERS_H

/* The most threads one workers_run() call uses, the caller's included. */
#define WORKERS_MAX 256

/*
 * Run fn(arg) on the calling thread and on n_threads - 1 new threads (at
 * most WORKERS_MAX in all; n_threads < 1 is one), then wait for them all.
 * A thread that cannot be created is skipped: fn must take its work from
 * a queue or counter in arg that the threads share (under their own
 * lock), so that how many threads run, and which runs what, does not
 * change the result. fn's return value is ignored.
 */
void workers_run(void *(*fn)(void *), void *arg, int n_threads);

#endif
