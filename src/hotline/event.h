/*
 * event.h - events that explain a hotline's traffic: a campaign, a
 * broadcast of its number, a registration round, something else. Each
 * has a local date, a kind, a title (never an identity) and belongs to
 * an organisation. The monthly report shows them as markers.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_EVENT_H
#define SR_EVENT_H

#include <stdint.h>

#include "core/err.h"
#include "base/store.h"
#include "core/vocab.h"

struct vault;

/* The value lists of data/lists/hotline/event.tsv (NULL-code-terminated;
 * labels are msgids), declared by the generated lists.h that core/vocab.h
 * includes: event_kinds (campaign, broadcast, registration, other). */

/* Longest title, in bytes. */
#define EVENT_MAX_TITLE 200

/* What is recorded. Strings borrowed. */
struct event_input {
    const char *day;   /* "YYYY-MM-DD", a real date, 2000-2100 */
    const char *kind;  /* one of event_kinds */
    const char *title; /* 1-200 bytes of UTF-8, no control characters */
    int64_t org_id;    /* organisation it belongs to; > 0 */
};

/* 1 if s is a real date "YYYY-MM-DD" in 2000-2100, else 0. */
int event_day_valid(const char *s);

/*
 * Check in; SR_EINVAL with a message naming the field ("day", "kind",
 * "title", "org") otherwise. Never echoes the title.
 */
int event_validate(const struct event_input *in, struct sr_err *err);

/*
 * Validate and store the event, audited as event.add by actor_id (0 =
 * the command line) in the same transaction. On success *id_out is the
 * new row id. SR_EINVAL (nothing written), SR_EDB.
 */
int event_add(struct db *db, const struct vault *v, int64_t actor_id,
              const struct event_input *in, int64_t *id_out,
              struct sr_err *err);

/* A listed event; strings borrowed until the callback returns. */
struct event_row {
    int64_t id, org_id, created_at;
    const char *day, *kind, *title, *org_code;
};

/*
 * Call fn for each live event of organisation org_id (0 = every
 * organisation) whose day lies in [from_day, to_day] ("YYYY-MM-DD";
 * NULL or "" = open), by day then id. fn returns 0 to go on, non-zero to
 * stop. Returns SR_OK or SR_EDB.
 */
int event_list(struct db *db, int64_t org_id, const char *from_day,
               const char *to_day,
               int (*fn)(const struct event_row *r, void *ctx), void *ctx,
               struct sr_err *err);

#endif
