/*
 * test_contact_web.c - the contact pages through the dispatcher: a
 * contact's identity fields reach only roles allowed to see them (each
 * view audited), never a partner, analyst or administrator in any page
 * or API answer; out-of-scope contacts answer 404; the Refer button for
 * roles with referral.send; emergency partners on a contact in danger;
 * the delete form for coordinators.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <string.h>

#include "base/audit.h"
#include "hotline/contact.h"
#include "harness.h"
#include "tally.h"
#include "webfix.h"

#include "core/banned.h"

static struct webfix fix;

struct page {
    int status;
    char body[262144];
};

static void
get(const char *user, int method, const char *path, const char *form,
    struct page *p)
{
    char token[33] = "", csrf[65] = "";
    if (user != NULL && webfix_login(&fix, user, token, csrf) != 0) {
        p->status = -1;
        return;
    }
    char body[1024] = "";
    if (form != NULL) {
        snprintf(body, sizeof body, "csrf=%s&%s", csrf, form);
    }
    struct arena a;
    struct resp r;
    arena_init(&a);
    memset(&r, 0, sizeof r);
    sr_buf_init(&r.body, 0);
    r.status = 200;
    webfix_request(&fix, &a, method, path, NULL, form ? body : NULL,
                   form ? "application/x-www-form-urlencoded" : NULL, token,
                   NULL, csrf, NULL, &r);
    p->status = r.status;
    snprintf(p->body, sizeof p->body, "%s", r.body.data ? r.body.data : "");
    sr_buf_release(&r.body);
    arena_release(&a);
}

static int
count_audit(const struct audit_row *r, void *ctx)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

static int
audit_count(const char *action)
{
    struct audit_filter f = { 0 };
    f.action = action;
    f.limit = 1000;
    struct sr_err err = { 0 };
    int n = 0;
    audit_list(fix.ws->db, &f, count_audit, &n, &err);
    return n;
}

static struct page pg;

int
main(void)
{
    sr_clock_set(webfix_clock); /* the harness may move it on */
    webfix_open(&fix);
    struct sr_err err = { 0 };
    /* an emergency partner serving Songkhla: organisation B */
    static const char *const prov[] = { "TH-90" };
    static const char *const langs[] = { "my" };
    static const char *const services[] = { "rescue" };
    struct org_profile prof = { prov, 1, langs, 1,    services,
                                1,    1, NULL,  NULL, NULL };
    CHECK(org_set_profile(fix.ws->db, fix.ws->vault, 0, fix.org_b_id, &prof,
                          &err) == SR_OK);
    struct principal op = { .user_id = 0,
                            .org_id = fix.org_a_id,
                            .role = ROLE_HOTLINE };
    struct contact_input in;
    memset(&in, 0, sizeof in);
    in.channel = "phone";
    in.language = "my";
    in.caller_type = "self";
    in.caller_phone = "+66 81 777 4242";
    in.problem_province = "TH-90";
    in.category = "trafficking";
    in.is_danger = 1;
    in.n_affected = 2;
    in.summary = "canary-summary-text held on a boat";
    in.caller_place = "canary-place-text";
    char code[32], path[64];
    CHECK(contact_create(fix.ws->db, fix.ws->vault, &op, &in, NULL, code, NULL,
                         &err) == SR_OK);
    snprintf(path, sizeof path, "/contacts/%s", code);

    /* the hotline operator sees everything; the view is audited */
    get("t.hotline", HTTP_GET, path, NULL, &pg);
    CHECK(pg.status == 200);
    CHECK(strstr(pg.body, "+66 81 777 4242") != NULL);
    CHECK(strstr(pg.body, "canary-summary-text") != NULL);
    CHECK(strstr(pg.body, "Org B") != NULL); /* emergency partner */
    CHECK(strstr(pg.body, "id=\"refer\"") != NULL);
    CHECK(strstr(pg.body, "/delete") == NULL); /* not a coordinator */
    CHECK(audit_count("contact.view_identity") == 1);
    get("t.coordinator", HTTP_GET, path, NULL, &pg);
    CHECK(pg.status == 200 && strstr(pg.body, "/delete") != NULL);

    /* no role without identity permission ever sees the phone or text */
    static const char *const blind[] = { "t.analyst", "t.admin",
                                         "t.investigator" };
    static const char *const pages[] = { "/contacts", "/contacts/new",
                                         "/dashboard", "/audit" };
    int loop_bad1 = 0;
    for (size_t u = 0; u < 3; u++) {
        get(blind[u], HTTP_GET, path, NULL, &pg);
        TALLY(loop_bad1, pg.status == 403 || pg.status == 404);
        for (size_t k = 0; k < 4; k++) {
            get(blind[u], HTTP_GET, pages[k], NULL, &pg);
            TALLY(loop_bad1, strstr(pg.body, "777 4242") == NULL);
            TALLY(loop_bad1, strstr(pg.body, "canary") == NULL);
        }
        get(blind[u], HTTP_POST, "/api/v1/contacts/lookup",
            "phone=%2B66817774242", &pg);
        TALLY(loop_bad1, pg.status == 403);
        TALLY(loop_bad1, strstr(pg.body, code) == NULL);
    }
    CHECK(loop_bad1 == 0);
    /* another organisation's operator: 404, as if absent */
    get("t.hotlineb", HTTP_GET, path, NULL, &pg);
    CHECK(pg.status == 404);
    CHECK(strstr(pg.body, "canary") == NULL);
    get("t.hotline", HTTP_GET, "/contacts/C-0000-0000", NULL, &pg);
    CHECK(pg.status == 404);
    CHECK(audit_count("contact.view_identity") == 2);

    /* the list shows codes and non-identifying columns only */
    get("t.hotline", HTTP_GET, "/contacts", NULL, &pg);
    CHECK(pg.status == 200 && strstr(pg.body, code) != NULL);
    CHECK(strstr(pg.body, "777 4242") == NULL);
    CHECK(strstr(pg.body, "canary") == NULL);
    get("t.hotlineb", HTTP_GET, "/contacts", NULL, &pg);
    CHECK(pg.status == 200 && strstr(pg.body, code) == NULL);

    /* a coordinator deletes it with a reason; it leaves the list */
    char del[80];
    snprintf(del, sizeof del, "%s/delete", path);
    get("t.coordinator", HTTP_POST, del, "reason=", &pg);
    CHECK(pg.status == 400);
    get("t.hotline", HTTP_POST, del, "reason=duplicate", &pg);
    CHECK(pg.status == 403);
    get("t.coordb", HTTP_POST, del, "reason=duplicate", &pg);
    CHECK(pg.status == 404);
    get("t.coordinator", HTTP_POST, del, "reason=duplicate", &pg);
    CHECK(pg.status == 303);
    get("t.hotline", HTTP_GET, path, NULL, &pg);
    CHECK(pg.status == 404);
    CHECK(audit_count("contact.delete") == 1);

    sr_err_release(&err);
    webfix_close(&fix);
    return TEST_DONE("test_contact_web");
}
