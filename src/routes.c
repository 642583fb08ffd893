/*
 * routes.c - the route table: every URL SIREN answers, the methods, the
 * handler, the policy action it needs and its flags.
 *
 * Private unless the action is ACT_PUBLIC. Every state change is a POST
 * with R_CSRF. `siren routes` prints this table; a test compares it with
 * docs/api.md.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "http.h"
#include "stats_web.h"
#include "web.h"

#include "banned.h"

const struct route http_routes[] = {
    /* method               pattern               handler               action            flags */
    { HTTP_GET, "/", web_root, ACT_PUBLIC, 0 },
    { HTTP_GET, "/health", web_health, ACT_PUBLIC, R_API },
    { HTTP_GET, "/static/{name}", web_static, ACT_PUBLIC, R_STATIC },
    { HTTP_GET, "/login", web_login_page, ACT_PUBLIC, 0 },
    { HTTP_POST, "/login", web_login, ACT_PUBLIC, R_CSRF },
    { HTTP_POST, "/logout", web_logout, ACT_SIGNED_IN, R_CSRF },
    { HTTP_POST, "/lang", web_lang, ACT_PUBLIC, R_CSRF },
    { HTTP_GET, "/dashboard", web_dashboard, ACT_SIGNED_IN, 0 },
    { HTTP_GET, "/account", web_account, ACT_SIGNED_IN, 0 },
    { HTTP_POST, "/account/password", web_account_password, ACT_SIGNED_IN,
      R_CSRF },
    { HTTP_GET, "/users", web_users, ACT_USER_READ, 0 },
    { HTTP_POST, "/users", web_user_add, ACT_USER_MANAGE, R_CSRF },
    { HTTP_GET, "/users/{id}", web_user_view, ACT_USER_READ, 0 },
    { HTTP_POST, "/users/{id}", web_user_update, ACT_USER_MANAGE, R_CSRF },
    { HTTP_GET, "/orgs", web_orgs, ACT_ORG_READ, 0 },
    { HTTP_POST, "/orgs", web_org_add, ACT_ORG_MANAGE, R_CSRF },
    { HTTP_GET, "/audit", web_audit, ACT_AUDIT_READ, 0 },
    { HTTP_GET, "/api/v1/me", api_me, ACT_SIGNED_IN, R_API },
    { HTTP_GET, "/api/v1/users", api_users, ACT_USER_READ, R_API },
    { HTTP_GET, "/api/v1/audit/verify", api_audit_verify, ACT_AUDIT_VERIFY,
      R_API },
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
