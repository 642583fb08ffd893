/*
 * routes.c - the route table: every URL SIREN answers, the methods, the
 * handler, the policy action it needs and its flags.
 *
 * Private unless the action is ACT_PUBLIC. Every state change is a POST
 * with R_CSRF. `siren routes` prints this table; a test compares it with
 * docs/api.md.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "case_web.h"
#include "http.h"
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
    { 0, NULL, NULL, ACT_PUBLIC, 0 },
};
