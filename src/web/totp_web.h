/*
 * totp_web.h - the pages of the second sign-in factor (totp_web.c): the
 * code step of a sign-in, enrolment with its QR code, recovery codes, the
 * account card, the administrator's reset, and the fresh code that
 * breaking the glass asks for, and the sign-in form's handler that leads
 * to them. routes.c lists the handlers.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_TOTP_WEB_H
#define SR_TOTP_WEB_H

#include "render/html.h"
#include "web/http.h"

/* The account page's card: the factor's state and its forms. */
void totp_web_account_card(struct html *h, struct req *req, struct resp *resp);

/* The user page's card for a manager: the factor's state and a reset. */
void totp_web_user_card(struct html *h, struct req *req, struct resp *resp,
                        int64_t user_id, int64_t org_id);

/* The code field of the break-the-glass form. */
void totp_web_glass_field(struct html *h, struct req *req);

/*
 * Check the fresh code of a break-the-glass request (form field "code")
 * for the signed-in user: SR_OK, or SR_EPERM with *msgid the reason (no
 * authenticator yet, or a wrong or used code, counted toward the lockout
 * like a wrong password), or SR_EDB.
 */
int totp_web_glass_check(struct req *req, const char **msgid);

/* POST /login: the password (hashed off the request threads), then the
 * second factor's page, or the session. */
handler_fn totp_web_login;

handler_fn totp_web_login_code, totp_web_login_enrol, totp_web_account_start,
    totp_web_account_confirm, totp_web_account_off, totp_web_user_reset;

#endif
