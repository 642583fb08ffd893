/*
 * test_entity.c - offenders: encrypted names, two brokers sharing a
 * phone suggested as linked, confirming and rejecting, the network
 * search and its cap, the ring layout, network statistics and the
 * ranking of the worst offenders, the list by code a page at a time and
 * its count.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "base/audit.h"
#include "justice/entity.h"
#include "fixture.h"
#include "harness.h"
#include "tally.h"
#include "jfix.h"
#include "justice/justice.h"
#include "justice/network.h"
#include "base/org.h"
#include "base/store.h"
#include "core/banned.h"

static const char *const test_sql[] = {
    "SELECT name FROM entity UNION ALL SELECT value FROM entity_identifier",
};
enum { Q_STORED };

static struct db *db;
static struct vault *v;
/* the command line: every organisation, or the one it records for */
static struct principal cl, cl_org;
static int64_t org;

static int64_t
add(const char *name, const char *role, const char *phone, const char *acct,
    char code[32], int *n_sugg)
{
    struct sr_err err = { 0 };
    struct entity_input in;
    memset(&in, 0, sizeof in);
    in.kind = "person";
    in.name = name;
    in.roles = entity_role_bit(role);
    if (phone != NULL) {
        in.id_kinds[in.n_identifiers] = "phone";
        in.id_values[in.n_identifiers++] = phone;
    }
    if (acct != NULL) {
        in.id_kinds[in.n_identifiers] = "bank_account";
        in.id_values[in.n_identifiers++] = acct;
    }
    int64_t id = 0;
    int rc = entity_add(db, v, &cl_org, &in, code, &id, n_sugg, &err);
    CHECK(rc == SR_OK);
    sr_err_release(&err);
    return id;
}

static int n_links, n_suggested;
static char last_kind[32];
static int64_t last_link;

static int
count_link(const struct entity_link_row *r, void *ctx)
{
    (void)ctx;
    n_links++;
    n_suggested += strcmp(r->state, "suggested") == 0;
    snprintf(last_kind, sizeof last_kind, "%s", r->kind);
    last_link = r->id;
    return 0;
}

/* "source/confidence/state" of the link with id want_link, or of the
 * case with id want_case */
static int64_t want_link, want_case;
static char got_sourced[96];

static int
keep_link_source(const struct entity_link_row *r, void *ctx)
{
    (void)ctx;
    if (r->id == want_link) {
        snprintf(got_sourced, sizeof got_sourced, "%s/%s/%s", r->source,
                 r->confidence, r->state);
    }
    return 0;
}

static int
keep_case_source(const struct entity_case_row *r, void *ctx)
{
    (void)ctx;
    if (r->case_id == want_case) {
        snprintf(got_sourced, sizeof got_sourced, "%s/%s/%s", r->source,
                 r->confidence, r->role);
    }
    return 0;
}

static char rank_codes[8][32];
static int n_rank;

static int
keep_rank(const struct entity_row *r, void *ctx)
{
    (void)ctx;
    if (n_rank < 8) {
        snprintf(rank_codes[n_rank++], 32, "%s", r->code);
    }
    return 0;
}

/* Stored entity names and identifiers that hold needle, as the store
 * keeps them (on either store: fixture.h); -1 when it read none. */
static int
count_file_bytes(const char *needle)
{
    struct db_stmt *s = db_stmt(db, &test_sql[Q_STORED]);
    int found = 0, n_read = 0;
    size_t k = strlen(needle);
    while (db_step(s) == DB_ROW) {
        n_read++;
        const void *p = db_col_blob(s, 0);
        size_t n = db_col_bytes(s, 0);
        for (size_t i = 0; p != NULL && i + k <= n; i++) {
            if (memcmp((const char *)p + i, needle, k) == 0) {
                found++;
                break;
            }
        }
    }
    db_done(s);
    return n_read > 0 ? found : -1;
}

/* ---- the list by code a page at a time, and its count ------------------ */

static char page_codes[8][32];
static int n_page_codes;

static int
keep_page_code(const struct entity_row *r, void *ctx)
{
    (void)ctx;
    if (n_page_codes < 8) {
        snprintf(page_codes[n_page_codes], sizeof page_codes[0], "%s", r->code);
    }
    n_page_codes++;
    return 0;
}

static int
by_text(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static int64_t
entity_count_of(const struct principal *who, int64_t cap)
{
    struct sr_err err = { 0 };
    int64_t n = -1;
    CHECK(entity_list_count(db, who, cap, &n, &err) == SR_OK);
    sr_err_release(&err);
    return n;
}

static void
test_list_pages(void)
{
    struct sr_err err = { 0 };
    char p_code[32], q_code[32];
    int64_t org_p, org_q;
    REQUIRE(org_add(db, v, 0, "Org P", "ngo", "TH", p_code, &org_p, &err) ==
            SR_OK);
    REQUIRE(org_add(db, v, 0, "Org Q", "ngo", "TH", q_code, &org_q, &err) ==
            SR_OK);
    struct principal rec_p = cl;
    rec_p.org_id = org_p;
    struct principal coord_p = { .org_id = org_p, .role = ROLE_COORDINATOR };
    struct principal coord_q = { .org_id = org_q, .role = ROLE_COORDINATOR };
    struct principal analyst_p = { .org_id = org_p, .role = ROLE_ANALYST };
    /* five entities of P; their codes in code order are the list's */
    char want[5][32];
    for (int i = 0; i < 5; i++) {
        struct entity_input in;
        memset(&in, 0, sizeof in);
        in.kind = "person";
        in.name = "Synthetic Paged Broker";
        in.roles = entity_role_bit("broker");
        int64_t id = 0;
        REQUIRE(entity_add(db, v, &rec_p, &in, want[i], &id, NULL, &err) ==
                SR_OK);
    }
    qsort(want, 5, sizeof want[0], by_text);

    CHECK(entity_count_of(&coord_p, 100) == 5);
    CHECK(entity_count_of(&coord_q, 100) == 0);
    CHECK(entity_count_of(&analyst_p, 100) == 0);
    CHECK(entity_count_of(&coord_p, 3) == 4);
    CHECK(entity_count_of(&coord_p, 5) == 5);

    /* pages of two after the last code given: 2, 2, 1, every code once
     * in order */
    char seen[8][32];
    int n_seen = 0, sizes[3];
    char after[32] = "";
    for (int k = 0; k < 3; k++) {
        n_page_codes = 0;
        CHECK(entity_list_after(db, &coord_p, after, 2, keep_page_code, NULL,
                                &err) == SR_OK);
        sizes[k] = n_page_codes;
        for (int i = 0; i < n_page_codes && n_seen < 8; i++) {
            memcpy(seen[n_seen++], page_codes[i], 32);
        }
        if (n_page_codes > 0) {
            memcpy(after, page_codes[n_page_codes - 1], 32);
        }
    }
    CHECK(sizes[0] == 2 && sizes[1] == 2 && sizes[2] == 1 && n_seen == 5);
    int bad = 0;
    for (int i = 0; i < 5 && i < n_seen; i++) {
        TALLY(bad, strcmp(seen[i], want[i]) == 0);
    }
    CHECK(bad == 0);
    /* after the last code nothing; outside the scope nothing */
    n_page_codes = 0;
    CHECK(entity_list_after(db, &coord_p, want[4], 2, keep_page_code, NULL,
                            &err) == SR_OK &&
          n_page_codes == 0);
    CHECK(entity_list_after(db, &coord_q, "", 10, keep_page_code, NULL, &err) ==
              SR_OK &&
          n_page_codes == 0);
    CHECK(entity_list_after(db, &coord_p, "", 0, keep_page_code, NULL, &err) ==
          SR_EINVAL);
    sr_err_release(&err);
}

int
main(void)
{
    struct sr_err err = { 0 };
    db = fixture_db();
    v = fixture_vault();
    char org_code[32];
    CHECK(org_add(db, v, 0, "Org", "ngo", "TH", org_code, &org, &err) == SR_OK);
    cl = principal_local();
    cl_org = cl;
    cl_org.org_id = org;

    /* two brokers sharing a phone (written differently) are suggested */
    char b1[32], b2[32], b3[32];
    int n_sugg = -1;
    int64_t id1 = add("Synthetic Broker Ko Aung", "broker", "+66 81-234 5678",
                      NULL, b1, &n_sugg);
    CHECK(n_sugg == 0);
    int64_t id2 = add("Synthetic Broker Mya", "broker", "+66812345678",
                      "111-222-333", b2, &n_sugg);
    CHECK(n_sugg == 1);
    int64_t id3 = add("Synthetic Agency", "recruiter", "+66 99 000 0000",
                      "111-222-333", b3, &n_sugg);
    CHECK(n_sugg == 1); /* the shared account with b2 */
    CHECK(strncmp(b1, "E-", 2) == 0 && strlen(b1) == 11);
    n_links = n_suggested = 0;
    CHECK(entity_links(db, &cl, id1, count_link, NULL, &err) == SR_OK);
    CHECK(n_links == 1 && n_suggested == 1);
    CHECK(strcmp(last_kind, "shares_phone") == 0);
    int64_t phone_link = last_link;
    /* names and phones are not in the database in clear */
    CHECK(count_file_bytes("Ko Aung") == 0);
    CHECK(count_file_bytes("5678") == 0);
    /* an added identifier suggests too */
    CHECK(entity_add_identifier(db, v, &cl, id1, "bank_account", "111222333",
                                "TH", &n_sugg, &err) == SR_OK);
    CHECK(n_sugg == 0); /* "111222333" differs from "111-222-333" */
    CHECK(entity_add_identifier(db, v, &cl, id1, "phone", "+66 99 000 0000",
                                "TH", &n_sugg, &err) == SR_OK);
    CHECK(n_sugg == 1);

    /* identity: decrypted only here, and audited */
    struct sr_buf name, details;
    sr_buf_init(&name, 0);
    sr_buf_init(&details, 0);
    CHECK(entity_identity(db, v, &cl, id2, &name, &details, &err) == SR_OK);
    CHECK(strcmp(name.data, "Synthetic Broker Mya") == 0);
    CHECK(strstr(details.data, "phone: +66812345678") != NULL);
    CHECK(strstr(details.data, "bank_account: 111-222-333") != NULL);
    vault_buf_wipe(&name);
    vault_buf_wipe(&details);
    int64_t bad, n_rows;
    CHECK(audit_verify(db, v, &bad, &n_rows, &err) == SR_OK);
    CHECK(n_rows >= 6);

    /* bad input names the field and changes nothing */
    struct entity_input in;
    memset(&in, 0, sizeof in);
    char code[32];
    int64_t id;
    in.kind = "gang";
    in.name = "x";
    CHECK(entity_add(db, v, &cl_org, &in, code, &id, NULL, &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "kind:", 5) == 0);
    in.kind = "vessel";
    in.name = "";
    CHECK(entity_add(db, v, &cl_org, &in, code, &id, NULL, &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "name:", 5) == 0);
    in.name = "Synthetic Boat";
    in.country = "Thailand";
    CHECK(entity_add(db, v, &cl_org, &in, code, &id, NULL, &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "country:", 8) == 0);
    in.country = "TH";
    in.n_identifiers = 1;
    in.id_kinds[0] = "phone";
    in.id_values[0] = "no digits";
    CHECK(entity_add(db, v, &cl_org, &in, code, &id, NULL, &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "identifier:", 11) == 0);
    CHECK(strstr(sr_err_msg(&err), "no digits") == NULL);
    struct entity_row row;
    CHECK(entity_list(db, &cl, ENTITY_BY_CODE, 0, 100, keep_rank, NULL, &err) ==
          SR_OK);
    CHECK(n_rank == 3);
    CHECK(entity_link(db, v, &cl, id1, id1, "works_for", "investigation", "low",
                      NULL, &err) == SR_EINVAL);
    CHECK(entity_link(db, v, &cl, id1, id2, "married_to", "investigation",
                      "low", NULL, &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "kind:", 5) == 0);
    CHECK(entity_link(db, v, &cl, id1, id2, "works_for", "rumour", "low", NULL,
                      &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "source:", 7) == 0);

    /* confirming the suggestion through entity_link(); rejecting one */
    int64_t lid;
    CHECK(entity_link(db, v, &cl, id2, id1, "shares_phone", "investigation",
                      "high", &lid, &err) == SR_OK);
    CHECK(lid == phone_link);
    want_link = lid;
    got_sourced[0] = '\0';
    CHECK(entity_links(db, &cl, id1, keep_link_source, NULL, &err) == SR_OK);
    CHECK(strcmp(got_sourced, "investigation/high/confirmed") == 0);
    CHECK(entity_decide_link(db, v, &cl, phone_link, 1, &err) == SR_ENOTFOUND);
    n_links = n_suggested = 0;
    CHECK(entity_links(db, &cl, id3, count_link, NULL, &err) == SR_OK);
    CHECK(n_links == 2 && n_suggested == 2);
    CHECK(entity_decide_link(db, v, &cl, last_link, 0, &err) == SR_OK);

    /*
     * Network: b1 - b2 confirmed (phone); b1 in cases 1 and 2; case 2
     * also has b3; a chain of 30 cases each with a new entity hangs off
     * b3 through case 2's neighbours, so the component holds 3 + 2 + 60
     * nodes. With a cap of 10 the search stops at 10 nodes.
     */
    jfix_case(db, 1, org, "2025-01-10", 1, 1, "C", "TH-10");
    jfix_case(db, 2, org, "2025-02-10", 0, 1, "C", "TH-10");
    jfix_victim(db, 1, 1, org, "");
    jfix_victim(db, 2, 1, org, "");
    jfix_victim(db, 3, 2, org, "");
    CHECK(entity_link_case(db, v, &cl, id1, 1, "broker", "investigation",
                           "high", &err) == SR_OK);
    CHECK(entity_link_case(db, v, &cl, id1, 2, "broker", "investigation",
                           "high", &err) == SR_OK);
    CHECK(entity_link_case(db, v, &cl, id3, 2, "recruiter", "victim_statement",
                           "medium", &err) == SR_OK);
    want_case = 2;
    got_sourced[0] = '\0';
    CHECK(entity_cases(db, &cl, id3, keep_case_source, NULL, &err) == SR_OK);
    CHECK(strcmp(got_sourced, "victim_statement/medium/recruiter") == 0);
    CHECK(entity_link_case(db, v, &cl, id3, 99, "recruiter", "investigation",
                           "high", &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "case:", 5) == 0);
    int64_t prev = id3;
    for (int i = 0; i < 30; i++) {
        char nm[64], c[32];
        snprintf(nm, sizeof nm, "Synthetic Chain %d", i);
        int64_t cid = 100 + i;
        jfix_case(db, cid, org, "2025-03-01", 0, 1, "C", "TH-10");
        int64_t e = add(nm, "transporter", NULL, NULL, c, NULL);
        REQUIRE(entity_link_case(db, v, &cl, prev, cid, "transporter", "media",
                                 "low", &err) == SR_OK);
        REQUIRE(entity_link_case(db, v, &cl, e, cid, "transporter", "media",
                                 "low", &err) == SR_OK);
        prev = e;
    }
    struct network g;
    CHECK(network_build(db, &cl, id1, 200, &g, &err) == SR_OK);
    CHECK(g.n_nodes == 3 + 2 + 60);
    CHECK(!g.is_capped);
    CHECK(g.nodes[0].id == id1 && !g.nodes[0].is_case);
    /* the centre's neighbours: cases 1 and 2 and b2 (depth 1) */
    int n_depth1 = 0, found_case1 = 0;
    int loop_bad1 = 0;
    for (size_t i = 0; i < g.n_nodes; i++) {
        n_depth1 += g.nodes[i].depth == 1;
        if (g.nodes[i].is_case && g.nodes[i].id == 1) {
            found_case1 = 1;
            TALLY(loop_bad1, g.nodes[i].n_victims == 2);
            TALLY(loop_bad1, g.nodes[i].depth == 1);
        }
        TALLY(loop_bad1, g.nodes[i].x >= 0.0 && g.nodes[i].x <= 1.0);
        TALLY(loop_bad1, g.nodes[i].y >= 0.0 && g.nodes[i].y <= 1.0);
    }
    CHECK(loop_bad1 == 0);
    CHECK(n_depth1 == 3 && found_case1);
    /* a tree plus nothing else: edges = nodes - 1 */
    CHECK(g.n_edges == g.n_nodes - 1);
    double x5 = g.nodes[5].x, y5 = g.nodes[5].y;
    network_release(&g);
    CHECK(network_build(db, &cl, id1, 200, &g, &err) == SR_OK);
    CHECK(g.nodes[5].x == x5 && g.nodes[5].y == y5); /* deterministic */
    network_release(&g);
    CHECK(network_build(db, &cl, id1, 10, &g, &err) == SR_OK);
    CHECK(g.n_nodes == 10 && g.is_capped);
    int loop_bad2 = 0;
    for (size_t i = 0; i < g.n_edges; i++) {
        TALLY(loop_bad2, g.edges[i].a < 10 && g.edges[i].b < 10);
    }
    CHECK(loop_bad2 == 0);
    network_release(&g);
    CHECK(network_build(db, &cl, 424242, 10, &g, &err) == SR_ENOTFOUND);

    /* statistics: one component of 33 entities (b1 b2 b3 + 30 chain) */
    struct network_stats st;
    CHECK(network_stats(db, &cl, &st, &err) == SR_OK);
    CHECK(st.n_entities == 33);
    CHECK(st.n_components == 1 && st.largest[0] == 33);
    CHECK(st.n_links_confirmed == 1 && st.n_links_rejected == 1);
    CHECK(st.n_links_suggested == 1); /* b1 - b3 phone, undecided */
    CHECK(st.n_case_links == 3 + 60);
    /* degrees: b1 = 1 link + 2 cases = 3; b2 = 1; b3 = case 2 + case 100
     * = 2; chain entities 2 each except the last (1) */
    CHECK(st.degree_bins[1] == 2);
    CHECK(st.degree_bins[2] == 30);
    CHECK(st.degree_bins[3] == 1);

    /* ranking: b1 has 3 victims in 2 cases; b3 has 1 in 2 cases (2, 100);
     * an arrest of b3 does not move it above b1 */
    struct justice_event_input ev = { "arrest", "2025-03-05", "", "police",
                                      "",       NULL,         0 };
    const char *who[] = { b3 };
    ev.perpetrators = who;
    ev.n_perpetrators = 1;
    CHECK(justice_add_event(db, v, &cl, 2, &ev, &id, &err) == SR_OK);
    n_rank = 0;
    CHECK(entity_list(db, &cl, ENTITY_BY_RANK, 0, 3, keep_rank, NULL, &err) ==
          SR_OK);
    CHECK(n_rank == 3);
    CHECK(strcmp(rank_codes[0], b1) == 0);
    CHECK(strcmp(rank_codes[1], b3) == 0);
    CHECK(entity_by_code(db, &cl, b3, &row, &err) == SR_OK);
    CHECK(row.n_cases == 2 && row.n_victims == 1 && row.stage == JS_ARRESTED);
    CHECK(entity_by_code(db, &cl, b1, &row, &err) == SR_OK);
    CHECK(row.n_cases == 2 && row.n_victims == 3 && row.stage == 0);
    CHECK(entity_by_code(db, &cl, "E-NONE-NONE", &row, &err) == SR_ENOTFOUND);

    test_list_pages();

    /* names for the network labels, one audit row */
    int64_t ids[2] = { id1, id2 };
    char *names[2];
    CHECK(entity_names(db, v, &cl, ids, 2, names, &err) == SR_OK);
    CHECK(strcmp(names[0], "Synthetic Broker Ko Aung") == 0);
    CHECK(strcmp(names[1], "Synthetic Broker Mya") == 0);
    free(names[0]);
    free(names[1]);
    CHECK(audit_verify(db, v, &bad, &n_rows, &err) == SR_OK);

    sr_err_release(&err);
    db_close(db);
    vault_free(v);
    return TEST_DONE("test_entity");
}
