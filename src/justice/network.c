/*
 * network.c - offender networks: breadth-first search from an entity
 * over shared cases and confirmed links, a deterministic ring layout,
 * and whole-workspace statistics (components, degrees).
 *
 * Owns no table; reads entity, entity_link, case_entity, case_file,
 * case_person and justice_event (network_sql[]). Applies the principal's
 * scope itself (entity.read for networks, network.stats for the
 * statistics). Produces codes and counts only: it never decrypts
 * anything.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "justice/network.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

enum network_stmt {
    N_ENTITY,
    N_CASE,
    N_ENTITY_CASES,
    N_CASE_ENTITIES,
    N_ENTITY_LINKS,
    N_ALL_ENTITIES,
    N_ALL_LINKS,
    N_ALL_CASE_LINKS,
    N__COUNT
};

static const char *const network_sql[N__COUNT] = {
    [N_ENTITY] = "SELECT e.code, e.kind, e.org_id,"
                 "       coalesce((SELECT max(j.stage)"
                 "          FROM justice_event_entity AS je"
                 "          JOIN justice_event AS j ON j.id = je.event_id"
                 "         WHERE je.entity_id = e.id), 0)"
                 "       , coalesce(e.created_by, 0)"
                 "  FROM entity AS e"
                 " WHERE e.id = ?1 AND e.deleted_at IS NULL"
                 "   AND (?2 = 0 OR e.org_id = ?2)",
    [N_CASE] = "SELECT c.code, c.org_id,"
               "       (SELECT count(DISTINCT person_id) FROM case_person"
               "         WHERE case_id = c.id AND role = 'victim'),"
               "       coalesce((SELECT max(stage) FROM justice_event"
               "                  WHERE case_id = c.id), 0)"
               "  FROM case_file AS c"
               " WHERE c.id = ?1 AND c.deleted_at IS NULL"
               "   AND (?2 = 0 OR c.org_id = ?2)",
    [N_ENTITY_CASES] = "SELECT case_id"
                       "  FROM case_entity"
                       " WHERE entity_id = ?1"
                       " ORDER BY case_id",
    [N_CASE_ENTITIES] = "SELECT entity_id"
                        "  FROM case_entity"
                        " WHERE case_id = ?1"
                        " ORDER BY entity_id",
    [N_ENTITY_LINKS] = "SELECT to_id, kind"
                       "  FROM entity_link"
                       " WHERE from_id = ?1 AND state = 'confirmed'"
                       " UNION ALL "
                       "SELECT from_id, kind"
                       "  FROM entity_link"
                       " WHERE to_id = ?1 AND state = 'confirmed'"
                       " ORDER BY 1, 2",
    [N_ALL_ENTITIES] = "SELECT id"
                       "  FROM entity"
                       " WHERE deleted_at IS NULL"
                       "   AND (?1 = 0 OR org_id = ?1)"
                       "   AND (?2 = 0 OR coalesce(created_by, 0) = ?2)"
                       " ORDER BY id",
    [N_ALL_LINKS] = "SELECT from_id, to_id, state"
                    "  FROM entity_link",
    [N_ALL_CASE_LINKS] = "SELECT ce.case_id, ce.entity_id"
                         "  FROM case_entity AS ce"
                         "  JOIN case_file AS c ON c.id = ce.case_id"
                         " WHERE c.deleted_at IS NULL"
                         "   AND (?1 = 0 OR c.org_id = ?1)"
                         " ORDER BY ce.case_id",
};

const char *const network_bin_labels[NETWORK_DEGREE_BINS] = {
    "0", "1", "2", "3-4", "5-9", "10-19", "20+",
};

/* ---- an index from (is_case, id) to node index ------------------------ */

struct node_index {
    int64_t *keys; /* id * 2 + is_case, or -1 when empty */
    int *vals;
    size_t cap; /* a power of two */
};

static void
index_init(struct node_index *x, size_t n)
{
    x->cap = 16;
    while (x->cap < n * 2) {
        x->cap *= 2;
    }
    x->keys = sr_xmalloc(x->cap * sizeof x->keys[0]);
    x->vals = sr_xmalloc(x->cap * sizeof x->vals[0]);
    for (size_t i = 0; i < x->cap; i++) {
        x->keys[i] = -1;
    }
}

static size_t
index_slot(const struct node_index *x, int64_t key)
{
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 20) & (x->cap - 1);
    while (x->keys[i] != -1 && x->keys[i] != key) {
        i = (i + 1) & (x->cap - 1);
    }
    return i;
}

static int
index_get(const struct node_index *x, int is_case, int64_t id)
{
    size_t i = index_slot(x, id * 2 + is_case);
    return x->keys[i] == -1 ? -1 : x->vals[i];
}

static void
index_put(struct node_index *x, int is_case, int64_t id, int val)
{
    size_t i = index_slot(x, id * 2 + is_case);
    x->keys[i] = id * 2 + is_case;
    x->vals[i] = val;
}

static void
index_release(struct node_index *x)
{
    free(x->keys);
    free(x->vals);
}

/* ---- search -------------------------------------------------------------- */

struct builder {
    struct db *db;
    struct scope_filter scope; /* entity.read: which nodes may be kept */
    struct network *g;
    struct node_index idx;
    size_t max_nodes, edge_cap;
    char *is_explored;
};

/* Add a node (entity or case) if it exists and there is room; its index,
 * or -1 (absent or capped). */
static int
add_node(struct builder *b, int is_case, int64_t id, int depth, int parent)
{
    int have = index_get(&b->idx, is_case, id);
    if (have >= 0) {
        return have;
    }
    if (b->g->n_nodes >= b->max_nodes) {
        b->g->is_capped = 1;
        return -1;
    }
    struct db_stmt *s =
        db_stmt(b->db, &network_sql[is_case ? N_CASE : N_ENTITY]);
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, b->scope.org_id);
    if (db_step(s) != DB_ROW) {
        db_done(s);
        return -1;
    }
    /* an entity's own scope is its creator; a case is kept by org */
    if (!is_case &&
        !scope_filter_admits(&b->scope, db_col_i64(s, 2), db_col_i64(s, 4))) {
        db_done(s);
        return -1;
    }
    struct net_node *n = &b->g->nodes[b->g->n_nodes];
    memset(n, 0, sizeof *n);
    n->is_case = is_case;
    n->id = id;
    n->depth = depth;
    n->parent = parent;
    snprintf(n->code, sizeof n->code, "%s", db_col_text(s, 0));
    if (is_case) {
        n->org_id = db_col_i64(s, 1);
        n->n_victims = db_col_i64(s, 2);
        n->stage = db_col_int(s, 3);
    } else {
        snprintf(n->kind, sizeof n->kind, "%s", db_col_text(s, 1));
        n->org_id = db_col_i64(s, 2);
        n->stage = db_col_int(s, 3);
    }
    db_done(s);
    int at = (int)b->g->n_nodes++;
    index_put(&b->idx, is_case, id, at);
    return at;
}

static void
add_edge(struct builder *b, int u, int v, const char *kind)
{
    b->g->edges = sr_xgrow(b->g->edges, b->g->n_edges, &b->edge_cap,
                           sizeof b->g->edges[0]);
    struct net_edge *e = &b->g->edges[b->g->n_edges++];
    e->a = u;
    e->b = v;
    snprintf(e->kind, sizeof e->kind, "%s", kind);
}

/* Neighbours of node u: ids (and link kinds) into the arrays. */
struct nbrs {
    int64_t *ids;
    char (*kinds)[24];
    size_t n, cap;
};

static void
nbrs_push(struct nbrs *x, int64_t id, const char *kind)
{
    size_t kinds_cap = x->cap; /* the two arrays grow together */
    x->ids = sr_xgrow(x->ids, x->n, &x->cap, sizeof x->ids[0]);
    x->kinds = sr_xgrow(x->kinds, x->n, &kinds_cap, sizeof x->kinds[0]);
    x->ids[x->n] = id;
    snprintf(x->kinds[x->n], sizeof x->kinds[0], "%s", kind);
    x->n++;
}

static int
explore(struct builder *b, int u, struct nbrs *nb)
{
    struct net_node node = b->g->nodes[u];
    b->is_explored[u] = 1;
    /* entity: its cases, then its links; case: its entities */
    nb->n = 0;
    struct db_stmt *s = db_stmt(
        b->db, &network_sql[node.is_case ? N_CASE_ENTITIES : N_ENTITY_CASES]);
    db_bind_i64(s, 1, node.id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        nbrs_push(nb, db_col_i64(s, 0), "case");
    }
    db_done(s);
    if (rc != DB_DONE) {
        return SR_EDB;
    }
    size_t n_case_nbrs = nb->n;
    if (!node.is_case) {
        s = db_stmt(b->db, &network_sql[N_ENTITY_LINKS]);
        db_bind_i64(s, 1, node.id);
        while ((rc = db_step(s)) == DB_ROW) {
            nbrs_push(nb, db_col_i64(s, 0), db_col_text(s, 1));
        }
        db_done(s);
        if (rc != DB_DONE) {
            return SR_EDB;
        }
    }
    for (size_t i = 0; i < nb->n; i++) {
        /* an entity's case neighbours are cases; all others entities */
        int is_case = !node.is_case && i < n_case_nbrs;
        int v = add_node(b, is_case, nb->ids[i], node.depth + 1, u);
        if (v >= 0 && v != u && !b->is_explored[v]) {
            add_edge(b, u, v, nb->kinds[i]);
        }
    }
    return SR_OK;
}

/* Angle of node i in the layout (the centre: 0). */
static double
angle_of(const struct net_node *n)
{
    return atan2(n->y - 0.5, n->x - 0.5);
}

struct ring_item {
    double parent_angle;
    const char *code;
    int node;
};

static int
cmp_ring(const void *a, const void *b)
{
    const struct ring_item *x = a, *y = b;
    if (x->parent_angle != y->parent_angle) {
        return x->parent_angle < y->parent_angle ? -1 : 1;
    }
    return strcmp(x->code, y->code);
}

static void
layout(struct network *g)
{
    int max_depth = 0;
    for (size_t i = 0; i < g->n_nodes; i++) {
        if (g->nodes[i].depth > max_depth) {
            max_depth = g->nodes[i].depth;
        }
    }
    g->nodes[0].x = 0.5;
    g->nodes[0].y = 0.5;
    struct ring_item *ring = sr_xcalloc(g->n_nodes, sizeof *ring);
    for (int d = 1; d <= max_depth; d++) {
        size_t n = 0;
        for (size_t i = 0; i < g->n_nodes; i++) {
            if (g->nodes[i].depth == d) {
                const struct net_node *p = &g->nodes[g->nodes[i].parent];
                ring[n].parent_angle = p->parent < 0 ? 0.0 : angle_of(p);
                ring[n].code = g->nodes[i].code;
                ring[n].node = (int)i;
                n++;
            }
        }
        qsort(ring, n, sizeof ring[0], cmp_ring);
        double radius = 0.47 * d / max_depth;
        double offset = -M_PI + (d % 2 ? 0.0 : M_PI / (double)(n + 1));
        for (size_t k = 0; k < n; k++) {
            double a = offset + 2.0 * M_PI * ((double)k + 0.5) / (double)n;
            g->nodes[ring[k].node].x = 0.5 + radius * cos(a);
            g->nodes[ring[k].node].y = 0.5 + radius * sin(a);
        }
    }
    free(ring);
}

int
network_build(struct db *db, const struct principal *who, int64_t entity_id,
              size_t max_nodes, struct network *out, struct sr_err *err)
{
    assert(db != NULL && who != NULL && out != NULL);
    if (max_nodes < 1 || max_nodes > 10000) {
        return sr_err_set(err, SR_EINVAL, "max_nodes: must be 1 to 10000");
    }
    struct scope_filter scope;
    if (principal_scope(who, ACT_ENTITY_READ, &scope) != SR_OK) {
        return sr_err_set(err, SR_ENOTFOUND, "entity: no such entity");
    }
    struct network g;
    memset(&g, 0, sizeof g);
    g.nodes = sr_xcalloc(max_nodes, sizeof g.nodes[0]);
    struct builder b = { db, scope, &g, { 0 }, max_nodes, 0, NULL };
    index_init(&b.idx, max_nodes);
    b.is_explored = sr_xcalloc(max_nodes, 1);
    int rc = db_begin_read(db, err);
    if (rc != SR_OK) {
        network_release(&g);
        index_release(&b.idx);
        free(b.is_explored);
        return rc;
    }
    if (add_node(&b, 0, entity_id, 0, -1) != 0) {
        rc = sr_err_set(err, SR_ENOTFOUND, "entity: no such entity");
    }
    struct nbrs nb = { 0 };
    for (size_t u = 0; rc == SR_OK && u < g.n_nodes; u++) {
        if (explore(&b, (int)u, &nb) != SR_OK) {
            rc = db_error(db, err, "network");
        }
    }
    db_rollback(db);
    free(nb.ids);
    free(nb.kinds);
    index_release(&b.idx);
    free(b.is_explored);
    if (rc != SR_OK) {
        network_release(&g);
        return rc;
    }
    layout(&g);
    *out = g;
    return SR_OK;
}

void
network_release(struct network *n)
{
    SR_RELEASE(n, n->nodes, n->edges);
}

/* ---- statistics ---------------------------------------------------------- */

static int64_t
uf_find(int64_t *parent, int64_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static void
uf_union(int64_t *parent, int64_t *size, int64_t a, int64_t b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    if (a == b) {
        return;
    }
    if (size[a] < size[b]) {
        int64_t t = a;
        a = b;
        b = t;
    }
    parent[b] = a;
    size[a] += size[b];
}

static int
bin_of(int64_t v)
{
    if (v <= 2) {
        return (int)(v < 0 ? 0 : v);
    }
    return v <= 4 ? 3 : v <= 9 ? 4 : v <= 19 ? 5 : 6;
}

/* Position of entity id in the sorted ids, or -1. */
static int64_t
pos_of(const int64_t *ids, int64_t n, int64_t id)
{
    int64_t lo = 0, hi = n - 1;
    while (lo <= hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (ids[mid] == id) {
            return mid;
        }
        if (ids[mid] < id) {
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return -1;
}

static int
cmp_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x < y) - (x > y);
}

int
network_stats(struct db *db, const struct principal *who,
              struct network_stats *out, struct sr_err *err)
{
    assert(db != NULL && who != NULL && out != NULL);
    struct scope_filter f;
    if (principal_scope(who, ACT_NETWORK_STATS, &f) != SR_OK) {
        return sr_err_set(err, SR_EPERM, "network: statistics not allowed");
    }
    int is_all = f.org_id == 0 && f.owner_id == 0;
    struct network_stats st;
    memset(&st, 0, sizeof st);
    int rc = db_begin_read(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    int64_t *ids = NULL, n = 0;
    size_t ids_cap = 0;
    struct db_stmt *s = db_stmt(db, &network_sql[N_ALL_ENTITIES]);
    db_bind_i64(s, 1, f.org_id);
    db_bind_i64(s, 2, f.owner_id);
    while (db_step(s) == DB_ROW) {
        ids = sr_xgrow(ids, (size_t)n, &ids_cap, sizeof ids[0]);
        ids[n++] = db_col_i64(s, 0);
    }
    db_done(s);
    int64_t *parent = sr_xcalloc((size_t)n + 1, sizeof *parent);
    int64_t *size = sr_xcalloc((size_t)n + 1, sizeof *size);
    int64_t *degree = sr_xcalloc((size_t)n + 1, sizeof *degree);
    for (int64_t i = 0; i < n; i++) {
        parent[i] = i;
        size[i] = 1;
    }
    s = db_stmt(db, &network_sql[N_ALL_LINKS]);
    while (db_step(s) == DB_ROW) {
        const char *state = db_col_text(s, 2);
        int64_t a = pos_of(ids, n, db_col_i64(s, 0));
        int64_t b = pos_of(ids, n, db_col_i64(s, 1));
        if (!is_all && (a < 0 || b < 0)) {
            continue; /* a link with an entity outside the scope */
        }
        if (strcmp(state, "confirmed") != 0) {
            st.n_links_suggested += strcmp(state, "suggested") == 0;
            st.n_links_rejected += strcmp(state, "rejected") == 0;
            continue;
        }
        st.n_links_confirmed++;
        if (a >= 0 && b >= 0) {
            degree[a]++;
            degree[b]++;
            uf_union(parent, size, a, b);
        }
    }
    db_done(s);
    s = db_stmt(db, &network_sql[N_ALL_CASE_LINKS]);
    db_bind_i64(s, 1, f.org_id);
    int64_t last_case = -1, last_entity = -1;
    while (db_step(s) == DB_ROW) {
        int64_t c = db_col_i64(s, 0);
        int64_t e = pos_of(ids, n, db_col_i64(s, 1));
        if (e < 0) {
            continue;
        }
        st.n_case_links++;
        degree[e]++;
        if (c == last_case && last_entity >= 0) {
            uf_union(parent, size, last_entity, e);
        }
        last_case = c;
        last_entity = e;
    }
    db_done(s);
    db_rollback(db);
    st.n_entities = n;
    int64_t *sizes = sr_xcalloc((size_t)n + 1, sizeof *sizes);
    int64_t n_sizes = 0;
    for (int64_t i = 0; i < n; i++) {
        st.degree_bins[bin_of(degree[i])]++;
        if (uf_find(parent, i) == i) {
            sizes[n_sizes++] = size[i];
        }
    }
    /* components by size, in the degree bins (size 1 in bin "1") */
    for (int64_t i = 0; i < n_sizes; i++) {
        st.size_bins[bin_of(sizes[i])]++;
        st.n_isolated += sizes[i] == 1;
    }
    st.n_components = n_sizes;
    qsort(sizes, (size_t)n_sizes, sizeof sizes[0], cmp_desc);
    for (int64_t i = 0; i < n_sizes && i < NETWORK_TOP_COMPONENTS; i++) {
        st.largest[i] = sizes[i];
    }
    free(sizes);
    free(ids);
    free(parent);
    free(size);
    free(degree);
    *out = st;
    return SR_OK;
}
