/*
 * ready.c - the readiness checks (ready.h).
 *
 * Owns the readiness cache in struct ws (ws->ready, under its lock) and
 * the periodic WAL checkpoint. Must not say where the workspace lives or
 * what it holds: a report names checks and "ok" or "failed", nothing else.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/ready.h"

#include <assert.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "base/workspace.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/banned.h"

#define CHECKPOINT_EVERY_MS \
    60000                      /* a truncating checkpoint at most this often */
#define CHECKPOINT_WAIT_MS 200 /* how long it may wait for readers */
#define MIB                (1024LL * 1024LL)

static const char ok[] = "ok";
static const char failed[] = "failed";

/* The quick check, run again when due; the cached result otherwise. */
static int
database_ok(struct ws *ws, struct db *db, int64_t now)
{
    struct ws_ready_cache *c = &ws->ready;
    pthread_mutex_lock(&c->lock);
    if (c->db_checked_ms == 0 ||
        now - c->db_checked_ms >= (int64_t)ws->cfg.ready_check_s * 1000) {
        struct sr_err err = { 0 };
        c->is_db_ok = db_quick_check(db, &err) == SR_OK;
        if (!c->is_db_ok) {
            LOG(LOG_ERROR, "event=ready_failed check=database reason=\"%s\"",
                sr_err_msg(&err));
        }
        sr_err_release(&err);
        c->db_checked_ms = now > 0 ? now : 1;
        c->n_quick_checks++;
    }
    int is_ok = c->is_db_ok;
    pthread_mutex_unlock(&c->lock);
    return is_ok;
}

/* Checkpoint and truncate the WAL when a minute has passed. */
static void
checkpoint_if_due(struct ws *ws, struct db *db, int64_t now)
{
    struct ws_ready_cache *c = &ws->ready;
    pthread_mutex_lock(&c->lock);
    int is_due =
        c->checkpoint_ms == 0 || now - c->checkpoint_ms >= CHECKPOINT_EVERY_MS;
    if (is_due) {
        c->checkpoint_ms = now > 0 ? now : 1;
    }
    pthread_mutex_unlock(&c->lock);
    if (!is_due) {
        return;
    }
    struct sr_err err = { 0 };
    int is_done = 0;
    if (db_checkpoint_truncate(db, CHECKPOINT_WAIT_MS, &is_done, &err) !=
        SR_OK) {
        LOG(LOG_WARN, "event=wal_checkpoint_failed reason=\"%s\"",
            sr_err_msg(&err));
        sr_err_release(&err);
    } else if (is_done) {
        pthread_mutex_lock(&c->lock);
        c->n_checkpoints++;
        pthread_mutex_unlock(&c->lock);
    }
}

void
ready_check(struct ws *ws, struct db *db, struct ready_report *out)
{
    assert(ws != NULL && db != NULL && out != NULL);
    int64_t now = sr_now_ms();
    int is_db_ok = database_ok(ws, db, now);
    checkpoint_if_due(ws, db, now);

    struct statvfs fs;
    int is_disk_ok = statvfs(ws->dir, &fs) == 0 &&
                     (long long)fs.f_bavail * (long long)fs.f_frsize >=
                         ws->cfg.ready_min_free_mb * MIB;
    if (!is_disk_ok) {
        LOG(LOG_WARN, "event=ready_failed check=disk");
    }

    char wal_path[4096];
    struct stat st;
    snprintf(wal_path, sizeof wal_path, "%s-wal", ws->db_path);
    long long wal_bytes = stat(wal_path, &st) == 0 ? (long long)st.st_size : 0;
    int is_wal_ok = wal_bytes <= ws->cfg.ready_max_wal_mb * MIB;
    if (!is_wal_ok) {
        LOG(LOG_WARN, "event=ready_failed check=wal wal_mb=%lld",
            wal_bytes / MIB);
    }
    out->database = is_db_ok ? ok : failed;
    out->disk = is_disk_ok ? ok : failed;
    out->wal = is_wal_ok ? ok : failed;
    out->is_ready = is_db_ok && is_disk_ok && is_wal_ok;
}
