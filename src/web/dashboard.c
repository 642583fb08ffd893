/*
 * dashboard.c - the signed-in start page: counts the reader may see and
 * each module's card (the referral inbox). It sits apart from web.c so
 * that the page frame does not depend on the modules whose cards it shows.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/dashboard.h"
#include "web/web.h"

#include "base/auth.h"
#include "base/org.h"
#include "core/i18n.h"
#include "web/referral_web.h"
#include "core/banned.h"

static int
count_org(const struct org_row *o, void *ctx)
{
    (void)o;
    (*(int64_t *)ctx)++;
    return 0;
}

static void
stat_card(struct html *h, const char *label, long long n)
{
    HTML_LIT(h, "<div class=\"card stat\"><span class=\"value\">");
    html_printf_text(h, "%lld", n);
    HTML_LIT(h, "</span><span class=\"label\">");
    html_text(h, label);
    HTML_LIT(h, "</span></div>");
}

int
web_dashboard(struct req *req, struct resp *resp)
{
    struct html h;
    struct sr_err err = { 0 };
    web_page_begin(req, resp, &h, N_("Dashboard"));
    HTML_LIT(&h, "<p class=\"lead\">");
    html_text(&h, T(req, "Welcome to SIREN"));
    HTML_LIT(&h, " &middot; <span class=\"badge\" id=\"my-role\">");
    html_text(&h, T(req, role_label(req->who.role)));
    HTML_LIT(&h, "</span></p><div class=\"grid\">");
    int64_t n_orgs = 0, n_users = 0;
    if (policy_allows(&req->who, ACT_ORG_READ, 0, 0) &&
        org_list(req->db, count_org, &n_orgs, &err) == SR_OK) {
        stat_card(&h, T(req, "Organisations"), (long long)n_orgs);
    }
    if (policy_scope(req->who.role, ACT_USER_READ) == SCOPE_ALL &&
        user_count(req->db, &n_users, &err) == SR_OK) {
        stat_card(&h, T(req, "Users"), (long long)n_users);
    }
    /* the chain is verified on the audit page, on demand: walking it on
     * every dashboard view would cost more as the log grows */
    if (policy_allows(&req->who, ACT_AUDIT_READ, 0, 0)) {
        HTML_LIT(&h, "<a class=\"card stat\" href=\"/audit\"><span "
                     "class=\"label\">");
        html_text(&h, T(req, "Audit chain"));
        HTML_LIT(&h, "</span></a>");
    }
    referral_dashboard_card(req, &h);
    HTML_LIT(&h, "</div>");
    sr_err_release(&err);
    web_page_end(req, resp, &h);
    return SR_OK;
}
