/*
 * test_report.c - the monthly report on a small hand-computed set:
 * month boundaries in Asia/Bangkok time (UTC+7), organisation scope,
 * deleted contacts left out, breakdowns and their order, suppression of
 * small counts and the differencing attack on them (fixed years, counts
 * hidden so that no hidden one can be worked out), events in the range,
 * bad input named; events validated
 * and audited; the CSV and JSON forms; the referral section's rendering.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <string.h>

#include "base/audit.h"
#include "hotline/contact_count.h"
#include "hotline/event.h"
#include "fixture.h"
#include "harness.h"
#include "tally.h"
#include "render/html.h"
#include "base/org.h"
#include "base/store.h"
#include "hotline/report.h"
#include "render/report_out.h"
#include "web/report_web.h"

#include "core/banned.h"

static const char *const test_sql[] = {
    "INSERT INTO contact(code, org_id, received_at, channel, language,"
    " caller_type, problem_country, problem_province, category, sector,"
    " n_affected, is_danger, created_at, deleted_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, 'self', 'TH', ?6, ?7, ?8, ?9, ?10, ?3, ?11)",
};
enum { Q_INSERT };

static int n_rows;

/* A contact written straight into the table (on either store:
 * fixture.h); the kept counts are rebuilt after (fill()). */
static void
add(struct db *db, int64_t org, int64_t t, const char *channel,
    const char *lang, const char *prov, const char *cat, const char *sector,
    int affected, int danger, int is_deleted)
{
    char code[32];
    snprintf(code, sizeof code, "C-TEST-%04d", ++n_rows);
    struct db_stmt *s = db_stmt(db, &test_sql[Q_INSERT]);
    db_bind_text(s, 1, code);
    db_bind_i64(s, 2, org);
    db_bind_i64(s, 3, t);
    db_bind_text(s, 4, channel);
    db_bind_text(s, 5, lang);
    db_bind_text(s, 6, prov);
    db_bind_text(s, 7, cat);
    db_bind_text(s, 8, sector);
    db_bind_int(s, 9, affected);
    db_bind_int(s, 10, danger);
    if (is_deleted) {
        db_bind_i64(s, 11, t + 60);
    } else {
        db_bind_null(s, 11);
    }
    struct sr_err err = { 0 };
    CHECK(db_exec_stmt(db, s, &err) == SR_OK);
    sr_err_release(&err);
}

/*
 * 2025-01-01 00:00 in Bangkok (UTC+7) is 2024-12-31 17:00 UTC:
 * days from 1970-01-01 to 2025-01-01 = 20089; 20089 * 86400 = 1735689600;
 * minus 7 h (25200 s) = 1735664400.
 * 2025-02-01 00:00 Bangkok: 1735689600 + 31 * 86400 - 25200 = 1738342800.
 */
#define JAN_START 1735664400LL
#define FEB_START 1738342800LL

static int64_t org_a, org_b;

static void
fill(struct db *db, const struct vault *v)
{
    struct sr_err err = { 0 };
    char code[32];
    CHECK(org_add(db, v, 0, "Hotline A", "hotline", "TH", code, &org_a, &err) ==
          SR_OK);
    CHECK(org_add(db, v, 0, "NGO B", "ngo", "TH", code, &org_b, &err) == SR_OK);
    /* 1: 23:59:59 on 31 December, local: December */
    add(db, org_a, JAN_START - 1, "phone", "my", "TH-90", "labour_rights",
        "fishing", 1, 0, 0);
    /* 2: 00:00:00 on 1 January, local: January */
    add(db, org_a, JAN_START, "phone", "my", "TH-90", "trafficking", "fishing",
        3, 1, 0);
    /* 3: mid-January */
    add(db, org_a, JAN_START + 14 * 86400, "line", "my", "TH-90",
        "labour_rights", "construction", 1, 0, 0);
    /* 4: 23:59:59 on 31 January, local: January */
    add(db, org_a, FEB_START - 1, "phone", "km", "TH-10", "labour_rights", "",
        1, 0, 0);
    /* 5: 00:00:00 on 1 February, local: February */
    add(db, org_a, FEB_START, "phone", "my", "TH-10", "safe_migration",
        "fishing", 1, 0, 0);
    /* 6: February, deleted: never counted */
    add(db, org_a, FEB_START + 9 * 86400, "phone", "my", "TH-10", "trafficking",
        "fishing", 7, 1, 1);
    /* 7: organisation B, January */
    add(db, org_b, JAN_START + 19 * 86400, "sms", "th", "TH-90",
        "labour_rights", "fishing", 1, 0, 0);
    /* 8-12: organisation B, February, five alike */
    for (int i = 0; i < 5; i++) {
        add(db, org_b, FEB_START + 13 * 86400 + i, "sms", "th", "TH-90",
            "labour_rights", "fishing", 2, 0, 0);
    }
    /* the rows went straight into the table: count them as the migration
     * does (test_report_counts.c checks the counts kept as they change) */
    CHECK(contact_count_rebuild(db, &err) == SR_OK);
}

static struct report_query
query(const char *from, const char *to, int64_t org, int is_suppressed)
{
    struct report_query q = { .timezone = "Asia/Bangkok",
                              .org_id = org,
                              .is_suppressed = is_suppressed };
    CHECK(report_parse_ym(from, "from", &q.from, NULL) == SR_OK);
    CHECK(report_parse_ym(to, "to", &q.to, NULL) == SR_OK);
    return q;
}

static void
test_months_and_zone(void)
{
    struct report_ym ym;
    int off;
    struct sr_err err = { 0 };
    CHECK(report_tz_offset("Asia/Bangkok", &off, &err) == SR_OK);
    CHECK(off == 25200);
    CHECK(report_tz_offset("Asia/Yangon", &off, &err) == SR_OK);
    CHECK(off == 23400);
    CHECK(report_tz_offset("Europe/London", &off, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "timezone") != NULL);
    sr_err_release(&err);
    ym.year = 2025;
    ym.month = 1;
    CHECK(report_month_start(ym, 25200) == JAN_START);
    ym.month = 2;
    CHECK(report_month_start(ym, 25200) == FEB_START);
    /* Yangon, UTC+6:30: 1735689600 - 23400 */
    ym.month = 1;
    CHECK(report_month_start(ym, 23400) == 1735666200LL);
    ym = report_ym_at(JAN_START - 1, 25200);
    CHECK(ym.year == 2024 && ym.month == 12);
    ym = report_ym_at(JAN_START, 25200);
    CHECK(ym.year == 2025 && ym.month == 1);
    /* the same instant is still December in UTC */
    ym = report_ym_at(JAN_START, 0);
    CHECK(ym.year == 2024 && ym.month == 12);
    /* 2024-02-29 12:00 UTC (leap day): 19782 days */
    ym = report_ym_at(19782LL * 86400 + 43200, 0);
    CHECK(ym.year == 2024 && ym.month == 2);
    ym.year = 2025;
    ym.month = 1;
    ym = report_ym_add(ym, -1);
    CHECK(ym.year == 2024 && ym.month == 12);
    ym = report_ym_add(ym, 13);
    CHECK(ym.year == 2026 && ym.month == 1);

    static const char *const bad[] = { "2025-13",  "2025-00", "25-01",
                                       "2025/01",  "1999-12", "2025-1",
                                       "2025-01x", "" };
    int loop_bad1 = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        TALLY(loop_bad1,
              report_parse_ym(bad[i], "from", &ym, &err) == SR_EINVAL);
        TALLY(loop_bad1, strncmp(sr_err_msg(&err), "from:", 5) == 0);
        sr_err_release(&err);
    }
    CHECK(loop_bad1 == 0);
    CHECK(report_parse_ym(NULL, "to", &ym, &err) == SR_EINVAL);
    sr_err_release(&err);
}

static void
test_org_report(struct db *db)
{
    struct sr_err err = { 0 };
    struct report r;
    struct report_query q = query("2025-01", "2025-02", org_a, 0);
    CHECK(report_hotline(db, &q, &r, &err) == SR_OK);
    CHECK(r.n_months == 2);
    /* January: contacts 2, 3, 4 (1 is December, 5 is February) */
    CHECK(r.months[0].ym.year == 2025 && r.months[0].ym.month == 1);
    CHECK(r.months[0].total == 3);
    CHECK(r.months[0].by_category[0] == 2); /* labour rights: 3, 4 */
    CHECK(r.months[0].by_category[1] == 1); /* trafficking: 2 */
    CHECK(r.months[0].n_danger == 1);
    CHECK(r.months[0].n_affected == 5); /* 3 + 1 + 1 */
    /* February: contact 5 only (6 is deleted) */
    CHECK(r.months[1].total == 1);
    CHECK(r.months[1].by_category[2] == 1); /* safe migration */
    CHECK(r.months[1].by_category[1] == 0);
    CHECK(r.months[1].n_danger == 0);
    CHECK(r.months[1].n_affected == 1);
    CHECK(r.sum.total == 4);
    CHECK(r.sum.n_affected == 6);
    /* breakdowns, largest first, ties by code */
    CHECK(r.province.n_items == 2);
    CHECK(strcmp(r.province.items[0].code, "TH-10") == 0);
    CHECK(r.province.items[0].n == 2);
    CHECK(strcmp(r.province.items[1].code, "TH-90") == 0);
    CHECK(r.channel.n_items == 2);
    CHECK(strcmp(r.channel.items[0].code, "phone") == 0);
    CHECK(r.channel.items[0].n == 3);
    CHECK(strcmp(r.channel.items[1].code, "line") == 0);
    CHECK(r.language.n_items == 2 && r.language.items[0].n == 3 &&
          strcmp(r.language.items[1].code, "km") == 0);
    /* sector: fishing 2 (2, 5), then "" and construction 1 each */
    CHECK(r.sector.n_items == 3);
    CHECK(strcmp(r.sector.items[0].code, "fishing") == 0 &&
          r.sector.items[0].n == 2);
    CHECK(strcmp(r.sector.items[1].code, "") == 0);
    CHECK(strcmp(r.sector.items[2].code, "construction") == 0);
    CHECK_NEAR(report_pct(r.sector.items[0].n, r.sum.total), 50.0, 1e-12);
    /* the referral section comes from the referral module: none sent */
    CHECK(r.referrals.is_present && r.referrals.n_rows == 0);
    CHECK(r.referrals.n_trafficking_referred == 0);
    report_release(&r);
    report_release(&r); /* safe twice */

    /* December alone: contact 1 */
    q = query("2024-12", "2024-12", org_a, 0);
    CHECK(report_hotline(db, &q, &r, &err) == SR_OK);
    CHECK(r.n_months == 1 && r.months[0].total == 1 && r.sum.total == 1);
    report_release(&r);

    /* a month with nothing */
    q = query("2023-05", "2023-05", org_a, 0);
    CHECK(report_hotline(db, &q, &r, &err) == SR_OK);
    CHECK(r.n_months == 1 && r.sum.total == 0 && r.channel.n_items == 0);
    report_release(&r);
}

static void
test_all_and_suppressed(struct db *db)
{
    struct sr_err err = { 0 };
    struct report r;
    struct report_query q = query("2025-01", "2025-02", 0, 0);
    CHECK(report_hotline(db, &q, &r, &err) == SR_OK);
    /* January: 2, 3, 4 of A and 7 of B; February: 5 of A, 8-12 of B */
    CHECK(r.months[0].total == 4);
    CHECK(r.months[0].by_category[0] == 3);
    CHECK(r.months[1].total == 6);
    CHECK(r.months[1].by_category[0] == 5);
    CHECK(r.months[1].by_category[2] == 1);
    CHECK(r.sum.total == 10);
    /* channels merged across organisations: sms 6, phone 3, line 1 */
    CHECK(r.channel.n_items == 3);
    CHECK(strcmp(r.channel.items[0].code, "sms") == 0 &&
          r.channel.items[0].n == 6);
    CHECK(strcmp(r.channel.items[1].code, "phone") == 0 &&
          r.channel.items[1].n == 3);
    /* provinces: TH-90 = 2 + 3 (A) + 1 + 5 (B)... by hand: 2, 3, 7, 8-12
     * = 8; TH-10 = 4, 5 = 2 */
    CHECK(strcmp(r.province.items[0].code, "TH-90") == 0 &&
          r.province.items[0].n == 8);
    CHECK(r.province.items[1].n == 2);
    report_release(&r);

    /* across organisations a report is one calendar year: two months,
     * or a year that does not start in January, are refused */
    q.is_suppressed = 1;
    CHECK(report_hotline(db, &q, &r, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "calendar year") != NULL);
    sr_err_release(&err);
    report_release(&r);
    q = query("2025-02", "2026-01", 0, 1);
    CHECK(report_hotline(db, &q, &r, &err) == SR_EINVAL);
    sr_err_release(&err);
    report_release(&r);
    q = query("2025-01", "2025-12", 0, 1);
    CHECK(report_hotline(db, &q, &r, &err) == SR_OK);
    CHECK(r.is_suppressed);
    CHECK(r.months[0].total == REPORT_SUPPRESSED);          /* 4 */
    CHECK(r.months[0].by_category[1] == REPORT_SUPPRESSED); /* 1 */
    CHECK(r.months[1].by_category[2] == REPORT_SUPPRESSED); /* 1 */
    CHECK(r.months[2].total == 0); /* a zero is not hidden */
    CHECK(r.sum.total == 10);
    /* A's year is 4, hidden; all organisations' 10 minus B's 6 would give
     * it, so B's 6 is withheld; B's one channel, sms 6, is its whole year
     * and goes too, and then sms across all organisations (A has none) */
    CHECK(r.channel.items[0].n == REPORT_WITHHELD);
    CHECK(r.channel.items[1].n == REPORT_SUPPRESSED); /* phone 3 */
    CHECK(r.channel.items[2].n == REPORT_SUPPRESSED); /* line 1 */
    report_release(&r);
    /* B's year is 6 contacts, 1 in January and 5 in February: with
     * January's 1 hidden, February's 5 must go too, or 6 - 5 gives it */
    q = query("2025-01", "2025-12", org_b, 1);
    CHECK(report_hotline(db, &q, &r, &err) == SR_OK);
    CHECK(r.months[0].total == REPORT_SUPPRESSED);
    CHECK(r.months[1].total == REPORT_WITHHELD);
    CHECK(r.sum.total == REPORT_WITHHELD); /* 10 - 6 would give A's 4 */
    report_release(&r);

    /* organisation B alone sees none of A's contacts */
    q = query("2025-01", "2025-02", org_b, 0);
    CHECK(report_hotline(db, &q, &r, &err) == SR_OK);
    CHECK(r.sum.total == 6 && r.months[0].total == 1);
    CHECK(r.channel.n_items == 1);
    report_release(&r);
}

static void
test_bad_query(struct db *db)
{
    struct sr_err err = { 0 };
    struct report r;
    struct report_query q = query("2025-03", "2025-02", org_a, 0);
    CHECK(report_hotline(db, &q, &r, &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "to:", 3) == 0);
    sr_err_release(&err);
    report_release(&r);
    q = query("2000-01", "2025-02", org_a, 0); /* 302 months */
    CHECK(report_hotline(db, &q, &r, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "240") != NULL);
    sr_err_release(&err);
    report_release(&r);
    q = query("2025-01", "2025-02", org_a, 0);
    q.timezone = "Mars/Olympus";
    CHECK(report_hotline(db, &q, &r, &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "timezone:", 9) == 0);
    sr_err_release(&err);
    report_release(&r);
}

static int
count_event(const struct event_row *e, void *ctx)
{
    (void)e;
    (*(int *)ctx)++;
    return 0;
}

static int
count_audit(const struct audit_row *a, void *ctx)
{
    (void)a;
    (*(int *)ctx)++;
    return 0;
}

static void
test_events(struct db *db, const struct vault *v)
{
    struct sr_err err = { 0 };
    int64_t id;
    struct event_input ok = { "2025-01-05", "broadcast",
                              "TV spot shows the number", org_a };
    CHECK(event_add(db, v, 0, &ok, &id, &err) == SR_OK);
    struct event_input b = { "2025-02-01", "registration",
                             "=HYPERLINK(\"x\"), round 2", org_b };
    CHECK(event_add(db, v, 0, &b, &id, &err) == SR_OK);
    struct event_input later = { "2025-03-01", "campaign", "Radio", org_a };
    CHECK(event_add(db, v, 0, &later, &id, &err) == SR_OK);

    char long_title[EVENT_MAX_TITLE + 2];
    memset(long_title, 'x', sizeof long_title - 1);
    long_title[sizeof long_title - 1] = '\0';
    struct {
        struct event_input in;
        const char *field;
    } bad[] = {
        { { "2025-02-30", "broadcast", "t", org_a }, "day:" },
        { { "2025-2-03", "broadcast", "t", org_a }, "day:" },
        { { "1999-12-31", "broadcast", "t", org_a }, "day:" },
        { { NULL, "broadcast", "t", org_a }, "day:" },
        { { "2025-02-03", "party", "t", org_a }, "kind:" },
        { { "2025-02-03", "broadcast", "", org_a }, "title:" },
        { { "2025-02-03", "broadcast", "a\nb", org_a }, "title:" },
        { { "2025-02-03", "broadcast", long_title, org_a }, "title:" },
        { { "2025-02-03", "broadcast", "\xff\xfe", org_a }, "title:" },
        { { "2025-02-03", "broadcast", "t", 0 }, "org:" },
        { { "2025-02-03", "broadcast", "t", 999 }, "org:" },
    };
    int before = 0, after = 0;
    CHECK(event_list(db, 0, NULL, NULL, count_event, &before, &err) == SR_OK);
    int loop_bad2 = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        TALLY(loop_bad2,
              event_add(db, v, 0, &bad[i].in, &id, &err) == SR_EINVAL);
        TALLY(loop_bad2, strncmp(sr_err_msg(&err), bad[i].field,
                                 strlen(bad[i].field)) == 0);
        sr_err_release(&err);
    }
    CHECK(loop_bad2 == 0);
    CHECK(event_list(db, 0, NULL, NULL, count_event, &after, &err) == SR_OK);
    CHECK(before == 3 && after == 3);
    /* 2024-02-29 is a date, 2025-02-29 is not */
    CHECK(event_day_valid("2024-02-29") && !event_day_valid("2025-02-29"));
    /* each event audited */
    struct audit_filter f = { .action = "event.add" };
    int n_audit = 0;
    CHECK(audit_list(db, &f, count_audit, &n_audit, &err) == SR_OK);
    CHECK(n_audit == 3);
    int64_t bad_id = 0, n = 0;
    CHECK(audit_verify(db, v, &bad_id, &n, &err) == SR_OK);
    /* scope of the list */
    int n_a = 0;
    CHECK(event_list(db, org_a, "2025-01-01", "2025-02-28", count_event, &n_a,
                     &err) == SR_OK);
    CHECK(n_a == 1);
}

static void
test_report_events_and_forms(struct db *db)
{
    struct sr_err err = { 0 };
    struct report r;
    struct report_query q = query("2025-01", "2025-02", org_a, 0);
    CHECK(report_hotline(db, &q, &r, &err) == SR_OK);
    CHECK(r.n_events == 1);
    CHECK(strcmp(r.events[0].day, "2025-01-05") == 0);
    CHECK(r.events[0].month_index == 0);
    report_release(&r);

    q = query("2025-01", "2025-02", 0, 0);
    CHECK(report_hotline(db, &q, &r, &err) == SR_OK);
    CHECK(r.n_events == 2);
    CHECK(r.events[1].month_index == 1);
    struct sr_buf b;
    sr_buf_init(&b, 0);
    CHECK(report_out_csv(&r, "Asia/Bangkok", NULL, &b) == SR_OK);
    CHECK(strncmp(b.data, "section,key,measure,value\r\n", 27) == 0);
    CHECK(strstr(b.data, "\r\nmonth,2025-01,contacts,4\r\n") != NULL);
    CHECK(strstr(b.data, "\r\nmonth,2025-02,labour_rights,5\r\n") != NULL);
    CHECK(strstr(b.data, "\r\ntotal,all,contacts,10\r\n") != NULL);
    CHECK(strstr(b.data, "\r\nchannel,sms,share_pct,60.0\r\n") != NULL);
    /* the formula is neutralised and the cell quoted (comma, quotes) */
    CHECK(strstr(b.data, "event,2025-02-01,registration,"
                         "\"'=HYPERLINK(\"\"x\"\"), round 2\"") != NULL);
    sr_buf_release(&b);
    json_t *j = report_out_json(&r, "Asia/Bangkok", NULL);
    json_t *m0 = json_array_get(json_object_get(j, "months"), 0);
    CHECK(json_integer_value(json_object_get(m0, "contacts")) == 4);
    CHECK(json_integer_value(json_object_get(json_object_get(m0, "by_category"),
                                             "trafficking")) == 1);
    CHECK(json_integer_value(json_object_get(j, "utc_offset_s")) == 25200);
    CHECK(json_is_object(json_object_get(j, "referrals")));
    CHECK(json_array_size(json_object_get(json_object_get(j, "referrals"),
                                          "partners")) == 0);
    CHECK(json_array_size(json_object_get(j, "events")) == 2);
    json_decref(j);
    report_release(&r);

    q = query("2025-01", "2025-12", 0, 1);
    CHECK(report_hotline(db, &q, &r, &err) == SR_OK);
    sr_buf_init(&b, 0);
    CHECK(report_out_csv(&r, "Asia/Bangkok", NULL, &b) == SR_OK);
    CHECK(strstr(b.data, "\r\nmonth,2025-01,contacts,<5\r\n") != NULL);
    CHECK(strstr(b.data, "\r\nreport,suppressed_below,contacts,5\r\n") != NULL);
    sr_buf_release(&b);
    j = report_out_json(&r, "Asia/Bangkok", NULL);
    m0 = json_array_get(json_object_get(j, "months"), 0);
    CHECK(json_is_null(json_object_get(m0, "contacts")));
    CHECK(json_is_true(json_object_get(j, "suppressed")));
    json_decref(j);
    report_release(&r);
}

static void
test_referral_section(void)
{
    struct html h;
    struct report_referrals none = { 0 };
    html_init(&h, 0);
    report_web_referrals(&h, "en", &none);
    CHECK(h.buf.len == 0);
    html_release(&h);

    struct report_referral_row row = {
        .partner_code = "O-AAAA-BBBB",
        .partner_name = "Legal <Aid> & Co",
        .n_sent = 12,
        .n_acknowledged = 10,
        .n_accepted = 8,
        .n_declined = 2,
        .n_action = 3,
        .n_no_action = 5,
        .median_ack_h = 5.5,
        .median_action_h = -1,
    };
    struct report_referrals r = { 1, &row, 1, 9, 3 };
    html_init(&h, 0);
    report_web_referrals(&h, "en", &r);
    CHECK(strstr(h.buf.data, "Legal &lt;Aid&gt; &amp; Co") != NULL);
    CHECK(strstr(h.buf.data, "O-AAAA-BBBB") != NULL);
    /* 3 of 9 trafficking referrals saw action: 33.3% */
    CHECK(strstr(h.buf.data, ": 3 (33.3%).") != NULL);
    CHECK(strstr(h.buf.data, ">5.5</td><td class=\"num\"></td>") != NULL);
    CHECK(strstr(h.buf.data, "<td class=\"num\">12</td>") != NULL);
    html_release(&h);

    /* suppressed (the analyst's report): "<5", no share */
    struct report_referrals hid = { 1, &row, 1, REPORT_SUPPRESSED,
                                    REPORT_SUPPRESSED };
    html_init(&h, 0);
    report_web_referrals(&h, "en", &hid);
    CHECK(strstr(h.buf.data, "referred: &lt;5. ") != NULL);
    CHECK(strstr(h.buf.data, "saw action: &lt;5.</p>") != NULL);
    CHECK(strstr(h.buf.data, "%") == NULL);
    html_release(&h);
}

/* ---- the differencing attack ------------------------------------------ */

/* One count as the analyst sees it and as it is. */
struct seen {
    int64_t shown, truth;
};

struct attack {
    struct seen cells[2048];
    size_t n_cells;
    size_t rel[1024][64]; /* each relation: rel[r][0] = rel[r][1] + ... */
    size_t rel_len[1024];
    size_t n_rel;
};

static size_t
seen_cell(struct attack *a, int64_t shown, int64_t truth)
{
    REQUIRE(a->n_cells < 2048);
    a->cells[a->n_cells].shown = shown;
    a->cells[a->n_cells].truth = truth;
    return a->n_cells++;
}

static void
relation(struct attack *a, const size_t *cells, size_t n)
{
    REQUIRE(a->n_rel < 1024 && n <= 64);
    memcpy(a->rel[a->n_rel], cells, n * sizeof *cells);
    a->rel_len[a->n_rel++] = n;
}

/* the month i of r (the year's row for i == n_months), field f: contacts,
 * the six categories, danger, people */
static int64_t
field_of(const struct report *r, size_t i, int f)
{
    const struct report_month *m = i < r->n_months ? &r->months[i] : &r->sum;
    if (f == 0) {
        return m->total;
    }
    if (f <= REPORT_N_CATEGORIES) {
        return m->by_category[f - 1];
    }
    return f == REPORT_N_CATEGORIES + 1 ? m->n_danger : m->n_affected;
}

#define N_F (REPORT_N_CATEGORIES + 3)

/*
 * What an analyst can do with the three reports of 2025 (all
 * organisations, A, B): every relation that holds between their counts
 * (a month's contacts are the sum of its categories; the year's figure
 * the sum of the months; a breakdown sums to the year's contacts; all
 * organisations are A plus B), used over and over to solve any relation
 * with one unknown left. No hidden count may come out; no count of 1 to 4
 * may be shown; every shown count is the true one.
 */
static void
test_differencing_attack(struct db *db)
{
    static struct attack a;
    memset(&a, 0, sizeof a);
    struct sr_err err = { 0 };
    int64_t orgs[3] = { 0, org_a, org_b };
    struct report seen[3], truth[3];
    for (int s = 0; s < 3; s++) {
        struct report_query q = query("2025-01", "2025-12", orgs[s], 1);
        CHECK(report_hotline(db, &q, &seen[s], &err) == SR_OK);
        q.is_suppressed = 0;
        CHECK(report_hotline(db, &q, &truth[s], &err) == SR_OK);
    }
    /* cells: months x fields of each report, then breakdown items */
    size_t mc[3][13][N_F];
    for (int s = 0; s < 3; s++) {
        for (size_t i = 0; i <= 12; i++) {
            for (int f = 0; f < N_F; f++) {
                mc[s][i][f] = seen_cell(&a, field_of(&seen[s], i, f),
                                        field_of(&truth[s], i, f));
            }
        }
    }
    size_t rel[64];
    for (int s = 0; s < 3; s++) {
        for (size_t i = 0; i <= 12; i++) { /* contacts = categories */
            for (int f = 0; f <= REPORT_N_CATEGORIES; f++) {
                rel[f] = mc[s][i][f];
            }
            relation(&a, rel, REPORT_N_CATEGORIES + 1);
        }
        for (int f = 0; f < N_F; f++) { /* the year = its months */
            rel[0] = mc[s][12][f];
            for (size_t i = 0; i < 12; i++) {
                rel[1 + i] = mc[s][i][f];
            }
            relation(&a, rel, 13);
        }
    }
    for (size_t i = 0; i <= 12; i++) { /* all = A + B */
        for (int f = 0; f < N_F; f++) {
            size_t r3[3] = { mc[0][i][f], mc[1][i][f], mc[2][i][f] };
            relation(&a, r3, 3);
        }
    }
    /* the channel breakdown: sums to the year's contacts in each report,
     * and each channel of all organisations is A's plus B's */
    size_t ch[3][8];
    for (int s = 0; s < 3; s++) {
        REQUIRE(seen[s].channel.n_items == truth[s].channel.n_items &&
                seen[s].channel.n_items < 8);
        rel[0] = mc[s][12][0];
        for (size_t j = 0; j < seen[s].channel.n_items; j++) {
            ch[s][j] = seen_cell(&a, seen[s].channel.items[j].n,
                                 truth[s].channel.items[j].n);
            rel[1 + j] = ch[s][j];
        }
        relation(&a, rel, 1 + seen[s].channel.n_items);
    }
    for (size_t j = 0; j < truth[0].channel.n_items; j++) {
        size_t n = 0;
        rel[n++] = ch[0][j];
        for (int s = 1; s < 3; s++) {
            for (size_t k = 0; k < truth[s].channel.n_items; k++) {
                if (strcmp(truth[s].channel.items[k].code,
                           truth[0].channel.items[j].code) == 0) {
                    rel[n++] = ch[s][k];
                }
            }
        }
        relation(&a, rel, n);
    }
    int bad_shown = 0, n_hidden = 0;
    for (size_t c = 0; c < a.n_cells; c++) {
        const struct seen *x = &a.cells[c];
        TALLY(bad_shown, x->shown < 0 || x->shown == x->truth);
        TALLY(bad_shown, x->shown < 0 || x->truth == 0 || x->truth >= 5);
        n_hidden += x->shown < 0;
    }
    CHECK(bad_shown == 0);
    CHECK(n_hidden >= 10); /* the fixture has small counts to hide */
    /* the attack: solve relations with one unknown until none is left */
    int known[2048], n_found = 0, progress = 1;
    for (size_t c = 0; c < a.n_cells; c++) {
        known[c] = a.cells[c].shown >= 0;
    }
    while (progress) {
        progress = 0;
        for (size_t r = 0; r < a.n_rel; r++) {
            size_t unknown = 0, n_unknown = 0;
            for (size_t k = 0; k < a.rel_len[r]; k++) {
                if (!known[a.rel[r][k]]) {
                    unknown = a.rel[r][k];
                    n_unknown++;
                }
            }
            if (n_unknown == 1) {
                known[unknown] = 1;
                n_found++;
                progress = 1;
            }
        }
    }
    CHECK(n_found == 0);
    for (int s = 0; s < 3; s++) {
        report_release(&seen[s]);
        report_release(&truth[s]);
    }
}

int
main(void)
{
    struct vault *v = fixture_vault();
    struct db *db = fixture_db();
    test_months_and_zone();
    fill(db, v);
    test_org_report(db);
    test_all_and_suppressed(db);
    test_differencing_attack(db);
    test_bad_query(db);
    test_events(db, v);
    test_report_events_and_forms(db);
    test_referral_section();
    db_close(db);
    vault_free(v);
    return TEST_DONE("test_report");
}
