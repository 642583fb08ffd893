/*
 * event.c - events shown on the hotline's monthly chart: the table event
 * and all its SQL.
 *
 * Owns table event. Every write is audited in its transaction. A title
 * is not an identity field, but it is never logged or put in an error.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "hotline/event.h"

#include <stdio.h>
#include <string.h>

#include "base/audit.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/banned.h"

enum event_stmt { EVENT_INSERT, EVENT_LIST, EVENT__COUNT };

static const char *const event_sql[EVENT__COUNT] = {
    [EVENT_INSERT] = "INSERT INTO event(org_id, day, kind, title, created_by,"
                     "                  created_at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [EVENT_LIST] = "SELECT e.id, e.org_id, e.created_at, e.day, e.kind,"
                   "       e.title, o.code"
                   "  FROM event AS e"
                   "  JOIN org AS o ON o.id = e.org_id"
                   " WHERE e.deleted_at IS NULL"
                   "   AND (?1 = 0 OR e.org_id = ?1)"
                   "   AND (?2 = '' OR e.day >= ?2)"
                   "   AND (?3 = '' OR e.day <= ?3)"
                   " ORDER BY e.day, e.id",
};

static int
is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
event_day_valid(const char *s)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30,
                                   31, 31, 30, 31, 30, 31 };
    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return 0;
    }
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
            return 0;
        }
    }
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
            (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1) {
        return 0;
    }
    return d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

int
event_validate(const struct event_input *in, struct sr_err *err)
{
    if (in == NULL) {
        SR_BUG("event_validate: no input");
    }
    if (!event_day_valid(in->day)) {
        return sr_err_set(err, SR_EINVAL,
                          "day: must be a date YYYY-MM-DD between 2000 and "
                          "2100");
    }
    if (in->kind == NULL || vocab_find(event_kinds, in->kind) < 0) {
        return sr_err_set(err, SR_EINVAL,
                          "kind: must be campaign, broadcast, registration "
                          "or other");
    }
    size_t len = in->title ? strlen(in->title) : 0;
    if (len == 0 || len > EVENT_MAX_TITLE || !sr_utf8_valid(in->title, len)) {
        return sr_err_set(err, SR_EINVAL,
                          "title: must be 1 to %d bytes of UTF-8 text",
                          EVENT_MAX_TITLE);
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in->title[i];
        if (c < 0x20 || c == 0x7f) {
            return sr_err_set(err, SR_EINVAL,
                              "title: must not hold control characters");
        }
    }
    if (in->org_id <= 0) {
        return sr_err_set(err, SR_EINVAL, "org: no organisation given");
    }
    return SR_OK;
}

int
event_add(struct db *db, const struct vault *v, int64_t actor_id,
          const struct event_input *in, int64_t *id_out, struct sr_err *err)
{
    int rc = db_begin_after(db, event_validate(in, err), err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &event_sql[EVENT_INSERT]);
    db_bind_i64(s, 1, in->org_id);
    db_bind_text(s, 2, in->day);
    db_bind_text(s, 3, in->kind);
    db_bind_text(s, 4, in->title);
    db_bind_id(s, 5, actor_id);
    db_bind_i64(s, 6, sr_now());
    rc = db_exec_stmt(db, s, err);
    int64_t id = db_last_id(db);
    char code[24], detail[40];
    snprintf(code, sizeof code, "%lld", (long long)id);
    snprintf(detail, sizeof detail, "%s %s", in->kind, in->day);
    struct audit_entry e = { actor_id, "event.add", "event", code, detail };
    rc = audit_finish(db, v, &e, rc, err);
    if (rc == SR_ECONFLICT) {
        /* the only constraint left after validation: the org */
        sr_err_release(err);
        return sr_err_set(err, SR_EINVAL, "org: no such organisation");
    }
    if (rc == SR_OK) {
        *id_out = id;
    }
    return rc;
}

/* event_list()'s caller, as db_each() hands it to visit_event(). */
struct event_visit {
    int (*fn)(const struct event_row *r, void *ctx);
    void *ctx;
};

static int
visit_event(struct db_stmt *s, void *p)
{
    const struct event_visit *v = p;
    struct event_row r = {
        .id = db_col_i64(s, 0),
        .org_id = db_col_i64(s, 1),
        .created_at = db_col_i64(s, 2),
        .day = db_col_text(s, 3),
        .kind = db_col_text(s, 4),
        .title = db_col_text(s, 5),
        .org_code = db_col_text(s, 6),
    };
    return v->fn(&r, v->ctx);
}

int
event_list(struct db *db, int64_t org_id, const char *from_day,
           const char *to_day, int (*fn)(const struct event_row *r, void *ctx),
           void *ctx, struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &event_sql[EVENT_LIST]);
    db_bind_i64(s, 1, org_id);
    db_bind_text(s, 2, from_day ? from_day : "");
    db_bind_text(s, 3, to_day ? to_day : "");
    struct event_visit v = { fn, ctx };
    return db_each(db, s, visit_event, &v, "cannot list events", err);
}
