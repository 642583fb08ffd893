/*
 * routes.c - the route table: every URL SIREN answers, the methods, the
 * handler, the policy action it needs and its flags.
 *
 * Private unless the action is ACT_PUBLIC. Every state change is a POST
 * with R_CSRF. `siren routes` prints this table; a test compares it with
 * docs/api.md.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/contact_web.h"
#include "web/case_web.h"
#include "web/person_web.h"
#include "web/http.h"
#include "web/justice_web.h"
#include "web/entity_web.h"
#include "web/report_web.h"
#include "web/stats_web.h"
#include "web/web.h"
#include "web/web_admin.h"
#include "web/dashboard.h"
#include "web/referral_web.h"
#include "web/directory_web.h"
#include "web/ready_web.h"

#include "web/totp_web.h"
#include "core/banned.h"

const struct route http_routes[] = {
    /* method               pattern               handler               action            flags */
    { HTTP_GET, "/", web_root, ACT_PUBLIC, 0 },
    { HTTP_GET, "/health", web_health, ACT_PUBLIC, R_API },
    { HTTP_GET, "/ready", web_ready, ACT_PUBLIC, R_API },
    { HTTP_GET, "/static/{name}", web_static, ACT_PUBLIC, R_STATIC },
    { HTTP_GET, "/login", web_login_page, ACT_PUBLIC, 0 },
    { HTTP_POST, "/login", totp_web_login, ACT_PUBLIC, R_CSRF },
    /* the second sign-in factor (totp_web.c) */
    { HTTP_POST, "/login/code", totp_web_login_code, ACT_PUBLIC, R_CSRF },
    { HTTP_POST, "/login/enrol", totp_web_login_enrol, ACT_PUBLIC, R_CSRF },
    { HTTP_POST, "/account/totp", totp_web_account_start, ACT_SIGNED_IN,
      R_CSRF },
    { HTTP_POST, "/account/totp/confirm", totp_web_account_confirm,
      ACT_SIGNED_IN, R_CSRF },
    { HTTP_POST, "/account/totp/off", totp_web_account_off, ACT_SIGNED_IN,
      R_CSRF },
    { HTTP_POST, "/users/{id}/totp-reset", totp_web_user_reset, ACT_USER_MANAGE,
      R_CSRF },
    { HTTP_POST, "/logout", web_logout, ACT_SIGNED_IN, R_CSRF },
    { HTTP_POST, "/lang", web_lang, ACT_PUBLIC, R_CSRF },
    { HTTP_GET, "/dashboard", web_dashboard, ACT_SIGNED_IN, 0 },
    { HTTP_GET, "/account", web_account, ACT_SIGNED_IN, 0 },
    { HTTP_POST, "/account/password", web_account_password, ACT_SIGNED_IN,
      R_CSRF },
    { HTTP_GET, "/users", web_users, ACT_USER_READ, 0 },
    { HTTP_POST, "/users", web_user_add, ACT_USER_MANAGE, R_CSRF },
    { HTTP_GET, "/users/sessions", web_sessions, ACT_USER_MANAGE, 0 },
    { HTTP_POST, "/users/sessions", web_session_end, ACT_USER_MANAGE, R_CSRF },
    { HTTP_GET, "/users/{id}", web_user_view, ACT_USER_READ, 0 },
    { HTTP_POST, "/users/{id}", web_user_update, ACT_USER_MANAGE, R_CSRF },
    { HTTP_POST, "/users/{id}/password", web_user_password, ACT_USER_MANAGE,
      R_CSRF },
    { HTTP_GET, "/orgs", web_orgs, ACT_ORG_READ, 0 },
    { HTTP_POST, "/orgs", web_org_add, ACT_ORG_MANAGE, R_CSRF },
    { HTTP_GET, "/audit", web_audit, ACT_AUDIT_READ, 0 },
    { HTTP_GET, "/api/v1/me", api_me, ACT_SIGNED_IN, R_API },
    { HTTP_GET, "/api/v1/users", api_users, ACT_USER_READ, R_API },
    { HTTP_GET, "/api/v1/audit/verify", api_audit_verify, ACT_AUDIT_VERIFY,
      R_API },
    /* referral network: directory (directory_web.c), referrals
     * (referral_web.c) */
    { HTTP_GET, "/directory", web_directory, ACT_ORG_READ, 0 },
    { HTTP_GET, "/directory/{code}", web_directory_org, ACT_ORG_READ, 0 },
    { HTTP_POST, "/directory/{code}", web_directory_update, ACT_ORG_MANAGE,
      R_CSRF },
    { HTTP_GET, "/contacts/{code}/refer", web_refer_form, ACT_REFERRAL_SEND,
      0 },
    { HTTP_POST, "/contacts/{code}/refer", web_refer, ACT_REFERRAL_SEND,
      R_CSRF },
    { HTTP_GET, "/referrals", web_referrals, ACT_REFERRAL_READ, 0 },
    { HTTP_GET, "/referrals/inbox", web_referral_inbox, ACT_REFERRAL_READ, 0 },
    { HTTP_GET, "/referrals/{code}", web_referral_view, ACT_REFERRAL_READ, 0 },
    { HTTP_POST, "/referrals/{code}/answer", web_referral_answer,
      ACT_REFERRAL_ANSWER, R_CSRF },
    { HTTP_POST, "/referrals/{code}/close", web_referral_close,
      ACT_REFERRAL_SEND, R_CSRF },
    { HTTP_GET, "/api/v1/referrals", api_referrals, ACT_REFERRAL_READ, R_API },
    { HTTP_GET, "/api/v1/directory", api_directory, ACT_ORG_READ, R_API },
    /* justice events, the funnel, offenders and networks (justice_web.c,
     * entity_web.c) */
    { HTTP_GET, "/justice/{id}/events/new", justice_web_event_form,
      ACT_JUSTICE_RECORD, 0 },
    { HTTP_POST, "/justice/{id}/events", justice_web_event_add,
      ACT_JUSTICE_RECORD, R_CSRF },
    { HTTP_GET, "/reports/funnel", justice_web_funnel, ACT_FUNNEL_READ, 0 },
    { HTTP_GET, "/reports/funnel.csv", justice_web_funnel, ACT_FUNNEL_READ, 0 },
    { HTTP_GET, "/reports/funnel.json", justice_web_funnel, ACT_FUNNEL_READ,
      R_API },
    { HTTP_GET, "/entities", entity_web_list, ACT_ENTITY_READ, 0 },
    { HTTP_POST, "/entities", entity_web_add, ACT_ENTITY_MANAGE, R_CSRF },
    { HTTP_GET, "/entities/new", entity_web_new, ACT_ENTITY_MANAGE, 0 },
    { HTTP_GET, "/entities/{code}", entity_web_view, ACT_ENTITY_READ, 0 },
    { HTTP_POST, "/entities/{code}/links", entity_web_link, ACT_ENTITY_MANAGE,
      R_CSRF },
    { HTTP_POST, "/entities/{code}/cases", entity_web_link_case,
      ACT_ENTITY_MANAGE, R_CSRF },
    { HTTP_POST, "/entities/{code}/suggestions", entity_web_decide,
      ACT_ENTITY_MANAGE, R_CSRF },
    { HTTP_GET, "/entities/{code}/network", entity_web_network, ACT_ENTITY_READ,
      0 },
    { HTTP_GET, "/entities/{code}/casefile", entity_web_casefile,
      ACT_ENTITY_READ, 0 },
    { HTTP_GET, "/reports/offenders", entity_web_offenders, ACT_ENTITY_READ,
      0 },
    { HTTP_GET, "/reports/network", entity_web_network_stats, ACT_NETWORK_STATS,
      0 },
    { HTTP_GET, "/reports/network.json", entity_web_network_stats,
      ACT_NETWORK_STATS, R_API },
    /* contacts (contact_web.c) */
    { HTTP_GET, "/contacts", contact_page_list, ACT_CONTACT_READ, 0 },
    { HTTP_POST, "/contacts", contact_page_create, ACT_CONTACT_CREATE, R_CSRF },
    { HTTP_GET, "/contacts/new", contact_page_new, ACT_CONTACT_CREATE, 0 },
    { HTTP_GET, "/contacts/{code}", contact_page_view, ACT_CONTACT_READ, 0 },
    { HTTP_POST, "/contacts/{code}/delete", contact_page_delete,
      ACT_CONTACT_DELETE, R_CSRF },
    { HTTP_POST, "/api/v1/contacts/lookup", contact_api_lookup,
      ACT_CONTACT_READ, R_API | R_CSRF },
    { HTTP_GET, "/api/v1/orgs/emergency", contact_api_emergency,
      ACT_CONTACT_CREATE, R_API },
    /* report_web.c: the hotline's monthly report and its events */
    { HTTP_GET, "/reports/hotline", web_report_hotline, ACT_REPORT_READ, 0 },
    { HTTP_GET, "/reports/hotline.csv", web_report_hotline, ACT_REPORT_READ,
      0 },
    { HTTP_GET, "/reports/hotline.json", web_report_hotline, ACT_REPORT_READ,
      R_API },
    { HTTP_GET, "/events", web_events, ACT_EVENT_MANAGE, 0 },
    { HTTP_POST, "/events", web_event_add, ACT_EVENT_MANAGE, R_CSRF },
    /* cases and people (case_web.c, person_web.c) */
    { HTTP_GET, "/cases", case_page_list, ACT_CASE_READ, 0 },
    { HTTP_POST, "/cases", case_page_create, ACT_CASE_CREATE, R_CSRF },
    { HTTP_GET, "/cases/new", case_page_new, ACT_CASE_CREATE, 0 },
    { HTTP_GET, "/cases/{code}", case_page_view, ACT_CASE_READ, 0 },
    { HTTP_POST, "/cases/{code}", case_page_update, ACT_CASE_UPDATE, R_CSRF },
    { HTTP_POST, "/cases/{code}/status", case_page_status, ACT_CASE_UPDATE,
      R_CSRF },
    { HTTP_POST, "/cases/{code}/notes", case_page_note, ACT_CASE_UPDATE,
      R_CSRF },
    { HTTP_POST, "/cases/{code}/support", case_page_support, ACT_CASE_UPDATE,
      R_CSRF },
    { HTTP_GET, "/cases/{code}/edit", case_page_edit, ACT_CASE_UPDATE, 0 },
    { HTTP_GET, "/cases/{code}/refer", web_case_refer_form, ACT_REFERRAL_SEND,
      0 },
    { HTTP_POST, "/cases/{code}/refer", web_case_refer, ACT_REFERRAL_SEND,
      R_CSRF },
    { HTTP_GET, "/cases/{code}/people/new", person_page_new, ACT_CASE_CREATE,
      0 },
    { HTTP_POST, "/cases/{code}/people", person_page_create, ACT_CASE_CREATE,
      R_CSRF },
    { HTTP_GET, "/people/{code}", person_page_view, ACT_CASE_READ, 0 },
    { HTTP_POST, "/people/{code}/consent", person_page_consent, ACT_CASE_UPDATE,
      R_CSRF },
    { HTTP_POST, "/people/{code}/glass", person_page_glass, ACT_GLASS_BREAK,
      R_CSRF },
    { HTTP_GET, "/duplicates", dup_page_list, ACT_DEDUP_DECIDE, 0 },
    { HTTP_POST, "/duplicates/{id}", dup_page_decide, ACT_DEDUP_DECIDE,
      R_CSRF },
    { HTTP_GET, "/glass", glass_page_list, ACT_GLASS_REVIEW, 0 },
    { HTTP_POST, "/glass/{id}", glass_page_review, ACT_GLASS_REVIEW, R_CSRF },
    { HTTP_GET, "/api/v1/cases", case_api_list, ACT_CASE_READ, R_API },
    { HTTP_GET, "/api/v1/cases/{code}", case_api_get, ACT_CASE_READ, R_API },
    { HTTP_GET, "/api/v1/people/{code}", person_api_get, ACT_CASE_READ, R_API },
    /* stats_web.c: survey data sets and recorded analyses */
    { HTTP_GET, "/stats", web_stats, ACT_STATS_RUN, 0 },
    { HTTP_POST, "/stats/datasets", web_stats_import, ACT_SURVEY_MANAGE,
      R_CSRF },
    { HTTP_GET, "/stats/datasets/{id}", web_stats_dataset, ACT_STATS_RUN, 0 },
    { HTTP_POST, "/stats/datasets/{id}/delete", web_stats_dataset_delete,
      ACT_SURVEY_MANAGE, R_CSRF },
    { HTTP_GET, "/stats/analyses/new", web_stats_new, ACT_STATS_RUN, 0 },
    { HTTP_POST, "/stats/analyses", web_stats_run, ACT_STATS_RUN, R_CSRF },
    { HTTP_GET, "/stats/analyses/{id}", web_stats_analysis, ACT_STATS_RUN, 0 },
    { HTTP_GET, "/api/v1/datasets", api_datasets, ACT_STATS_RUN, R_API },
    { HTTP_POST, "/api/v1/datasets", api_dataset_import, ACT_SURVEY_MANAGE,
      R_API | R_CSRF },
    { HTTP_POST, "/api/v1/analyses", api_analysis_run, ACT_STATS_RUN,
      R_API | R_CSRF },
    { HTTP_GET, "/api/v1/analyses/{id}", api_analysis_get, ACT_STATS_RUN,
      R_API },
    { 0, NULL, NULL, ACT_PUBLIC, 0 },
};
