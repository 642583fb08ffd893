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
#include "core/field.h"
#include "core/i18n.h"
#include "core/vocab.h"

/* The translation of msgid in the request's language. */
#define T(r, msgid) i18n_tr((r)->lang, (msgid))
/*
 * The translation of msgid in the sense ctxt names (its msgctxt), for an
 * English word used in two senses that other languages tell apart. A
 * helper that takes a msgid may be given the result: a translation is no
 * msgid, so translating it again leaves it as it is.
 */
#define TC(r, ctxt, msgid) i18n_trc((r)->lang, (ctxt), (msgid))
/*
 * The plural form of msgid (English singular) or plural (English plural)
 * for count n in the request's language (its catalogue's Plural-Forms).
 */
#define TP(r, msgid, plural, n) i18n_trp((r)->lang, (msgid), (plural), (n))

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

/*
 * Open a stacked POST form to PREFIX CODE SUFFIX (prefix and suffix
 * literal paths, code percent-encoded) with its CSRF field.
 */
void web_post_form(struct html *h, struct req *req, struct resp *resp,
                   const char *prefix, const char *code, const char *suffix);

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

/*
 * Times as the reader reads them, the one way every page shows one: in
 * the workspace's time zone (ws->cfg.timezone at its fixed offset,
 * sr_tz_offset(); a zone SIREN does not know is shown as UTC) and
 * labelled with it (sr_tz_label()). web_time() writes unix seconds t as
 *   <time datetime="2027-01-15T08:00Z">2027-01-15 15:00 UTC+7</time>
 * the attribute in UTC for programs, the text local: "UTC+7" in
 * Asia/Bangkok, "UTC+6:30" in Asia/Yangon, "UTC" in UTC. "-" alone,
 * without the element, when t <= 0.
 */
void web_time(struct html *h, const struct req *req, int64_t t);
/* <td>web_time()</td>. */
void web_td_time(struct html *h, const struct req *req, int64_t t);
/* <dt>translated msgid</dt><dd>web_time()</dd>. */
void web_dt_dd_time(struct html *h, const struct req *req, const char *msgid,
                    int64_t t);
/*
 * The text of web_time(), "2027-01-15 15:00 UTC+7" ("-": none), for a
 * time inside a sentence or another text; in the request's arena.
 */
const char *web_time_text(const struct req *req, int64_t t);
/*
 * The local date of t in the workspace's zone, "YYYY-MM-DD" (a day needs
 * no label), "-" when t <= 0; in the request's arena.
 */
const char *web_day_text(const struct req *req, int64_t t);
/*
 * The workspace zone's offset in seconds east of UTC (0 for a zone SIREN
 * does not know): what a local time typed into a form is read at.
 */
int web_tz_offset(const struct req *req);
/*
 * A division's name for the request's reader (gaz_name(): in its own
 * script when the reader reads its country's language), or code itself
 * when the gazetteer has no such division.
 */
const char *web_province_name(struct req *req, const char *code);

/* A column header cell with the translated msgid (scope="col"). */
void web_th(struct html *h, struct req *req, const char *msgid);
/* A table cell holding text, escaped. */
void web_td(struct html *h, const char *text);
/* <a href="PREFIX CODE">text</a>: prefix a literal path, code
 * percent-encoded, text escaped. */
void web_link(struct html *h, const char *prefix, const char *code,
              const char *text);
/* A table cell holding the translated label of code in list, escaped. */
void web_td_label(struct html *h, struct req *req,
                  const struct vocab_item *list, const char *code);
/*
 * A button-styled link <a class="btn" href="PREFIX CODE SUFFIX"> (prefix
 * and suffix literal paths, code percent-encoded) with the translated
 * msgid.
 */
void web_button_link(struct html *h, struct req *req, const char *prefix,
                     const char *code, const char *suffix, const char *msgid);
/* A number's table cell (class "num"). */
void web_td_num(struct html *h, int64_t n);
/* A form control's attributes id="id" name="name", escaped. */
void web_id_name(struct html *h, const char *id, const char *name);
/*
 * A text <input id="id" name="name">, with required when is_required, and
 * maxlength.
 */
void web_input(struct html *h, const char *id, const char *name, int maxlength,
               int is_required);
/*
 * A labelled free-text box: web_label() of id and label_msgid, an empty
 * <textarea id="id" name="name" maxlength="N">, then the translated
 * hint_msgid in <span class="hint">.
 */
void web_textarea(struct html *h, struct req *req, const char *id,
                  const char *name, int maxlength, const char *label_msgid,
                  const char *hint_msgid);
/* A field's hint paragraph with the translated msgid; NULL: nothing. */
void web_hint(struct html *h, struct req *req, const char *msgid);
/* A muted paragraph with the translated msgid: <p class="muted">, with
 * id="ID" unless id is NULL. */
void web_muted(struct html *h, struct req *req, const char *id,
               const char *msgid);
/* The status paragraph of a write that succeeded, the translated msgid:
 * <p class="flash ok" role="status">. */
void web_flash(struct html *h, struct req *req, const char *msgid);
/* web_flash() of msgid when the request's "done" parameter is done (the
 * page a write redirected to with ?done=DONE); else nothing. */
void web_flash_done(struct html *h, struct req *req, const char *done,
                    const char *msgid);
/*
 * <select id=name name=name>, with aria-invalid when is_invalid; the
 * options follow.
 */
void web_select_open(struct html *h, const char *name, int is_invalid);
/*
 * A form's refused fields (core/field.h), shown all at once: the summary
 * box at the top lists each field's translated label (label_of(field), a
 * msgid) and message, linked to #id_of(field); beside each input,
 * web_field_invalid() marks it and web_field_error() says why, in
 * <p class="field-error" id="err-FIELD">.
 */
typedef const char *web_field_name_fn(const char *field);
void web_field_summary(struct html *h, struct req *req,
                       const struct field_errs *fe, web_field_name_fn *label_of,
                       web_field_name_fn *id_of);
/* aria-invalid="true" aria-describedby="err-FIELD" when fe refuses
 * field; nothing otherwise (fe may be NULL). */
void web_field_invalid(struct html *h, const struct field_errs *fe,
                       const char *field);
/* The translated message of field's refusal, if any. */
void web_field_error(struct html *h, struct req *req,
                     const struct field_errs *fe, const char *field);
/* A <label for="id"> with the translated msgid. */
void web_label(struct html *h, struct req *req, const char *id,
               const char *msgid);
/*
 * The form's primary submit button, labelled with the translated msgid,
 * with id unless it is NULL.
 */
void web_submit(struct html *h, struct req *req, const char *msgid,
                const char *id);
/* The submit button of a destructive form (class "btn danger"), labelled
 * with the translated msgid. */
void web_submit_danger(struct html *h, struct req *req, const char *msgid);
/* A form's actions: <div class="form-actions">, web_submit(), </div>. */
void web_form_actions(struct html *h, struct req *req, const char *msgid,
                      const char *id);
/* Open a card section: <section class="card"><h2>, the translated
 * title_msgid, </h2>. The caller closes it with </section>. */
void web_card_begin(struct html *h, struct req *req, const char *title_msgid);
/* A form-level error box (role="alert") with msg, escaped; NULL: nothing. */
void web_form_error(struct html *h, const char *msg);

/* <option value="value">, with selected when is_selected. */
void web_option_open(struct html *h, const char *value, int is_selected);
/*
 * A checkbox and its text: <input type="checkbox" name="name"
 * value="value"> (checked when is_checked), a space, label escaped. The
 * caller wraps it in its <label>.
 */
void web_check(struct html *h, const char *name, const char *value,
               const char *label, int is_checked);
/* A whole <option> of web_option_open() with label, escaped. */
void web_option(struct html *h, const char *value, const char *label,
                int is_selected);

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

/* The format an answer is asked in, by the ending of the path. */
enum web_format {
    WEB_PAGE, /* no ending of the two below: an HTML page */
    WEB_CSV,  /* ".csv" */
    WEB_JSON, /* ".json" */
};
enum web_format web_format_of(const struct req *req);

/*
 * What a listing's row callback writes with: the request, its response
 * (for the CSRF field of a form in a row), the page, and the rows written
 * so far. Borrowed pointers, valid for the page being built.
 */
struct web_rows {
    struct req *req;
    struct resp *resp;
    struct html *h;
    int n_rows;
};

/*
 * Open a scrolling data table: <div class="table-wrap" tabindex="0"><table
 * class="data">, with id="PREFIX NAME" when name is not NULL, then
 * <thead><tr>.
 */
void web_table_open(struct html *h, const char *id_prefix, const char *name);

/*
 * A data table with id (NULL: none) and a head row of cols (NULL-ended
 * msgids, translated; "#" as it is; "" an empty cell without scope), left
 * open at <tbody>.
 */
void web_table_begin(struct html *h, struct req *req, const char *id,
                     const char *const *cols);

/*
 * The head cells of a table open at <thead><tr>, as web_table_begin()
 * writes them, then </tr></thead><tbody>.
 */
void web_table_head(struct html *h, struct req *req, const char *const *cols);

/*
 * The same head cells, leaving the row open for more (web_th(), then
 * web_table_head() or </tr></thead><tbody>).
 */
void web_table_cells(struct html *h, struct req *req, const char *const *cols);

/*
 * Close a table of web_table_begin(); when n_rows is 0, then a muted
 * paragraph with the translated empty_msgid.
 */
void web_table_end(struct html *h, struct req *req, int n_rows,
                   const char *empty_msgid);

/*
 * Lists of records page by keyset (a cursor naming the last row shown,
 * never OFFSET) and say how many records match their filter. The count
 * runs over the same filter and the same actor scope as the list (each
 * domain module's *_list_count() function), but reads at most
 * WEB_COUNT_CAP + 1 rows, so a page over millions of records stays as
 * fast as its first rows: past the cap it says "More than 10000 matches"
 * rather than the exact number. A page shows WEB_PAGE_ROWS rows unless
 * its "per" parameter asks for 1 to WEB_PAGE_MAX.
 */
#define WEB_COUNT_CAP 10000
#define WEB_PAGE_ROWS 50
#define WEB_PAGE_MAX  200

/*
 * The rows per page the request asks for in its "per" parameter:
 * WEB_PAGE_ROWS when absent or blank, else 1 to WEB_PAGE_MAX in
 * *n_rows. SR_EINVAL (nothing written) for anything else.
 */
int web_page_rows(const struct req *req, int *n_rows);

/*
 * The count line of a list: <p class="muted" id="match-count"> with "N
 * match"/"N matches" in the request's language (plural forms of its
 * catalogue), or "More than WEB_COUNT_CAP matches" when n_matches is
 * above WEB_COUNT_CAP (a capped count, above).
 */
void web_match_count(struct html *h, struct req *req, int64_t n_matches);

/*
 * A list's pager: <nav class="pager"> with a link to its first page
 * when is_first is 0, and the next page's link (rel="next",
 * id="next-page") to path?after=NEXT when next (the cursor of the next
 * page, as text) is not NULL. path is the list's literal path. Both
 * links keep the request's "per" and its values of the parameters that
 * keep names (NULL-ended; blank ones left out), so a filter holds across
 * pages. Nothing when is_first and next is NULL.
 */
void web_pager(struct html *h, struct req *req, const char *path,
               const char *next, int is_first, const char *const *keep);

/*
 * The answer when loading a page's record failed with rc: SR_ENOTFOUND
 * answers the 404 page and gives SR_OK; any other code is given back.
 */
int web_not_found(struct req *req, struct resp *resp, int rc);

/*
 * The user-safe message of a refused write, copied into the request's
 * arena for the form shown again; err is released.
 */
const char *web_err_text(struct req *req, struct sr_err *err);

/* A page showing its form again with error above it (NULL: none). */
typedef int web_form_fn(struct req *req, struct resp *resp, const char *error);

/*
 * Answer a write the domain refused with rc: SR_EDB goes up as it is;
 * anything else shows page again with err's message, answered 400 when
 * the page renders. err is released.
 */
int web_form_again(struct req *req, struct resp *resp, int rc,
                   struct sr_err *err, web_form_fn *page);

/* A request parameter taken as it is into a const char * member. */
struct web_param {
    const char *name; /* the parameter's name */
    size_t offset;    /* offsetof() the const char * member */
};

/*
 * Set the member of out that each of the n_params params names to
 * req_param() of its name (NULL when absent). The strings are borrowed
 * from the request.
 */
void web_params_read(struct req *req, void *out, const struct web_param *params,
                     size_t n_params);

/*
 * The first answers to a write whose success redirects: SR_OK redirects
 * to next and gives SR_OK, SR_EDB is given back, SR_ENOTFOUND answers the
 * 404 page and gives SR_OK; err is released in those cases. Any other rc
 * is given back with err kept, for the caller to show the refusal: the
 * handler returns the result when it is SR_OK or SR_EDB.
 */
int web_write_done(struct req *req, struct resp *resp, int rc,
                   struct sr_err *err, const char *next);

/*
 * A sign-in passed: set the session cookie of token (HttpOnly,
 * SameSite=Strict, Secure behind TLS) and drop the pre-sign-in cookie.
 * The caller then redirects or renders.
 */
void web_session_start(struct req *req, struct resp *resp, const char *token);

/* The sign-in page, with the translated error_msgid above the form
 * (NULL: none). */
void web_login_form(struct req *req, struct resp *resp,
                    const char *error_msgid);

/* Handlers (routes.c lists them). */
handler_fn web_root, web_health, web_static, web_login_page, web_logout,
    web_lang;

#endif
