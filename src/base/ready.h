/*
 * ready.h - is this server fit to take traffic? The checks behind GET
 * /ready: the database (PRAGMA quick_check, at start and then at most
 * every ready_check_s seconds, its result kept in between), free disk in
 * the workspace directory and the size of the WAL, with a truncating WAL
 * checkpoint at most once a minute.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_READY_H
#define SR_READY_H

#include <stdint.h>

#include "base/store.h"

struct ws;

/* The outcome of each check: "ok" or "failed" (static strings). */
struct ready_report {
    int is_ready;         /* 1 when every check is "ok" */
    const char *database; /* quick_check (cached) */
    const char *disk;     /* free bytes >= ready_min_free_mb */
    const char *wal;      /* WAL bytes <= ready_max_wal_mb */
};

/*
 * Run the checks for ws through db (the caller's connection, outside a
 * transaction): the quick check when it has never run or ready_check_s
 * have passed by sr_now_ms() (under ws->ready.lock, so one runs at a
 * time and the others wait for its result), a WAL checkpoint with
 * truncation when a minute has passed since the last one, then free disk
 * (statvfs of ws->dir) and the WAL file's size. Failures are logged at
 * level warn by check name, never with a path. Thread-safe.
 */
void ready_check(struct ws *ws, struct db *db, struct ready_report *out);

#endif
