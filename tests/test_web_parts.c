/*
 * test_web_parts.c - the page pieces web.c shares with every module:
 * the answer format by the path's ending, data tables from column lists,
 * muted and status paragraphs, form actions, checkboxes, options, links,
 * inputs, text boxes, times and days in the workspace's zone, form
 * fields read by table, a refused write shown above its form again, the
 * first answers to a write, and a list's page size, count line and pager.
 * Expected markup is written out by hand from the contracts in
 * web.h (English msgids are their own translation; html.h escapes < > &
 * " ' and percent-encodes outside the RFC 3986 unreserved set).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stddef.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "base/workspace.h"
#include "harness.h"
#include "web/web.h"

#include "core/banned.h"

static struct arena arena;
static struct req req;

static void
req_at(const char *path)
{
    memset(&req, 0, sizeof req);
    req.arena = &arena;
    req.lang = "en";
    req.path = path;
}

/* h's markup is want; h is released */
static int
html_is(struct html *h, const char *want)
{
    int ok = strcmp(h->buf.data, want) == 0;
    if (!ok) {
        fprintf(stderr, "  got  '%s'\n  want '%s'\n", h->buf.data, want);
    }
    html_release(h);
    return ok;
}

static void
test_format_of(void)
{
    req_at("/reports/funnel");
    CHECK(web_format_of(&req) == WEB_PAGE);
    req_at("/reports/funnel.csv");
    CHECK(web_format_of(&req) == WEB_CSV);
    req_at("/reports/hotline.json");
    CHECK(web_format_of(&req) == WEB_JSON);
    req_at("/x.jsonp");
    CHECK(web_format_of(&req) == WEB_PAGE);
    req_at(".csv"); /* nothing before the ending */
    CHECK(web_format_of(&req) == WEB_PAGE);
    req_at(NULL);
    CHECK(web_format_of(&req) == WEB_PAGE);
}

static void
test_tables(void)
{
    static const char *const cols[] = { "#", "Code", "", NULL };
    struct html h;
    req_at("/");
    html_init(&h, 0);
    web_table_begin(&h, &req, "t<1>", cols);
    CHECK(html_is(&h, "<div class=\"table-wrap\" tabindex=\"0\"><table "
                      "class=\"data\" id=\"t&lt;1&gt;\"><thead><tr>"
                      "<th scope=\"col\">#</th><th scope=\"col\">Code</th>"
                      "<th></th></tr></thead><tbody>"));
    html_init(&h, 0);
    web_table_open(&h, "table-", NULL);
    CHECK(html_is(&h, "<div class=\"table-wrap\" tabindex=\"0\"><table "
                      "class=\"data\"><thead><tr>"));
    html_init(&h, 0);
    web_table_end(&h, &req, 0, "No records.");
    CHECK(html_is(&h, "</tbody></table></div><p class=\"muted\">No "
                      "records.</p>"));
    html_init(&h, 0);
    web_table_end(&h, &req, 3, "No records.");
    CHECK(html_is(&h, "</tbody></table></div>"));
}

static void
test_paragraphs(void)
{
    struct html h;
    struct kv query[] = { { "done", "sent" } };
    req_at("/referrals/R-1");
    html_init(&h, 0);
    web_muted(&h, &req, NULL, "No <records>.");
    CHECK(html_is(&h, "<p class=\"muted\">No &lt;records&gt;.</p>"));
    html_init(&h, 0);
    web_muted(&h, &req, "none\"1", "No records.");
    CHECK(html_is(&h, "<p class=\"muted\" id=\"none&quot;1\">No "
                      "records.</p>"));
    html_init(&h, 0);
    web_flash(&h, &req, "Saved & sent.");
    CHECK(html_is(&h, "<p class=\"flash ok\" role=\"status\">Saved &amp; "
                      "sent.</p>"));
    html_init(&h, 0);
    web_flash_done(&h, &req, "sent", "Referral sent."); /* no ?done= */
    CHECK(html_is(&h, ""));
    req.query = query;
    req.n_query = 1;
    html_init(&h, 0);
    web_flash_done(&h, &req, "ended", "Session ended.");
    CHECK(html_is(&h, ""));
    html_init(&h, 0);
    web_flash_done(&h, &req, "sent", "Referral sent.");
    CHECK(html_is(&h, "<p class=\"flash ok\" role=\"status\">Referral "
                      "sent.</p>"));
}

static void
test_form_actions(void)
{
    struct html h;
    req_at("/");
    html_init(&h, 0);
    web_form_actions(&h, &req, "Send", NULL);
    CHECK(html_is(&h, "<div class=\"form-actions\"><button class=\"btn "
                      "primary\" type=\"submit\">Send</button></div>"));
    html_init(&h, 0);
    web_submit_danger(&h, &req, "Delete <all>");
    CHECK(html_is(&h, "<button class=\"btn danger\" type=\"submit\">Delete "
                      "&lt;all&gt;</button>"));
    html_init(&h, 0);
    web_form_actions(&h, &req, "Save", "save-it");
    CHECK(html_is(&h, "<div class=\"form-actions\"><button class=\"btn "
                      "primary\" type=\"submit\" id=\"save-it\">Save"
                      "</button></div>"));
}

static void
test_textarea(void)
{
    struct html h;
    req_at("/");
    html_init(&h, 0);
    web_textarea(&h, &req, "r-note", "note", 4000, "Note", "Kept <secret>.");
    CHECK(html_is(&h, "<label for=\"r-note\">Note</label><textarea "
                      "id=\"r-note\" name=\"note\" maxlength=\"4000\">"
                      "</textarea><span class=\"hint\">Kept &lt;secret&gt;."
                      "</span>"));
}

static void
test_controls(void)
{
    struct html h;
    html_init(&h, 0);
    web_check(&h, "role", "a\"b", "<Broker>", 1);
    CHECK(html_is(&h, "<input type=\"checkbox\" name=\"role\" "
                      "value=\"a&quot;b\" checked> &lt;Broker&gt;"));
    html_init(&h, 0);
    web_check(&h, "role", "x", "X", 0);
    CHECK(html_is(&h, "<input type=\"checkbox\" name=\"role\" value=\"x\"> X"));
    html_init(&h, 0);
    web_option(&h, "TH-90", "Songkhla & Co", 1);
    web_option(&h, "TH-91", "Satun", 0);
    CHECK(html_is(&h, "<option value=\"TH-90\" selected>Songkhla &amp; "
                      "Co</option><option value=\"TH-91\">Satun</option>"));
    html_init(&h, 0);
    web_link(&h, "/cases/", "K-1 2/3", "K<1>");
    CHECK(html_is(&h, "<a href=\"/cases/K-1%202%2F3\">K&lt;1&gt;</a>"));
    html_init(&h, 0);
    web_id_name(&h, "e-name", "name");
    CHECK(html_is(&h, "id=\"e-name\" name=\"name\""));
    req_at("/");
    html_init(&h, 0);
    web_submit(&h, &req, "Save", "go");
    web_submit(&h, &req, "Save", NULL);
    CHECK(html_is(&h, "<button class=\"btn primary\" type=\"submit\" "
                      "id=\"go\">Save</button><button class=\"btn primary\" "
                      "type=\"submit\">Save</button>"));
}

/* the request's workspace is in zone */
static struct ws ws;
static struct app app = { &ws, 0, 0 };

static void
req_in(const char *zone)
{
    req_at("/x");
    snprintf(ws.cfg.timezone, sizeof ws.cfg.timezone, "%s", zone);
    req.app = &app;
}

/* 1800000000 is 2027-01-15 08:00 UTC; 1800034200 is 17:30 UTC, already
 * 2027-01-16 in Bangkok */
static void
test_times(void)
{
    struct html h;
    req_in("Asia/Bangkok");
    CHECK(web_tz_offset(&req) == 7 * 3600);
    html_init(&h, 0);
    web_time(&h, &req, 1800000000);
    CHECK(html_is(&h, "<time datetime=\"2027-01-15T08:00Z\">"
                      "2027-01-15 15:00 UTC+7</time>"));
    html_init(&h, 0);
    web_time(&h, &req, 1800034200);
    web_time(&h, &req, 0);
    web_time(&h, &req, -5);
    CHECK(html_is(&h, "<time datetime=\"2027-01-15T17:30Z\">"
                      "2027-01-16 00:30 UTC+7</time>--"));
    html_init(&h, 0);
    web_td_time(&h, &req, 1800000000);
    web_td_time(&h, &req, 0);
    CHECK(html_is(&h, "<td><time datetime=\"2027-01-15T08:00Z\">"
                      "2027-01-15 15:00 UTC+7</time></td><td>-</td>"));
    html_init(&h, 0);
    web_dt_dd_time(&h, &req, "Answer due", 1800034200);
    CHECK(html_is(&h, "<dt>Answer due</dt><dd><time "
                      "datetime=\"2027-01-15T17:30Z\">2027-01-16 00:30 "
                      "UTC+7</time></dd>"));
    CHECK(strcmp(web_time_text(&req, 1800034200), "2027-01-16 00:30 UTC+7") ==
          0);
    CHECK(strcmp(web_time_text(&req, 0), "-") == 0);
    CHECK(strcmp(web_day_text(&req, 1800034200), "2027-01-16") == 0);
    CHECK(strcmp(web_day_text(&req, 1800000000), "2027-01-15") == 0);
    CHECK(strcmp(web_day_text(&req, -1), "-") == 0);

    req_in("Asia/Yangon");
    CHECK(web_tz_offset(&req) == 6 * 3600 + 1800);
    html_init(&h, 0);
    web_time(&h, &req, 1800000000);
    CHECK(html_is(&h, "<time datetime=\"2027-01-15T08:00Z\">"
                      "2027-01-15 14:30 UTC+6:30</time>"));
    CHECK(strcmp(web_day_text(&req, 1800034200), "2027-01-16") == 0);

    /* UTC, and a zone SIREN does not know: shown as UTC, saying so */
    req_in("UTC");
    CHECK(strcmp(web_time_text(&req, 1800034200), "2027-01-15 17:30 UTC") == 0);
    CHECK(strcmp(web_day_text(&req, 1800034200), "2027-01-15") == 0);
    req_in("Europe/London");
    CHECK(web_tz_offset(&req) == 0);
    html_init(&h, 0);
    web_time(&h, &req, 1800000000);
    CHECK(html_is(&h, "<time datetime=\"2027-01-15T08:00Z\">"
                      "2027-01-15 08:00 UTC</time>"));
}

static int n_shown;
static const char *shown_error;

static int
show_form(struct req *r, struct resp *resp, const char *error)
{
    (void)r;
    (void)resp;
    n_shown++;
    shown_error = error;
    return SR_OK;
}

static void
test_form_again(void)
{
    struct resp resp;
    struct sr_err err = { 0 };
    req_at("/cases");
    memset(&resp, 0, sizeof resp);
    resp.status = 200;
    n_shown = 0;
    sr_err_set(&err, SR_EDB, "database down");
    CHECK(web_form_again(&req, &resp, SR_EDB, &err, show_form) == SR_EDB);
    CHECK(n_shown == 0 && resp.status == 200 && err.msg == NULL);
    sr_err_set(&err, SR_EINVAL, "name: too long");
    CHECK(web_form_again(&req, &resp, SR_EINVAL, &err, show_form) == SR_OK);
    CHECK(n_shown == 1 && resp.status == 400 && err.msg == NULL);
    CHECK(shown_error != NULL && strcmp(shown_error, "name: too long") == 0);
}

static void
test_inputs(void)
{
    static const struct vocab_item kinds[] = {
        { "broker", "Broker <agent>" },
        { NULL, NULL },
    };
    struct html h;
    html_init(&h, 0);
    web_input(&h, "e-name", "name", 200, 1);
    web_input(&h, "e-c", "country", 2, 0);
    CHECK(html_is(&h, "<input id=\"e-name\" name=\"name\" required "
                      "maxlength=\"200\"><input id=\"e-c\" "
                      "name=\"country\" maxlength=\"2\">"));
    req_at("/");
    html_init(&h, 0);
    web_button_link(&h, &req, "/entities/", "E 1/2", "/network", "Network");
    CHECK(html_is(&h, "<a class=\"btn\" href=\"/entities/E%201%2F2/network\">"
                      "Network</a>"));
    html_init(&h, 0);
    web_td_label(&h, &req, kinds, "broker");
    web_td_label(&h, &req, kinds, "other");
    CHECK(html_is(&h, "<td>Broker &lt;agent&gt;</td><td></td>"));
}

/* a struct with const char * members, as the forms read */
struct two_fields {
    const char *a;
    int n;
    const char *b;
};

static void
test_params(void)
{
    static const struct web_param params[] = {
        { "alpha", offsetof(struct two_fields, a) },
        { "beta", offsetof(struct two_fields, b) },
    };
    struct kv form[] = { { "beta", "B" }, { "gamma", "G" } };
    struct kv query[] = { { "alpha", "A" }, { "beta", "not this" } };
    struct two_fields out = { "x", 7, "y" };
    req_at("/");
    req.form = form;
    req.n_form = 2;
    req.query = query;
    req.n_query = 2;
    web_params_read(&req, &out, params, 2);
    CHECK(out.a != NULL && strcmp(out.a, "A") == 0);
    CHECK(out.b != NULL && strcmp(out.b, "B") == 0);
    CHECK(out.n == 7);
    req.n_query = 0;
    web_params_read(&req, &out, params, 1);
    CHECK(out.a == NULL);
    CHECK(out.b != NULL && strcmp(out.b, "B") == 0);
}

static void
test_write_done(void)
{
    struct resp resp;
    struct sr_err err = { 0 };
    memset(&resp, 0, sizeof resp);
    sr_buf_init(&resp.body, 4096);
    resp.status = 200;
    req_at("/api/v1/x");
    sr_err_set(&err, SR_EINVAL, "reason: required");
    CHECK(web_write_done(&req, &resp, SR_EINVAL, &err, "/stats") == SR_EINVAL);
    CHECK(resp.status == 200 && resp.location == NULL && err.msg != NULL);
    sr_err_release(&err);
    sr_err_set(&err, SR_EDB, "database down");
    CHECK(web_write_done(&req, &resp, SR_EDB, &err, "/stats") == SR_EDB);
    CHECK(resp.status == 200 && resp.location == NULL && err.msg == NULL);
    CHECK(web_write_done(&req, &resp, SR_OK, &err, "/stats") == SR_OK);
    CHECK(resp.status == 303 && resp.location != NULL &&
          strcmp(resp.location, "/stats") == 0);
    resp.location = NULL;
    sr_err_set(&err, SR_ENOTFOUND, "no such data set");
    CHECK(web_write_done(&req, &resp, SR_ENOTFOUND, &err, "/stats") == SR_OK);
    CHECK(resp.status == 404 && resp.location == NULL && err.msg == NULL);
    sr_buf_release(&resp.body);
}

static void
test_pages_and_counts(void)
{
    struct html h;
    int n_rows = -1;
    /* the page size: 50 unless ?per= asks for 1 to 200 */
    struct kv q_none[] = { { "per", "" } };
    struct kv q_three[] = { { "per", "3" } };
    struct kv q_zero[] = { { "per", "0" } };
    struct kv q_big[] = { { "per", "201" } };
    struct kv q_word[] = { { "per", "3x" } };
    req_at("/x");
    CHECK(web_page_rows(&req, &n_rows) == SR_OK && n_rows == 50);
    req.query = q_none;
    req.n_query = 1;
    CHECK(web_page_rows(&req, &n_rows) == SR_OK && n_rows == 50);
    req.query = q_three;
    CHECK(web_page_rows(&req, &n_rows) == SR_OK && n_rows == 3);
    n_rows = -1;
    req.query = q_zero;
    CHECK(web_page_rows(&req, &n_rows) == SR_EINVAL && n_rows == -1);
    req.query = q_big;
    CHECK(web_page_rows(&req, &n_rows) == SR_EINVAL && n_rows == -1);
    req.query = q_word;
    CHECK(web_page_rows(&req, &n_rows) == SR_EINVAL && n_rows == -1);

    /* the count line: singular, plural, and past the cap of 10000 */
    req_at("/x");
    html_init(&h, 0);
    web_match_count(&h, &req, 1);
    CHECK(html_is(&h, "<p class=\"muted\" id=\"match-count\">1 match</p>"));
    html_init(&h, 0);
    web_match_count(&h, &req, 0);
    CHECK(html_is(&h, "<p class=\"muted\" id=\"match-count\">0 matches</p>"));
    html_init(&h, 0);
    web_match_count(&h, &req, 10000);
    CHECK(
        html_is(&h, "<p class=\"muted\" id=\"match-count\">10000 matches</p>"));
    html_init(&h, 0);
    web_match_count(&h, &req, 10001);
    CHECK(html_is(&h, "<p class=\"muted\" id=\"match-count\">More than 10000 "
                      "matches</p>"));

    /* in Thai, through the catalogue's plural entry (one form) */
    struct sr_err err = { 0 };
    CHECK(i18n_load_all(&err) == SR_OK);
    sr_err_release(&err);
    req.lang = "th";
    html_init(&h, 0);
    web_match_count(&h, &req, 7);
    CHECK(html_is(&h, "<p class=\"muted\" id=\"match-count\">ตรงกัน 7 "
                      "รายการ</p>"));
    html_init(&h, 0);
    web_match_count(&h, &req, 1);
    CHECK(html_is(&h, "<p class=\"muted\" id=\"match-count\">ตรงกัน 1 "
                      "รายการ</p>"));
    html_init(&h, 0);
    web_match_count(&h, &req, 20000);
    CHECK(html_is(&h, "<p class=\"muted\" id=\"match-count\">ตรงกันมากกว่า "
                      "10000 รายการ</p>"));
    i18n_unload_all();

    /* the pager: nothing on a lone first page; the next link with the
     * cursor escaped, then "per" and each kept filter present, blank ones
     * left out, values percent-encoded; the first page's link when not on
     * it */
    static const char *const keep[] = { "status", "q", "none", NULL };
    struct kv q[] = { { "status", "sent" },
                      { "per", "2" },
                      { "q", "a&b <c>" },
                      { "none", "" },
                      { "other", "x" } };
    req_at("/x");
    req.query = q;
    req.n_query = 5;
    html_init(&h, 0);
    web_pager(&h, &req, "/list", NULL, 1, keep);
    CHECK(html_is(&h, ""));
    html_init(&h, 0);
    web_pager(&h, &req, "/list", "12_5 6", 1, keep);
    CHECK(html_is(&h, "<nav class=\"pager\" aria-label=\"Pages\"><div "
                      "class=\"pages\"><a rel=\"next\" id=\"next-page\" "
                      "href=\"/list?after=12_5%206&amp;per=2&amp;status=sent"
                      "&amp;q=a%26b%20%3Cc%3E\">Next page</a></div></nav>"));
    html_init(&h, 0);
    web_pager(&h, &req, "/list", NULL, 0, NULL);
    CHECK(html_is(&h, "<nav class=\"pager\" aria-label=\"Pages\"><div "
                      "class=\"pages\"><a href=\"/list?page=1&amp;per=2\">"
                      "First page</a></div></nav>"));
}

int
main(void)
{
    arena_init(&arena);
    test_format_of();
    test_tables();
    test_paragraphs();
    test_form_actions();
    test_textarea();
    test_controls();
    test_times();
    test_form_again();
    test_inputs();
    test_params();
    test_write_done();
    test_pages_and_counts();
    arena_release(&arena);
    return TEST_DONE("test_web_parts");
}
