/*
 * entity_web.c - offender pages: list, new, view with links and
 * suggestions, the network graph (SVG drawn here through html.h), the
 * printable case file for law enforcement, the ranking of the worst
 * offenders, and network statistics for analysts.
 *
 * No SQL and no record scope: entity.c and network.c answer for the
 * signed-in principal and decide what it reaches; this file maps their
 * SR_ENOTFOUND / SR_EPERM to the page's status. Names are shown only to
 * roles that may see identities (entity.c returns them to no other), and
 * every such view is audited by entity.c.
 * Case files and analyst pages carry codes and counts, never victims.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/justice_web.h"
#include "web/entity_web.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "justice/entity.h"
#include "web/json.h"
#include "justice/justice.h"
#include "justice/network.h"
#include "base/vault.h"
#include "web/web.h"
#include "base/workspace.h"
#include "core/banned.h"

static void
select_of(struct html *h, struct req *req, const char *id, const char *name,
          const char *label, const struct vocab_item *list)
{
    web_label(h, req, id, label);
    HTML_LIT(h, "<select ");
    web_id_name(h, id, name);
    HTML_LIT(h, ">");
    web_vocab_options(h, req, list, NULL, NULL);
    HTML_LIT(h, "</select>");
}

static void
roles_text(struct html *h, struct req *req, int64_t roles)
{
    int first = 1;
    for (int i = 0; entity_roles[i].code != NULL; i++) {
        if ((roles >> i) & 1) {
            if (!first) {
                HTML_LIT(h, ", ");
            }
            html_text(h, T(req, entity_roles[i].label));
            first = 0;
        }
    }
}

/* The entity of route parameter {code}, if entity.c finds it in the
 * viewer's scope; with is_manage, only one the viewer may change. */
static int
route_entity(struct req *req, int is_manage, struct entity_row *e)
{
    struct sr_err err = { 0 };
    int rc = entity_by_code(req->db, &req->who, req_route_param(req, "code"), e,
                            &err);
    sr_err_release(&err);
    return rc == SR_OK && (!is_manage || entity_can_manage(&req->who, e));
}

static int
not_found(struct req *req, struct resp *resp)
{
    web_error(req, resp, 404, N_("Not found."));
    return SR_OK;
}

/* ---- list and ranking ---------------------------------------------------- */

struct list_ctx {
    struct req *req;
    struct html *h;
    int is_rank;
    int n;
    int n_page;         /* rows a page shows; 0 = no paging */
    int has_more;       /* a row past the page was found */
    char last_code[32]; /* code of the last row shown */
};

static int
list_row(const struct entity_row *r, void *ctx)
{
    struct list_ctx *c = ctx;
    if (c->n_page > 0 && c->n == c->n_page) {
        c->has_more = 1; /* the row past the page: there is a next one */
        return 1;
    }
    snprintf(c->last_code, sizeof c->last_code, "%s", r->code);
    c->n++;
    HTML_LIT(c->h, "<tr>");
    if (c->is_rank) {
        web_td_num(c->h, c->n);
    }
    HTML_LIT(c->h, "<td>");
    web_link(c->h, "/entities/", r->code, r->code);
    HTML_LIT(c->h, "</td>");
    web_td_label(c->h, c->req, entity_kinds, r->kind);
    HTML_LIT(c->h, "<td>");
    roles_text(c->h, c->req, r->roles);
    HTML_LIT(c->h, "</td>");
    web_td(c->h, r->country);
    web_td_num(c->h, r->n_cases);
    web_td_num(c->h, r->n_victims);
    web_td(c->h, T(c->req, justice_stages[r->stage].label));
    HTML_LIT(c->h, "</tr>");
    return 0;
}

static int
list_page(struct req *req, struct resp *resp, int is_rank)
{
    struct html h;
    struct sr_err err = { 0 };
    /* the list by code pages after a code; the ranking is its top 50 */
    const char *after = req_param(req, "after");
    int n_page = 0;
    if (after == NULL) {
        after = "";
    }
    if (!is_rank &&
        (web_page_rows(req, &n_page) != SR_OK || strlen(after) > 31)) {
        web_error(req, resp, 400, N_("Bad request."));
        return SR_OK;
    }
    web_page_begin(req, resp, &h,
                   is_rank ? N_("Worst offenders") : N_("Offenders"));
    if (!is_rank && policy_allows(&req->who, ACT_ENTITY_MANAGE, 0, 0)) {
        HTML_LIT(&h, "<p><a class=\"btn primary\" href=\"/entities/new\">");
        html_text(&h, T(req, "Add an offender"));
        HTML_LIT(&h, "</a> <a class=\"btn\" href=\"/reports/offenders\">");
        html_text(&h, T(req, "Worst offenders"));
        HTML_LIT(&h, "</a></p>");
    }
    if (is_rank) {
        web_muted(&h, req, NULL,
                  N_("Ranked by victims, then cases, then how "
                     "little the justice process has reached them."));
    }
    int rc = SR_OK;
    if (!is_rank) {
        int64_t n_match = 0;
        rc = entity_list_count(req->db, &req->who, WEB_COUNT_CAP, &n_match,
                               &err);
        if (rc == SR_OK) {
            web_match_count(&h, req, n_match);
        }
    }
    web_table_open(&h, "", "entities");
    if (is_rank) {
        web_th(&h, req, N_("Rank"));
    }
    static const char *const list_cols[] = { N_("Code"),
                                             N_("Kind"),
                                             N_("Roles"),
                                             N_("Country"),
                                             N_("Cases"),
                                             N_("Victims"),
                                             N_("Furthest stage against them"),
                                             NULL };
    web_table_head(&h, req, list_cols);
    struct list_ctx c = { req, &h, is_rank, 0, n_page, 0, "" };
    if (rc == SR_OK && is_rank) {
        rc = entity_list(req->db, &req->who, ENTITY_BY_RANK, 0, 50, list_row,
                         &c, &err);
    } else if (rc == SR_OK) {
        /* one more than the page tells whether a next one exists */
        rc = entity_list_after(req->db, &req->who, after, n_page + 1, list_row,
                               &c, &err);
    }
    HTML_LIT(&h, "</tbody></table></div>");
    if (!is_rank) {
        web_pager(&h, req, "/entities", c.has_more ? c.last_code : NULL,
                  after[0] == '\0', NULL);
    }
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, 0);
}

int
entity_web_list(struct req *req, struct resp *resp)
{
    return list_page(req, resp, 0);
}

int
entity_web_offenders(struct req *req, struct resp *resp)
{
    return list_page(req, resp, 1);
}

/* ---- new ------------------------------------------------------------------ */

static int
new_page(struct req *req, struct resp *resp, const char *error)
{
    struct html h;
    web_page_begin(req, resp, &h, N_("Add an offender"));
    web_form_error(&h, error);
    HTML_LIT(&h, "<section class=\"card\"><form class=\"stack\" "
                 "id=\"entity-form\" method=\"post\" action=\"/entities\">");
    web_csrf_field(req, resp, &h);
    select_of(&h, req, "e-kind", "kind", N_("Kind"), entity_kinds);
    web_label(&h, req, "e-name", N_("Name"));
    web_input(&h, "e-name", "name", 200, 1);
    web_label(&h, req, "e-alias", N_("Alias"));
    web_input(&h, "e-alias", "alias", 200, 0);
    HTML_LIT(&h, "<label for=\"e-country\">ISO 3166-1</label>");
    web_input(&h, "e-country", "country", 2, 0);
    HTML_LIT(&h, "<fieldset><legend>");
    html_text(&h, T(req, "Roles"));
    HTML_LIT(&h, "</legend>");
    for (int i = 0; entity_roles[i].code != NULL; i++) {
        HTML_LIT(&h, "<label class=\"check\">");
        web_check(&h, "role", entity_roles[i].code,
                  T(req, entity_roles[i].label), 0);
        HTML_LIT(&h, "</label>");
    }
    HTML_LIT(&h, "</fieldset>");
    select_of(&h, req, "e-idkind", "id_kind", N_("Identifier"),
              entity_id_kinds);
    HTML_LIT(&h, "<input id=\"e-idvalue\" name=\"id_value\" "
                 "maxlength=\"100\" aria-label=\"");
    html_attr(&h, T(req, "Identifier"));
    HTML_LIT(&h, "\">");
    web_submit(&h, req, N_("Save"), NULL);
    HTML_LIT(&h, "</form></section>");
    web_page_end(req, resp, &h);
    return SR_OK;
}

int
entity_web_new(struct req *req, struct resp *resp)
{
    return new_page(req, resp, NULL);
}

int
entity_web_add(struct req *req, struct resp *resp)
{
    struct entity_input in;
    memset(&in, 0, sizeof in);
    in.kind = req_param(req, "kind");
    in.name = req_param(req, "name");
    in.country = req_param(req, "country");
    const char *alias = req_param(req, "alias");
    if (alias != NULL && alias[0]) {
        in.aliases[in.n_aliases++] = alias;
    }
    const char *idv = req_param(req, "id_value");
    if (idv != NULL && idv[0]) {
        in.id_kinds[0] = req_param(req, "id_kind");
        in.id_values[0] = idv;
        in.n_identifiers = 1;
    }
    struct sr_err err = { 0 };
    for (size_t i = 0; i < req->n_form; i++) {
        if (strcmp(req->form[i].key, "role") == 0) {
            int64_t bit = entity_role_bit(req->form[i].value);
            if (bit == 0) {
                in.roles = -1;
                break;
            }
            in.roles |= bit;
        }
    }
    char code[32];
    int64_t id;
    in.phone_region = req->app->ws->cfg.phone_region;
    int rc = entity_add(req->db, req->app->ws->vault, &req->who, &in, code, &id,
                        NULL, &err);
    if (rc == SR_OK) {
        resp_redirect(resp, arena_printf(req->arena, "/entities/%s", code));
        return SR_OK;
    }
    return web_form_again(req, resp, rc, &err, new_page);
}

/* ---- view ----------------------------------------------------------------- */

struct view_ctx {
    struct req *req;
    struct resp *resp;
    struct html *h;
    const char *code;
    int can_manage;
};

static int
case_row(const struct entity_case_row *r, void *ctx)
{
    struct view_ctx *c = ctx;
    HTML_LIT(c->h, "<tr>");
    if (policy_allows(&c->req->who, ACT_CASE_READ, r->case_org_id, 0)) {
        /* a reader who may open the case follows its code there */
        HTML_LIT(c->h, "<td>");
        web_link(c->h, "/cases/", r->case_code, r->case_code);
        HTML_LIT(c->h, "</td>");
    } else {
        web_td(c->h, r->case_code);
    }
    web_td_label(c->h, c->req, entity_roles, r->role);
    web_td_label(c->h, c->req, entity_sources, r->source);
    web_td_label(c->h, c->req, entity_confidences, r->confidence);
    web_td_num(c->h, r->n_victims);
    web_td(c->h, T(c->req, justice_stages[r->stage].label));
    HTML_LIT(c->h, "</tr>");
    return 0;
}

static int
link_row(const struct entity_link_row *r, void *ctx)
{
    struct view_ctx *c = ctx;
    HTML_LIT(c->h, "<tr>");
    web_td(c->h, r->is_outgoing
                     ? T(c->req, vocab_label(entity_link_kinds, r->kind))
                     : "");
    HTML_LIT(c->h, "<td>");
    web_link(c->h, "/entities/", r->other_code, r->other_code);
    HTML_LIT(c->h, "</td>");
    web_td(c->h, r->is_outgoing
                     ? ""
                     : T(c->req, vocab_label(entity_link_kinds, r->kind)));
    web_td_label(c->h, c->req, entity_sources, r->source);
    web_td_label(c->h, c->req, entity_confidences, r->confidence);
    web_td_label(c->h, c->req, entity_link_states, r->state);
    HTML_LIT(c->h, "<td>");
    if (c->can_manage && strcmp(r->state, "suggested") == 0) {
        HTML_LIT(c->h, "<form method=\"post\" action=\"/entities/");
        html_url(c->h, c->code);
        HTML_LIT(c->h, "/suggestions\">");
        web_csrf_field(c->req, c->resp, c->h);
        HTML_LIT(c->h, "<input type=\"hidden\" name=\"link\" value=\"");
        html_printf_text(c->h, "%lld", (long long)r->id);
        HTML_LIT(c->h, "\"><button class=\"btn\" name=\"decision\" "
                       "value=\"confirm\">");
        html_text(c->h, T(c->req, "Confirm"));
        HTML_LIT(c->h, "</button> <button class=\"btn danger\" "
                       "name=\"decision\" value=\"reject\">");
        html_text(c->h, T(c->req, "Reject"));
        HTML_LIT(c->h, "</button></form>");
    }
    HTML_LIT(c->h, "</td></tr>");
    return 0;
}

static int
view_page(struct req *req, struct resp *resp, const struct entity_row *e,
          const char *error)
{
    struct html h;
    struct sr_err err = { 0 };
    web_page_begin(req, resp, &h, N_("Offender"));
    HTML_LIT(&h, "<h2 id=\"entity-code\">");
    html_text(&h, e->code);
    HTML_LIT(&h, "</h2>");
    web_form_error(&h, error);
    HTML_LIT(&h, "<dl class=\"kv\"><dt>");
    html_text(&h, T(req, "Kind"));
    HTML_LIT(&h, "</dt><dd>");
    html_text(&h, T(req, vocab_label(entity_kinds, e->kind)));
    {
        /* entity.c returns identities only to roles that may see them */
        struct sr_buf name, details;
        sr_buf_init(&name, 0);
        sr_buf_init(&details, 0);
        if (entity_identity(req->db, req->app->ws->vault, &req->who, e->id,
                            &name, &details, &err) == SR_OK) {
            HTML_LIT(&h, "</dd><dt>");
            html_text(&h, T(req, "Name"));
            HTML_LIT(&h, "</dt><dd id=\"entity-name\">");
            html_text(&h, name.data);
            HTML_LIT(&h, "</dd><dt>");
            html_text(&h, T(req, "Aliases and identifiers"));
            HTML_LIT(&h, "</dt><dd><pre>");
            html_text(&h, details.data);
            HTML_LIT(&h, "</pre>");
        }
        vault_buf_wipe(&name);
        vault_buf_wipe(&details);
        sr_err_release(&err);
    }
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Roles"));
    HTML_LIT(&h, "</dt><dd>");
    roles_text(&h, req, e->roles);
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Country"));
    HTML_LIT(&h, "</dt><dd>");
    html_text(&h, e->country);
    HTML_LIT(&h, "</dd></dl><p>");
    web_button_link(&h, req, "/entities/", e->code, "/network", N_("Network"));
    HTML_LIT(&h, " ");
    web_button_link(&h, req, "/entities/", e->code, "/casefile",
                    N_("Case file for law enforcement"));
    HTML_LIT(&h, "</p><h3>");
    html_text(&h, T(req, "Cases"));
    HTML_LIT(&h, "</h3>");
    web_table_open(&h, "", "entity-cases");
    static const char *const case_cols[] = {
        N_("Case"),    N_("Role"),           N_("Source"), N_("Confidence"),
        N_("Victims"), N_("Furthest stage"), NULL
    };
    web_table_head(&h, req, case_cols);
    struct view_ctx c = { req, resp, &h, e->code,
                          entity_can_manage(&req->who, e) };
    (void)entity_cases(req->db, &req->who, e->id, case_row, &c, &err);
    HTML_LIT(&h, "</tbody></table></div><h3>");
    html_text(&h, T(req, "Links"));
    HTML_LIT(&h, "</h3>");
    web_table_open(&h, "", "entity-links");
    static const char *const link_cols[] = { N_("This offender"), N_("Other"),
                                             N_("This offender"), N_("Source"),
                                             N_("Confidence"),    N_("State"),
                                             N_("Decision"),      NULL };
    web_table_head(&h, req, link_cols);
    (void)entity_links(req->db, &req->who, e->id, link_row, &c, &err);
    HTML_LIT(&h, "</tbody></table></div>");
    if (c.can_manage) {
        HTML_LIT(&h, "<section class=\"card\"><h3>");
        html_text(&h, T(req, "Link to another offender"));
        HTML_LIT(&h, "</h3><form class=\"stack\" method=\"post\" "
                     "id=\"link-form\" action=\"/entities/");
        html_url(&h, e->code);
        HTML_LIT(&h, "/links\">");
        web_csrf_field(req, resp, &h);
        select_of(&h, req, "l-kind", "kind", N_("Link"), entity_link_kinds);
        web_label(&h, req, "l-to", N_("Other offender (code)"));
        HTML_LIT(&h,
                 "<input id=\"l-to\" name=\"to\" required maxlength=\"20\">");
        select_of(&h, req, "l-source", "source", N_("Source"), entity_sources);
        select_of(&h, req, "l-conf", "confidence", N_("Confidence"),
                  entity_confidences);
        web_submit(&h, req, N_("Save"), NULL);
        HTML_LIT(&h, "</form></section><section class=\"card\"><h3>");
        html_text(&h, T(req, "Link to a case"));
        HTML_LIT(&h, "</h3><form class=\"stack\" method=\"post\" "
                     "id=\"case-link-form\" action=\"/entities/");
        html_url(&h, e->code);
        HTML_LIT(&h, "/cases\">");
        web_csrf_field(req, resp, &h);
        web_label(&h, req, "c-case", N_("Case (code)"));
        HTML_LIT(
            &h,
            "<input id=\"c-case\" name=\"case\" required maxlength=\"20\">");
        select_of(&h, req, "c-role", "role", N_("Role"), entity_roles);
        select_of(&h, req, "c-source", "source", N_("Source"), entity_sources);
        select_of(&h, req, "c-conf", "confidence", N_("Confidence"),
                  entity_confidences);
        web_submit(&h, req, N_("Save"), NULL);
        HTML_LIT(&h, "</form></section>");
    }
    sr_err_release(&err);
    web_page_end(req, resp, &h);
    return SR_OK;
}

int
entity_web_view(struct req *req, struct resp *resp)
{
    struct entity_row e;
    if (!route_entity(req, 0, &e)) {
        return not_found(req, resp);
    }
    return view_page(req, resp, &e, NULL);
}

static int
after_write(struct req *req, struct resp *resp, const struct entity_row *e,
            int rc, struct sr_err *err)
{
    if (rc == SR_OK) {
        resp_redirect(resp, arena_printf(req->arena, "/entities/%s", e->code));
        return SR_OK;
    }
    if (rc == SR_EDB) {
        sr_err_release(err);
        return rc;
    }
    rc = view_page(req, resp, e, web_err_text(req, err));
    resp->status = 400;
    return rc;
}

int
entity_web_link(struct req *req, struct resp *resp)
{
    struct entity_row e, other;
    if (!route_entity(req, 1, &e)) {
        return not_found(req, resp);
    }
    struct sr_err err = { 0 };
    int rc =
        entity_by_code(req->db, &req->who, req_param(req, "to"), &other, &err);
    if (rc == SR_ENOTFOUND || rc == SR_EPERM) {
        sr_err_release(&err);
        rc = sr_err_set(&err, SR_EINVAL, "to: no offender with that code");
    }
    if (rc == SR_OK) {
        rc =
            entity_link(req->db, req->app->ws->vault, &req->who, e.id, other.id,
                        req_param(req, "kind"), req_param(req, "source"),
                        req_param(req, "confidence"), NULL, &err);
    }
    return after_write(req, resp, &e, rc, &err);
}

int
entity_web_link_case(struct req *req, struct resp *resp)
{
    struct entity_row e;
    if (!route_entity(req, 1, &e)) {
        return not_found(req, resp);
    }
    struct sr_err err = { 0 };
    struct justice_case c;
    int rc = justice_case_by_code(req->db, &req->who, ACT_CASE_READ,
                                  req_param(req, "case"), &c, &err);
    if (rc == SR_ENOTFOUND || rc == SR_EPERM) {
        sr_err_release(&err);
        rc = sr_err_set(&err, SR_EINVAL, "case: no case with that code");
    }
    if (rc == SR_OK) {
        rc = entity_link_case(req->db, req->app->ws->vault, &req->who, e.id,
                              c.id, req_param(req, "role"),
                              req_param(req, "source"),
                              req_param(req, "confidence"), &err);
    }
    return after_write(req, resp, &e, rc, &err);
}

int
entity_web_decide(struct req *req, struct resp *resp)
{
    struct entity_row e;
    if (!route_entity(req, 1, &e)) {
        return not_found(req, resp);
    }
    struct sr_err err = { 0 };
    long long link = 0;
    const char *d = req_param(req, "decision");
    int rc = sr_parse_i64(req_param(req, "link"), 1, INT64_MAX, &link);
    if (rc != SR_OK || d == NULL ||
        (strcmp(d, "confirm") != 0 && strcmp(d, "reject") != 0)) {
        rc = sr_err_set(&err, SR_EINVAL, "decision: confirm or reject");
    } else {
        rc = entity_decide_link(req->db, req->app->ws->vault, &req->who, link,
                                strcmp(d, "confirm") == 0, &err);
    }
    return after_write(req, resp, &e, rc, &err);
}

/* ---- the network ---------------------------------------------------------- */

static void
draw_network(struct html *h, struct req *req, const struct network *g,
             char **names)
{
    const int size = 640;
    HTML_LIT(h, "<figure class=\"chart network\"><svg viewBox=\"0 0 640 640\" "
                "role=\"img\" id=\"network-svg\"><title>");
    html_text(h, T(req, "Network"));
    HTML_LIT(h, "</title><g class=\"axis\">");
    for (size_t i = 0; i < g->n_edges; i++) {
        const struct net_node *a = &g->nodes[g->edges[i].a];
        const struct net_node *b = &g->nodes[g->edges[i].b];
        HTML_LIT(h, "<line x1=\"");
        html_printf_text(h, "%.1f", 20 + a->x * (size - 40));
        HTML_LIT(h, "\" y1=\"");
        html_printf_text(h, "%.1f", 20 + a->y * (size - 40));
        HTML_LIT(h, "\" x2=\"");
        html_printf_text(h, "%.1f", 20 + b->x * (size - 40));
        HTML_LIT(h, "\" y2=\"");
        html_printf_text(h, "%.1f", 20 + b->y * (size - 40));
        HTML_LIT(h, "\"/>");
    }
    HTML_LIT(h, "</g>");
    for (size_t i = 0; i < g->n_nodes; i++) {
        const struct net_node *n = &g->nodes[i];
        double x = 20 + n->x * (size - 40), y = 20 + n->y * (size - 40);
        if (n->is_case) {
            HTML_LIT(h, "<rect class=\"s2\" x=\"");
            html_printf_text(h, "%.1f", x - 5);
            HTML_LIT(h, "\" y=\"");
            html_printf_text(h, "%.1f", y - 5);
            HTML_LIT(h, "\" width=\"10\" height=\"10\"><title>");
            web_printf_tr(h, req, N_("Case %s: %lld victims"), n->code,
                          (long long)n->n_victims);
            HTML_LIT(h, "</title></rect>");
        } else {
            HTML_LIT(h, "<circle class=\"");
            if (i == 0) {
                HTML_LIT(h, "s6");
            } else {
                HTML_LIT(h, "s1");
            }
            HTML_LIT(h, "\" cx=\"");
            html_printf_text(h, "%.1f", x);
            HTML_LIT(h, "\" cy=\"");
            html_printf_text(h, "%.1f", y);
            HTML_LIT(h, "\" r=\"7\"><title>");
            html_text(h, n->code);
            HTML_LIT(h, "</title></circle>");
        }
        HTML_LIT(h, "<text x=\"");
        html_printf_text(h, "%.1f", x + 8);
        HTML_LIT(h, "\" y=\"");
        html_printf_text(h, "%.1f", y - 6);
        HTML_LIT(h, "\">");
        html_text(h, n->code);
        if (names != NULL && !n->is_case && names[i] != NULL && names[i][0]) {
            HTML_LIT(h, " ");
            html_text(h, names[i]);
        }
        HTML_LIT(h, "</text>");
    }
    HTML_LIT(h, "</svg><figcaption>");
    html_text(h, T(req, "Offenders (circles) and cases (squares), linked by "
                        "confirmed links and shared cases."));
    HTML_LIT(h, "</figcaption></figure>");
}

static void
network_table(struct html *h, struct req *req, const struct network *g,
              char **names)
{
    web_table_open(h, "", "network-nodes");
    web_th(h, req, N_("Code"));
    web_th(h, req, N_("Kind"));
    if (names != NULL) {
        web_th(h, req, N_("Name"));
    }
    static const char *const node_cols[] = { N_("Distance"), N_("Victims"),
                                             N_("Furthest stage"), NULL };
    web_table_head(h, req, node_cols);
    for (size_t i = 0; i < g->n_nodes; i++) {
        const struct net_node *n = &g->nodes[i];
        HTML_LIT(h, "<tr>");
        web_td(h, n->code);
        web_td(h, n->is_case ? T(req, "Case")
                             : T(req, vocab_label(entity_kinds, n->kind)));
        if (names != NULL) {
            web_td(h, n->is_case ? "" : names[i]);
        }
        web_td_num(h, n->depth);
        if (n->is_case) {
            web_td_num(h, n->n_victims);
        } else {
            web_td(h, "");
        }
        web_td(h, T(req, justice_stages[n->stage].label));
        HTML_LIT(h, "</tr>");
    }
    HTML_LIT(h, "</tbody></table></div>");
}

/* Names of the entity nodes for roles that may see them (entity.c
 * refuses the others: SR_EPERM); NULL else. */
static char **
node_names(struct req *req, const struct network *g)
{
    int64_t *ids = sr_xcalloc(g->n_nodes, sizeof *ids);
    size_t *at = sr_xcalloc(g->n_nodes, sizeof *at);
    size_t n = 0;
    for (size_t i = 0; i < g->n_nodes; i++) {
        if (!g->nodes[i].is_case) {
            ids[n] = g->nodes[i].id;
            at[n++] = i;
        }
    }
    char **got = sr_xcalloc(n + 1, sizeof *got);
    char **names = sr_xcalloc(g->n_nodes, sizeof *names);
    struct sr_err err = { 0 };
    int rc = entity_names(req->db, req->app->ws->vault, &req->who, ids, n, got,
                          &err);
    if (rc == SR_OK) {
        for (size_t k = 0; k < n; k++) {
            names[at[k]] = got[k];
        }
    }
    sr_err_release(&err);
    if (rc == SR_EPERM) {
        free(names);
        names = NULL;
    }
    free(got);
    free(ids);
    free(at);
    return names;
}

static void
free_names(char **names, size_t n)
{
    for (size_t i = 0; names != NULL && i < n; i++) {
        if (names[i] != NULL) {
            sodium_memzero(names[i], strlen(names[i]));
        }
        free(names[i]);
    }
    free(names);
}

/* The entity of the route into *e and the network around it into *g:
 * SR_OK, SR_ENOTFOUND (no such entity, or out of scope) or the error. */
static int
route_network(struct req *req, struct entity_row *e, struct network *g)
{
    if (!route_entity(req, 0, e)) {
        return SR_ENOTFOUND;
    }
    struct sr_err err = { 0 };
    int rc =
        network_build(req->db, &req->who, e->id, NETWORK_MAX_NODES, g, &err);
    sr_err_release(&err);
    return rc;
}

int
entity_web_network(struct req *req, struct resp *resp)
{
    struct entity_row e;
    struct network g;
    int rc = route_network(req, &e, &g);
    if (rc != SR_OK) {
        return rc == SR_ENOTFOUND ? not_found(req, resp) : rc;
    }
    char **names = node_names(req, &g);
    struct html h;
    web_page_begin(req, resp, &h, N_("Network"));
    HTML_LIT(&h, "<p>");
    web_printf_tr(&h, req, N_("The group around %s: %zu offenders and cases."),
                  e.code, g.n_nodes);
    if (g.is_capped) {
        HTML_LIT(&h, " ");
        web_printf_tr(&h, req, N_("Only the nearest %d are shown."),
                      NETWORK_MAX_NODES);
    }
    HTML_LIT(&h, "</p>");
    draw_network(&h, req, &g, names);
    network_table(&h, req, &g, names);
    free_names(names, g.n_nodes);
    network_release(&g);
    web_page_end(req, resp, &h);
    return SR_OK;
}

int
entity_web_casefile(struct req *req, struct resp *resp)
{
    struct entity_row e;
    struct network g;
    int rc = route_network(req, &e, &g);
    if (rc != SR_OK) {
        return rc == SR_ENOTFOUND ? not_found(req, resp) : rc;
    }
    struct html h;
    web_page_begin(req, resp, &h, N_("Case file for law enforcement"));
    HTML_LIT(&h, "<article class=\"casefile\"><h2>");
    html_text(&h, e.code);
    HTML_LIT(&h, "</h2><p class=\"muted\">");
    html_text(&h, T(req, "This case file carries codes, not the names of "
                         "victims. Print it from the browser."));
    HTML_LIT(&h, "</p><dl class=\"kv\"><dt>");
    html_text(&h, T(req, "Kind"));
    HTML_LIT(&h, "</dt><dd>");
    html_text(&h, T(req, vocab_label(entity_kinds, e.kind)));
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Roles"));
    HTML_LIT(&h, "</dt><dd>");
    roles_text(&h, req, e.roles);
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Cases"));
    HTML_LIT(&h, "</dt><dd>");
    html_printf_text(&h, "%lld", (long long)e.n_cases);
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Victims"));
    HTML_LIT(&h, "</dt><dd>");
    html_printf_text(&h, "%lld", (long long)e.n_victims);
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Furthest stage against them"));
    HTML_LIT(&h, "</dt><dd>");
    html_text(&h, T(req, justice_stages[e.stage].label));
    HTML_LIT(&h, "</dd></dl>");
    draw_network(&h, req, &g, NULL);
    network_table(&h, req, &g, NULL);
    HTML_LIT(&h, "</article>");
    network_release(&g);
    web_page_end(req, resp, &h);
    return SR_OK;
}

/* ---- statistics for analysts --------------------------------------------- */

/* The counts of the statistics: JSON key, label, field. */
static const struct {
    const char *key, *msgid;
    size_t offset;
} stat_counts[] = {
    { "entities", N_("Offenders"), offsetof(struct network_stats, n_entities) },
    { "links_confirmed", N_("Confirmed links"),
      offsetof(struct network_stats, n_links_confirmed) },
    { "links_suggested", N_("Suggested links"),
      offsetof(struct network_stats, n_links_suggested) },
    { "links_rejected", N_("Rejected links"),
      offsetof(struct network_stats, n_links_rejected) },
    { "case_links", N_("Links to cases"),
      offsetof(struct network_stats, n_case_links) },
    { "components", N_("Groups"),
      offsetof(struct network_stats, n_components) },
    { "isolated", N_("Offenders alone"),
      offsetof(struct network_stats, n_isolated) },
};

static int64_t
stat_count(const struct network_stats *st, size_t i)
{
    const int64_t *v =
        (const int64_t *)((const char *)st + stat_counts[i].offset);
    return *v;
}

static void
stats_html(struct req *req, struct resp *resp, const struct network_stats *st)
{
    struct html h;
    web_page_begin(req, resp, &h, N_("Offender network statistics"));
    HTML_LIT(
        &h,
        "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"data\" id=\"network-counts\"><tbody>");
    for (size_t i = 0; i < sizeof stat_counts / sizeof stat_counts[0]; i++) {
        HTML_LIT(&h, "<tr><th scope=\"row\">");
        html_text(&h, T(req, stat_counts[i].msgid));
        HTML_LIT(&h, "</th>");
        web_td_num(&h, stat_count(st, i));
        HTML_LIT(&h, "</tr>");
    }
    HTML_LIT(&h, "</tbody></table></div><h2>");
    html_text(&h, T(req, "Group sizes and degrees"));
    HTML_LIT(&h, "</h2>");
    web_table_open(&h, "", "network-bins");
    static const char *const bin_cols[] = { N_("Size or degree"),
                                            N_("Groups of this size"),
                                            N_("Offenders with this degree"),
                                            NULL };
    web_table_head(&h, req, bin_cols);
    for (int i = 0; i < NETWORK_DEGREE_BINS; i++) {
        HTML_LIT(&h, "<tr>");
        web_td(&h, network_bin_labels[i]);
        web_td_num(&h, st->size_bins[i]);
        web_td_num(&h, st->degree_bins[i]);
        HTML_LIT(&h, "</tr>");
    }
    HTML_LIT(&h, "</tbody></table></div><p>");
    html_text(&h, T(req, "Largest groups:"));
    for (int i = 0; i < NETWORK_TOP_COMPONENTS && st->largest[i] > 0; i++) {
        html_printf_text(&h, " %lld", (long long)st->largest[i]);
    }
    HTML_LIT(&h, "</p>");
    web_page_end(req, resp, &h);
}

static void
stats_json(struct req *req, struct resp *resp, const struct network_stats *st)
{
    (void)req;
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof stat_counts / sizeof stat_counts[0]; i++) {
        json_object_set_new(o, stat_counts[i].key,
                            json_integer(stat_count(st, i)));
    }
    json_t *largest = json_array(), *sizes = json_object(),
           *degrees = json_object();
    for (int i = 0; i < NETWORK_TOP_COMPONENTS && st->largest[i] > 0; i++) {
        json_array_append_new(largest, json_integer(st->largest[i]));
    }
    for (int i = 0; i < NETWORK_DEGREE_BINS; i++) {
        json_object_set_new(sizes, network_bin_labels[i],
                            json_integer(st->size_bins[i]));
        json_object_set_new(degrees, network_bin_labels[i],
                            json_integer(st->degree_bins[i]));
    }
    json_object_set_new(o, "largest_components", largest);
    json_object_set_new(o, "component_sizes", sizes);
    json_object_set_new(o, "degrees", degrees);
    json_respond(resp, 200, o);
}

/* The statistics of who's network as a page or JSON, by the path's
 * ending. */
int
entity_web_network_stats(struct req *req, struct resp *resp)
{
    struct network_stats st;
    struct sr_err err = { 0 };
    int rc = network_stats(req->db, &req->who, &st, &err);
    sr_err_release(&err);
    if (rc == SR_EPERM) {
        return not_found(req, resp);
    }
    if (rc == SR_OK) {
        (web_format_of(req) == WEB_JSON ? stats_json : stats_html)(req, resp,
                                                                   &st);
    }
    return rc;
}
