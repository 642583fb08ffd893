/*
 * web_admin.h - account, users, organisations and audit pages and their
 * JSON (web_admin.c). routes.c lists these handlers.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_WEB_ADMIN_H
#define SR_WEB_ADMIN_H

#include "web/http.h"

handler_fn web_account, web_account_password, web_users, web_user_add,
    web_user_view, web_user_update, web_user_password, web_orgs, web_org_add,
    web_audit, api_me, api_users, api_audit_verify, web_sessions,
    web_session_end;

#endif
