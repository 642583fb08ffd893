/*
 * web_admin.h - account, users, organisations and audit pages and their
 * JSON (web_admin.c). routes.c lists these handlers.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_WEB_ADMIN_H
#define SR_WEB_ADMIN_H

#include "web/http.h"

int web_account(struct req *req, struct resp *resp);
int web_account_password(struct req *req, struct resp *resp);
int web_users(struct req *req, struct resp *resp);
int web_user_add(struct req *req, struct resp *resp);
int web_user_view(struct req *req, struct resp *resp);
int web_user_update(struct req *req, struct resp *resp);
int web_orgs(struct req *req, struct resp *resp);
int web_org_add(struct req *req, struct resp *resp);
int web_audit(struct req *req, struct resp *resp);
int api_me(struct req *req, struct resp *resp);
int api_users(struct req *req, struct resp *resp);
int api_audit_verify(struct req *req, struct resp *resp);

#endif
