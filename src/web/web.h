/*
 * web.h - pages and JSON answers of the foundation, and the page layout
 * every later module's pages use.
 *
 * Handlers take (req, resp) and return SR_OK, or an error code that the
 * dispatcher turns into a 500 page. No SQL here: data comes from the
 * domain modules. HTML only through html.h, JSON only through json.h.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_WEB_H
#define SR_WEB_H

#include "render/html.h"
#include "web/http.h"
#include "core/i18n.h"
#include "core/vocab.h"

/* The translation of msgid in the request's language. */
#define T(r, msgid) i18n_tr((r)->lang, (msgid))

/*
 * Start a page: doctype, head, top bar (brand, navigation allowed by the
 * policy, language switch, user menu), the synthetic-data banner when the
 * workspace is a demo, then <main>. title_msgid is translated.
 */
void web_page_begin(struct req *req, struct resp *resp, struct html *h,
                    const char *title_msgid);
/* Close the page and move it into resp->body (h is released). */
void web_page_end(struct req *req, struct resp *resp, struct html *h);

/*
 * End a page built since web_page_begin(): when rc is SR_OK, close it
 * into resp (with status when not 0) and return SR_OK; otherwise drop it
 * and return rc for the dispatcher's error page.
 */
int web_page_finish(struct req *req, struct resp *resp, struct html *h, int rc,
                    int status);

/* The hidden CSRF field for a form of this request's session. */
void web_csrf_field(struct req *req, struct resp *resp, struct html *h);

/* Error page (or JSON error under /api/) with status and msgid. */
void web_error(struct req *req, struct resp *resp, int status,
               const char *msgid);

/*
 * Write the translation of the printf-style msgid, formatted with the
 * arguments and escaped. The format attribute checks the arguments against
 * the English msgid; tools/po-check refuses a translation whose
 * conversions differ from its msgid's, which makes the translated format
 * safe to use.
 */
void web_printf_tr(struct html *h, const struct req *req, const char *msgid,
                   ...) __attribute__((format(printf, 3, 4)));

/* Format unix seconds as "YYYY-MM-DD HH:MM" UTC into out. */
void web_format_time(int64_t t, char *out, size_t size);

/* A column header cell with the translated msgid (scope="col"). */
void web_th(struct html *h, struct req *req, const char *msgid);
/* A table cell holding text, escaped. */
void web_td(struct html *h, const char *text);
/* A <label for="id"> with the translated msgid. */
void web_label(struct html *h, struct req *req, const char *id,
               const char *msgid);
/* The form's primary submit button, labelled with the translated msgid. */
void web_submit(struct html *h, struct req *req, const char *msgid);
/* A form-level error box (role="alert") with msg, escaped; NULL: nothing. */
void web_form_error(struct html *h, const char *msg);

/*
 * The <option>s of a value list, labels translated, the one whose code is
 * selected (NULL: none) marked; first an empty option labelled
 * blank_msgid unless it is NULL.
 */
void web_vocab_options(struct html *h, struct req *req,
                       const struct vocab_item *list, const char *selected,
                       const char *blank_msgid);

/*
 * <select id=name name=name> of a value list, as web_vocab_options();
 * aria-invalid when is_invalid.
 */
void web_vocab_select(struct html *h, struct req *req, const char *name,
                      const struct vocab_item *list, const char *selected,
                      const char *blank_msgid, int is_invalid);

/* <dt>msgid translated</dt><dd>value, or "-" when NULL or empty</dd>. */
void web_dt_dd(struct html *h, struct req *req, const char *msgid,
               const char *value);

/* Handlers (routes.c lists them). */
handler_fn web_root, web_health, web_static, web_login_page, web_login,
    web_logout, web_lang;

#endif
