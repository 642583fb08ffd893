/*
 * report.h - the hotline's monthly report: contacts per month in total and
 * per category, breakdowns by problem province, channel, language and
 * sector, imminent danger, people affected, the events that explain the
 * spikes, and (once the referral module provides it) referral outcomes
 * per partner.
 *
 * Months are calendar months in the workspace time zone: their
 * boundaries are computed here in C (report_tz_offset) and bound as
 * parameters, so every query is a range scan of a covering index.
 * A report holds aggregates only: no code, name or free text of any
 * contact ever enters it.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_REPORT_H
#define SR_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "base/store.h"

/* At most this many months in one report (20 years). */
#define REPORT_MAX_MONTHS 240
/* Categories of contact_categories[] (contact.c), in that order. */
#define REPORT_N_CATEGORIES 6
/* A count replaced by suppression (1 to REPORT_MIN_CELL - 1 contacts). */
#define REPORT_SUPPRESSED (-1)
/* A count of any size hidden so that a suppressed one cannot be worked
 * out from the totals (secondary suppression); shown as "x". */
#define REPORT_WITHHELD (-2)
/* Smallest count shown in a report across organisations. */
#define REPORT_MIN_CELL 5

/* A month, 1-12, of a year. */
struct report_ym {
    int year;  /* 2000-2100 */
    int month; /* 1-12 */
};

/*
 * Parse "YYYY-MM" (year 2000-2100). SR_EINVAL naming field otherwise; *out
 * written only on success.
 */
int report_parse_ym(const char *s, const char *field, struct report_ym *out,
                    struct sr_err *err);

/*
 * The fixed UTC offset, in seconds east of UTC, of the IANA zone tz.
 * Only zones without daylight saving time since 2000 are known (the
 * hotline region: Asia/Bangkok, Asia/Yangon, Asia/Phnom_Penh, ... and
 * UTC); SR_EINVAL naming the zone otherwise.
 */
int report_tz_offset(const char *tz, int *offset_s, struct sr_err *err);

/*
 * Unix seconds of 00:00 local time on the first of ym in a zone offset_s
 * seconds east of UTC.
 */
int64_t report_month_start(struct report_ym ym, int offset_s);

/* The local month of unix time t in a zone offset_s seconds east of UTC. */
struct report_ym report_ym_at(int64_t t, int offset_s);

/* ym plus delta months (delta may be negative). */
struct report_ym report_ym_add(struct report_ym ym, int delta);

/* One month of the report. Counts are REPORT_SUPPRESSED when suppressed. */
struct report_month {
    struct report_ym ym;
    int64_t total;                            /* live contacts received */
    int64_t by_category[REPORT_N_CATEGORIES]; /* contact_categories order */
    int64_t n_danger;   /* contacts with imminent danger */
    int64_t n_affected; /* people affected, summed */
};

/* One value of a breakdown: a code and how many contacts had it. */
struct report_share {
    char code[32]; /* "TH-90", "phone", "my", "fishing"; "" = not given */
    int64_t n;     /* contacts; REPORT_SUPPRESSED when suppressed */
};

/* A breakdown, largest first, ties by code. */
struct report_breakdown {
    struct report_share *items; /* n_items; malloc'd */
    size_t n_items;
};

/* An event inside the report's months. */
struct report_event {
    char day[11];    /* "YYYY-MM-DD" local date */
    char kind[16];   /* campaign, broadcast, registration, other */
    char title[201]; /* not an identity */
    int month_index; /* index into report.months */
};

/*
 * One partner's referral outcomes, as the referral module will report
 * them (see docs/reports.md: "referral section"). Counts of referrals
 * sent in the report's months; medians in hours, negative when there is
 * nothing to take a median of.
 */
struct report_referral_row {
    char partner_code[32];  /* O-XXXX-XXXX */
    char partner_name[201]; /* organisation name (not an identity) */
    int64_t n_sent, n_acknowledged, n_accepted, n_declined;
    int64_t n_action, n_no_action;
    double median_ack_h;    /* sent -> acknowledged, hours; < 0 = none */
    double median_action_h; /* sent -> action taken, hours; < 0 = none */
};

/* The referral section; is_present 0 until the referral module is wired. */
struct report_referrals {
    int is_present;                   /* 1: render the section */
    struct report_referral_row *rows; /* n_rows; malloc'd */
    size_t n_rows;
    int64_t n_trafficking_referred; /* trafficking contacts referred */
    int64_t n_trafficking_actioned; /* of those, how many saw action */
};

struct report {
    struct report_ym from, to;   /* inclusive */
    int offset_s;                /* zone offset used for the months */
    int64_t org_id;              /* 0 = every organisation */
    int is_suppressed;           /* 1: counts below REPORT_MIN_CELL hidden */
    struct report_month *months; /* n_months; malloc'd */
    size_t n_months;
    struct report_month sum; /* the whole range (ym = from) */
    struct report_breakdown province, channel, language, sector;
    struct report_event *events; /* n_events; malloc'd */
    size_t n_events;
    struct report_referrals referrals;
};

/* What to report on. */
struct report_query {
    struct report_ym from, to; /* inclusive; from <= to */
    const char *timezone;      /* IANA zone of the workspace */
    int64_t org_id;            /* 0 = all organisations */
    int is_suppressed;         /* 1: hide counts 1 to REPORT_MIN_CELL - 1 */
};

/*
 * Compute the monthly report for q into *out (report_release() it; it is
 * zeroed first, so releasing after an error is safe). Runs in one read
 * transaction. SR_EINVAL (naming "from", "to" or "timezone") for a bad
 * range or zone, SR_EDB. Thread-safe per connection.
 */
int report_hotline(struct db *db, const struct report_query *q,
                   struct report *out, struct sr_err *err);

/* Free what report_hotline() allocated; safe twice. */
void report_release(struct report *r);

/* Share of n in total as a percentage (0 when either is not positive). */
double report_pct(int64_t n, int64_t total);

#endif
