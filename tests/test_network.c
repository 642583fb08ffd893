/*
 * test_network.c - network_build() against a plain one-node-at-a-time
 * breadth-first search written here over graphs the test generates
 * (entities, cases, links, deleted and other organisations' records),
 * on whichever store tests/fixture.h opens (SQLite, or PostgreSQL with
 * SIREN_TEST_STORE). Every node (order, depth, parent, code, kind,
 * organisation, victims, stage), every edge and the cap must agree, for
 * many centres, caps and two scopes. A small graph worked by hand first;
 * the names of the page's labels (entity_names()) last.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/org.h"
#include "justice/entity.h"
#include "base/principal.h"
#include "fixture.h"
#include "harness.h"
#include "justice/network.h"
#include "tally.h"

#include "core/banned.h"

static struct db *db;
static struct vault *v;
static int64_t org_a, org_b;

/* ---- the graph ----------------------------------------------------------- */

#define MAX_E  80
#define MAX_C  70
#define MAX_L  200
#define MAX_CE 300

struct rec {
    int64_t org;
    int is_deleted;
    int stage;     /* furthest stage of its events (entities: naming it) */
    int n_victims; /* cases */
};

struct link {
    int64_t from, to;
    char kind[24];
    int is_confirmed;
};

struct graph {
    struct rec e[MAX_E + 1], c[MAX_C + 1]; /* by id, from 1 */
    int n_e, n_c;
    int64_t ce[MAX_CE][2]; /* case, entity */
    int n_ce;
    struct link l[MAX_L];
    int n_l;
};

static uint64_t rng_state;

static unsigned
rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng_state >> 33) % n);
}

/* ---- writing it ------------------------------------------------------------ */

static const char *const q_clear[] = {
    "DELETE FROM justice_event_entity",
    "DELETE FROM justice_event",
    "DELETE FROM case_person",
    "DELETE FROM person",
    "DELETE FROM case_entity",
    "DELETE FROM entity_link",
    "DELETE FROM case_file",
    "DELETE FROM entity",
};
static const char *const q_entity =
    "INSERT INTO entity(id, code, org_id, kind, created_at, deleted_at)"
    " VALUES (?1, ?2, ?3, ?4, 1, ?5)";
static const char *const q_case =
    "INSERT INTO case_file(id, code, org_id, identified_at, created_at,"
    "                      updated_at, deleted_at)"
    " VALUES (?1, ?2, ?3, 1, 1, 1, ?4)";
static const char *const q_case_entity =
    "INSERT INTO case_entity(case_id, entity_id, role, source, confidence,"
    "                        added_at)"
    " VALUES (?1, ?2, 'broker', 'media', 'low', 1)";
static const char *const q_link =
    "INSERT INTO entity_link(from_id, to_id, kind, source, confidence, state,"
    "                        created_at)"
    " VALUES (?1, ?2, ?3, 'media', 'low', ?4, 1)";
static const char *const q_person =
    "INSERT INTO person(id, code, org_id, created_at) VALUES (?1, ?2, ?3, 1)";
static const char *const q_case_person =
    "INSERT INTO case_person(case_id, person_id, role, added_at)"
    " VALUES (?1, ?2, ?3, 1)";
static const char *const q_event =
    "INSERT INTO justice_event(id, case_id, kind, stage, occurred_at,"
    "                          created_at)"
    " VALUES (?1, ?2, 'arrest', ?3, 1, 1)";
static const char *const q_event_entity =
    "INSERT INTO justice_event_entity(event_id, entity_id) VALUES (?1, ?2)";

static void
run(struct db_stmt *s)
{
    struct sr_err err = { 0 };
    if (db_exec_stmt(db, s, &err) != SR_OK) {
        fprintf(stderr, "test_network: %s\n", sr_err_msg(&err));
        exit(2);
    }
}

static void
put_entity(int64_t id, int64_t org, int is_deleted)
{
    char code[32];
    snprintf(code, sizeof code, "E-TEST-%04lld", (long long)(1000 - id));
    struct db_stmt *s = db_stmt(db, &q_entity);
    db_bind_i64(s, 1, id);
    db_bind_text(s, 2, code);
    db_bind_i64(s, 3, org);
    db_bind_text(s, 4, id % 3 ? "person" : "employer");
    if (is_deleted) {
        db_bind_i64(s, 5, 5);
    }
    run(s);
}

static void
put_case(int64_t id, int64_t org, int is_deleted)
{
    char code[32];
    snprintf(code, sizeof code, "K-TEST-%04lld", (long long)(id * 7 % 101));
    struct db_stmt *s = db_stmt(db, &q_case);
    db_bind_i64(s, 1, id);
    db_bind_text(s, 2, code);
    db_bind_i64(s, 3, org);
    if (is_deleted) {
        db_bind_i64(s, 4, 5);
    }
    run(s);
}

static void
put_case_entity(int64_t case_id, int64_t entity_id)
{
    struct db_stmt *s = db_stmt(db, &q_case_entity);
    db_bind_i64(s, 1, case_id);
    db_bind_i64(s, 2, entity_id);
    run(s);
}

static void
put_link(const struct link *l, const char *state)
{
    struct db_stmt *s = db_stmt(db, &q_link);
    db_bind_i64(s, 1, l->from);
    db_bind_i64(s, 2, l->to);
    db_bind_text(s, 3, l->kind);
    db_bind_text(s, 4, state);
    run(s);
}

static int64_t n_people, n_events;

static void
put_person(int64_t case_id, const char *role, int64_t person_id)
{
    if (person_id > n_people) {
        char code[32];
        snprintf(code, sizeof code, "P-TEST-%04lld", (long long)person_id);
        struct db_stmt *s = db_stmt(db, &q_person);
        db_bind_i64(s, 1, person_id);
        db_bind_text(s, 2, code);
        db_bind_i64(s, 3, org_a);
        run(s);
        n_people = person_id;
    }
    struct db_stmt *s = db_stmt(db, &q_case_person);
    db_bind_i64(s, 1, case_id);
    db_bind_i64(s, 2, person_id);
    db_bind_text(s, 3, role);
    run(s);
}

/* An event of case_id at stage, naming the entities of names[0..n). */
static void
put_event(int64_t case_id, int stage, const int64_t *names, int n)
{
    int64_t id = ++n_events;
    struct db_stmt *s = db_stmt(db, &q_event);
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, case_id);
    db_bind_i64(s, 3, stage);
    run(s);
    for (int i = 0; i < n; i++) {
        s = db_stmt(db, &q_event_entity);
        db_bind_i64(s, 1, id);
        db_bind_i64(s, 2, names[i]);
        run(s);
    }
}

static void
begin(void)
{
    struct sr_err err = { 0 };
    if (db_begin_write(db, &err) != SR_OK) {
        exit(2);
    }
    for (size_t i = 0; i < sizeof q_clear / sizeof q_clear[0]; i++) {
        run(db_stmt(db, &q_clear[i]));
    }
    n_people = n_events = 0;
}

static void
commit(void)
{
    struct sr_err err = { 0 };
    if (db_commit(db, &err) != SR_OK) {
        exit(2);
    }
}

/* A random graph of n_e entities and n_c cases: about one record in
 * eight deleted and one in six another organisation's; cases with 0-4
 * entities, 0-3 victims (and witnesses, not counted), events with
 * stages naming some of their entities; links in both directions, in
 * several kinds between the same two entities, a third not confirmed. */
static void
make_random(struct graph *g, int n_e, int n_c, int n_l)
{
    static const char *const kinds[] = { "works_for", "owns", "recruits_for",
                                         "shares_phone" };
    static const char *const states[] = { "confirmed", "confirmed", "suggested",
                                          "rejected" };
    memset(g, 0, sizeof *g);
    g->n_e = n_e;
    g->n_c = n_c;
    begin();
    for (int i = 1; i <= n_e; i++) {
        g->e[i].org = rnd(6) == 0 ? org_b : org_a;
        g->e[i].is_deleted = rnd(8) == 0;
        put_entity(i, g->e[i].org, g->e[i].is_deleted);
    }
    for (int i = 1; i <= n_c; i++) {
        g->c[i].org = rnd(6) == 0 ? org_b : org_a;
        g->c[i].is_deleted = rnd(8) == 0;
        put_case(i, g->c[i].org, g->c[i].is_deleted);
        int64_t in_case[4];
        int n_in = 0, n_want = (int)rnd(5);
        while (n_in < n_want && g->n_ce < MAX_CE) {
            int64_t e = 1 + rnd((unsigned)n_e);
            int is_dup = 0;
            for (int k = 0; k < n_in; k++) {
                is_dup |= in_case[k] == e;
            }
            if (!is_dup) {
                in_case[n_in++] = e;
                g->ce[g->n_ce][0] = i;
                g->ce[g->n_ce][1] = e;
                g->n_ce++;
                put_case_entity(i, e);
            }
        }
        int n_victims = (int)rnd(4);
        for (int k = 0; k < n_victims; k++) {
            put_person(i, "victim", n_people + 1);
        }
        if (n_victims > 0 && rnd(2)) {
            put_person(i, "witness", n_people); /* also a victim */
        }
        if (rnd(3) == 0) {
            put_person(i, "caller", n_people + 1); /* not a victim */
        }
        g->c[i].n_victims = n_victims;
        for (int k = (int)rnd(3); k > 0; k--) {
            int stage = (int)rnd(11);
            int n_names = n_in > 0 ? (int)rnd((unsigned)n_in + 1) : 0;
            put_event(i, stage, in_case, n_names);
            g->c[i].stage = stage > g->c[i].stage ? stage : g->c[i].stage;
            for (int m = 0; m < n_names; m++) {
                struct rec *r = &g->e[in_case[m]];
                r->stage = stage > r->stage ? stage : r->stage;
            }
        }
    }
    while (g->n_l < n_l && g->n_l < MAX_L) {
        struct link *l = &g->l[g->n_l];
        l->from = 1 + rnd((unsigned)n_e);
        l->to = 1 + rnd((unsigned)n_e);
        snprintf(l->kind, sizeof l->kind, "%s", kinds[rnd(4)]);
        int is_dup = l->from == l->to;
        for (int k = 0; k < g->n_l; k++) {
            is_dup |= g->l[k].from == l->from && g->l[k].to == l->to &&
                      strcmp(g->l[k].kind, l->kind) == 0;
        }
        if (!is_dup) {
            const char *state = states[rnd(4)];
            l->is_confirmed = strcmp(state, "confirmed") == 0;
            put_link(l, state);
            g->n_l++;
        }
    }
    commit();
}

/* ---- the search, one node at a time ---------------------------------------- */

struct want_node {
    int is_case;
    int64_t id;
    int depth, parent;
};
struct want_edge {
    int a, b;
    char kind[24];
};
struct want {
    struct want_node nodes[MAX_E + MAX_C + 2];
    int n_nodes;
    struct want_edge edges[2 * (MAX_L + MAX_CE)];
    int n_edges;
    int is_capped;
};

static int
is_kept(const struct graph *g, const struct scope_filter *f, int is_case,
        int64_t id)
{
    const struct rec *r = is_case ? &g->c[id] : &g->e[id];
    if (r->is_deleted || (f->org_id != 0 && r->org != f->org_id)) {
        return 0;
    }
    return is_case || scope_filter_admits(f, r->org, 0);
}

static int
find(const struct want *w, int is_case, int64_t id)
{
    for (int i = 0; i < w->n_nodes; i++) {
        if (w->nodes[i].is_case == is_case && w->nodes[i].id == id) {
            return i;
        }
    }
    return -1;
}

static int
visit(const struct graph *g, const struct scope_filter *f, struct want *w,
      int cap, int is_case, int64_t id, int depth, int parent)
{
    int at = find(w, is_case, id);
    if (at >= 0) {
        return at;
    }
    if (w->n_nodes >= cap) {
        w->is_capped = 1;
        return -1;
    }
    if (!is_kept(g, f, is_case, id)) {
        return -1;
    }
    struct want_node *n = &w->nodes[w->n_nodes];
    n->is_case = is_case;
    n->id = id;
    n->depth = depth;
    n->parent = parent;
    return w->n_nodes++;
}

static void
reach(const struct graph *g, const struct scope_filter *f, struct want *w,
      int cap, int u, int is_case, int64_t id, const char *kind)
{
    int v_at = visit(g, f, w, cap, is_case, id, w->nodes[u].depth + 1, u);
    if (v_at > u) { /* neither the node itself nor one explored */
        struct want_edge *e = &w->edges[w->n_edges++];
        e->a = u;
        e->b = v_at;
        snprintf(e->kind, sizeof e->kind, "%s", kind);
    }
}

/* The network around entity centre as the search must find it: an
 * entity's cases by id, then its confirmed links either way by the other
 * entity's id and then kind; a case's entities by id. 0, or -1 when the
 * centre is not kept. */
static int
search(const struct graph *g, const struct scope_filter *f, int64_t centre,
       int cap, struct want *w)
{
    memset(w, 0, sizeof *w);
    if (visit(g, f, w, cap, 0, centre, 0, -1) != 0) {
        return -1;
    }
    for (int u = 0; u < w->n_nodes; u++) {
        int64_t id = w->nodes[u].id;
        if (w->nodes[u].is_case) {
            for (int64_t e = 1; e <= g->n_e; e++) {
                for (int k = 0; k < g->n_ce; k++) {
                    if (g->ce[k][0] == id && g->ce[k][1] == e) {
                        reach(g, f, w, cap, u, 0, e, "case");
                    }
                }
            }
            continue;
        }
        for (int64_t c = 1; c <= g->n_c; c++) {
            for (int k = 0; k < g->n_ce; k++) {
                if (g->ce[k][1] == id && g->ce[k][0] == c) {
                    reach(g, f, w, cap, u, 1, c, "case");
                }
            }
        }
        for (int64_t e = 1; e <= g->n_e; e++) {
            /* the kinds of the links with e, sorted, with repeats */
            const char *ks[2 * MAX_L];
            int n_ks = 0;
            for (int k = 0; k < g->n_l; k++) {
                const struct link *l = &g->l[k];
                if (l->is_confirmed && ((l->from == id && l->to == e) ||
                                        (l->to == id && l->from == e))) {
                    int m = n_ks++;
                    while (m > 0 && strcmp(ks[m - 1], l->kind) > 0) {
                        ks[m] = ks[m - 1];
                        m--;
                    }
                    ks[m] = l->kind;
                }
            }
            for (int k = 0; k < n_ks; k++) {
                reach(g, f, w, cap, u, 0, e, ks[k]);
            }
        }
    }
    return 0;
}

/* ---- comparing ------------------------------------------------------------- */

/* Failures of network_build() around centre against the search. */
static int
compare(const struct graph *g, const struct principal *who, int64_t centre,
        int cap)
{
    struct scope_filter f;
    if (principal_scope(who, ACT_ENTITY_READ, &f) != SR_OK) {
        return 1;
    }
    static struct want w;
    int want_rc = search(g, &f, centre, cap, &w);
    struct network got;
    struct sr_err err = { 0 };
    int rc = network_build(db, who, centre, (size_t)cap, &got, &err);
    sr_err_release(&err);
    int bad = 0;
    if (want_rc != 0 || rc != SR_OK) {
        TALLY(bad, rc == (want_rc == 0 ? SR_OK : SR_ENOTFOUND));
        if (rc == SR_OK) {
            network_release(&got);
        }
        return bad;
    }
    TALLY(bad, got.n_nodes == (size_t)w.n_nodes);
    TALLY(bad, got.n_edges == (size_t)w.n_edges);
    TALLY(bad, got.is_capped == w.is_capped);
    for (size_t i = 0; i < got.n_nodes && i < (size_t)w.n_nodes; i++) {
        const struct net_node *n = &got.nodes[i];
        const struct want_node *x = &w.nodes[i];
        const struct rec *r = x->is_case ? &g->c[x->id] : &g->e[x->id];
        char code[32];
        if (x->is_case) {
            snprintf(code, sizeof code, "K-TEST-%04lld",
                     (long long)(x->id * 7 % 101));
        } else {
            snprintf(code, sizeof code, "E-TEST-%04lld",
                     (long long)(1000 - x->id));
        }
        TALLY(bad, n->is_case == x->is_case && n->id == x->id);
        TALLY(bad, n->depth == x->depth && n->parent == x->parent);
        TALLY(bad, strcmp(n->code, code) == 0);
        TALLY(bad, strcmp(n->kind, x->is_case  ? ""
                                   : x->id % 3 ? "person"
                                               : "employer") == 0);
        TALLY(bad, n->org_id == r->org && n->stage == r->stage);
        TALLY(bad, n->n_victims == (x->is_case ? r->n_victims : 0));
    }
    for (size_t i = 0; i < got.n_edges && i < (size_t)w.n_edges; i++) {
        TALLY(bad, got.edges[i].a == w.edges[i].a);
        TALLY(bad, got.edges[i].b == w.edges[i].b);
        TALLY(bad, strcmp(got.edges[i].kind, w.edges[i].kind) == 0);
    }
    if (bad > 0) {
        fprintf(stderr, "  around entity %lld, cap %d, org scope %lld\n",
                (long long)centre, cap, (long long)f.org_id);
    }
    network_release(&got);
    return bad;
}

/* ---- a graph worked by hand -------------------------------------------------- */

/*
 * Entity 1 is in cases 2 and 1 and linked to entity 3 as owns (1 -> 3)
 * and works_for (3 -> 1), to entity 4 by a suggestion only; case 1 holds
 * 1 and 2, case 2 holds 1, 3 and 5 (5 deleted); entity 2 is linked to 3.
 * From 1: 1; case 1, case 2, 3 (depth 1); 2 (through case 1), and no
 * more: 3 is already there. Edges in the search's order: 1-case 1,
 * 1-case 2, 1-3 owns, 1-3 works_for, case 1-2, case 2-3 is kept (3 not
 * explored yet when case 2 is), 3-2 owns.
 */
static void
check_by_hand(void)
{
    begin();
    for (int i = 1; i <= 5; i++) {
        put_entity(i, org_a, i == 5);
    }
    put_case(1, org_a, 0);
    put_case(2, org_a, 0);
    put_case_entity(1, 1);
    put_case_entity(1, 2);
    put_case_entity(2, 1);
    put_case_entity(2, 3);
    put_case_entity(2, 5);
    struct link links[] = { { 1, 3, "owns", 1 },
                            { 3, 1, "works_for", 1 },
                            { 1, 4, "shares_phone", 0 },
                            { 3, 2, "owns", 1 } };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        put_link(&links[i], links[i].is_confirmed ? "confirmed" : "suggested");
    }
    put_person(2, "victim", 1);
    put_person(2, "victim", 2);
    put_person(2, "witness", 2);
    put_person(2, "caller", 3);
    int64_t names[] = { 3 };
    put_event(2, 4, names, 1);
    put_event(2, 2, NULL, 0);
    commit();

    struct principal local = principal_local();
    struct network n;
    struct sr_err err = { 0 };
    CHECK(network_build(db, &local, 1, 200, &n, &err) == SR_OK);
    static const struct {
        int is_case;
        int64_t id;
        int depth, parent;
    } want_nodes[] = { { 0, 1, 0, -1 },
                       { 1, 1, 1, 0 },
                       { 1, 2, 1, 0 },
                       { 0, 3, 1, 0 },
                       { 0, 2, 2, 1 } };
    CHECK(n.n_nodes == 5 && !n.is_capped);
    int bad = 0;
    for (size_t i = 0; i < 5 && i < n.n_nodes; i++) {
        TALLY(bad, n.nodes[i].is_case == want_nodes[i].is_case);
        TALLY(bad, n.nodes[i].id == want_nodes[i].id);
        TALLY(bad, n.nodes[i].depth == want_nodes[i].depth);
        TALLY(bad, n.nodes[i].parent == want_nodes[i].parent);
    }
    CHECK(bad == 0);
    CHECK(n.n_nodes == 5 && n.nodes[2].n_victims == 2 &&
          n.nodes[2].stage == 4 && n.nodes[3].stage == 4 &&
          n.nodes[1].stage == 0 && n.nodes[0].stage == 0);
    static const struct {
        int a, b;
        const char *kind;
    } want_edges[] = { { 0, 1, "case" }, { 0, 2, "case" },
                       { 0, 3, "owns" }, { 0, 3, "works_for" },
                       { 1, 4, "case" }, { 2, 3, "case" },
                       { 3, 4, "owns" } };
    CHECK(n.n_edges == 7);
    bad = 0;
    for (size_t i = 0; i < 7 && i < n.n_edges; i++) {
        TALLY(bad, n.edges[i].a == want_edges[i].a);
        TALLY(bad, n.edges[i].b == want_edges[i].b);
        TALLY(bad, strcmp(n.edges[i].kind, want_edges[i].kind) == 0);
    }
    CHECK(bad == 0);
    CHECK(strcmp(n.nodes[0].code, "E-TEST-0999") == 0 &&
          strcmp(n.nodes[1].code, "K-TEST-0007") == 0);
    network_release(&n);
    /* a cap of 3: the centre and its two cases; 3 is met, not added */
    CHECK(network_build(db, &local, 1, 3, &n, &err) == SR_OK);
    CHECK(n.n_nodes == 3 && n.is_capped && n.n_edges == 2);
    network_release(&n);
    /* a deleted centre, and one that does not exist */
    CHECK(network_build(db, &local, 5, 200, &n, &err) == SR_ENOTFOUND);
    CHECK(network_build(db, &local, 99, 200, &n, &err) == SR_ENOTFOUND);
    sr_err_release(&err);
}

/* ---- the labels' names ---------------------------------------------------- */

static const char *const q_n_audit = "SELECT count(*) FROM audit";

static int64_t
n_audit(void)
{
    struct db_stmt *s = db_stmt(db, &q_n_audit);
    int64_t n = db_step(s) == DB_ROW ? db_col_i64(s, 0) : -1;
    db_done(s);
    return n;
}

static int64_t
add_named(int64_t org, const char *name)
{
    struct principal p = principal_local();
    p.org_id = org;
    struct entity_input in;
    memset(&in, 0, sizeof in);
    in.kind = "person";
    in.name = name;
    char code[32];
    int64_t id = 0;
    struct sr_err err = { 0 };
    REQUIRE(entity_add(db, v, &p, &in, code, &id, NULL, &err) == SR_OK);
    sr_err_release(&err);
    return id;
}

/* entity_names(), which labels the network page, reads a list of ids in
 * one statement: repeated, missing and out-of-scope ids among them. */
static void
check_names(const struct principal *coord_a)
{
    begin(); /* no entities left from the graphs */
    commit();
    int64_t one = add_named(org_a, "Synthetic Name One");
    int64_t two = add_named(org_a, "Synthetic Name Two");
    int64_t bee = add_named(org_b, "Synthetic Name Bee");
    int64_t ids[] = { two, 424242, one, two, bee };
    char *names[5];
    struct principal local = principal_local();
    struct sr_err err = { 0 };
    int64_t n0 = n_audit();
    CHECK(entity_names(db, v, &local, ids, 5, names, &err) == SR_OK);
    CHECK(n_audit() == n0 + 1);
    CHECK(strcmp(names[0], "Synthetic Name Two") == 0 && names[1][0] == '\0' &&
          strcmp(names[2], "Synthetic Name One") == 0 &&
          strcmp(names[3], "Synthetic Name Two") == 0 &&
          strcmp(names[4], "Synthetic Name Bee") == 0);
    for (int i = 0; i < 5; i++) {
        free(names[i]);
    }
    CHECK(entity_names(db, v, coord_a, ids, 5, names, &err) == SR_OK);
    CHECK(strcmp(names[0], "Synthetic Name Two") == 0 &&
          strcmp(names[2], "Synthetic Name One") == 0 && names[4][0] == '\0');
    for (int i = 0; i < 5; i++) {
        free(names[i]);
    }
    sr_err_release(&err);
}

int
main(void)
{
    v = fixture_vault();
    db = fixture_db();
    struct sr_err err = { 0 };
    char code_a[32], code_b[32];
    REQUIRE(org_add(db, v, 0, "Org A", "ngo", "TH", code_a, &org_a, &err) ==
            SR_OK);
    REQUIRE(org_add(db, v, 0, "Org B", "ngo", "TH", code_b, &org_b, &err) ==
            SR_OK);
    check_by_hand();

    struct principal local = principal_local();
    struct principal coord_a = { 0 };
    coord_a.org_id = org_a;
    coord_a.role = ROLE_COORDINATOR; /* entity.read: its organisation's */
    static struct graph g;
    static const int caps[] = { 1, 2, 3, 7, 20, 60, 10000 };
    int bad = 0, n_compared = 0, n_capped = 0, n_refused = 0, n_big = 0;
    for (int seed = 1; seed <= 6; seed++) {
        rng_state = (uint64_t)seed;
        /* sparse graphs (many small groups) and dense ones (one group) */
        int n_e = seed % 2 ? MAX_E : 30, n_c = seed % 2 ? MAX_C : 40;
        make_random(&g, n_e, n_c, seed % 2 ? 40 : MAX_L);
        for (int64_t centre = 1; centre <= n_e; centre += 3) {
            for (size_t k = 0; k < sizeof caps / sizeof caps[0]; k++) {
                for (int who = 0; who < 2; who++) {
                    const struct principal *p = who ? &coord_a : &local;
                    bad += compare(&g, p, centre, caps[k]);
                    n_compared++;
                    struct scope_filter f;
                    static struct want w;
                    REQUIRE(principal_scope(p, ACT_ENTITY_READ, &f) == SR_OK);
                    if (search(&g, &f, centre, caps[k], &w) != 0) {
                        n_refused++;
                    } else {
                        n_capped += w.is_capped;
                        n_big += w.n_nodes > 40;
                    }
                }
            }
        }
    }
    CHECK(bad == 0);
    /* the cases above include capped searches, refused centres and large
     * groups, and not only those */
    CHECK(n_capped > 0 && n_refused > 0 && n_big > 0 &&
          n_capped + n_refused < n_compared);
    check_names(&coord_a);
    printf("test_network: %d searches compared (%d capped, %d refused, %d "
           "over 40 nodes)\n",
           n_compared, n_capped, n_refused, n_big);
    sr_err_release(&err);
    return TEST_DONE("test_network");
}
