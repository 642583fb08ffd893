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
    N_ENTITIES,
    N_CASES,
    N_ENTITY_NBRS,
    N_CASE_NBRS,
    N_ALL_ENTITIES,
    N_ALL_LINKS,
    N_ALL_CASE_LINKS,
    N__COUNT
};

/*
 * The search reads a whole list of nodes in each statement, so that a
 * group of 200 nodes takes a dozen statements rather than several
 * hundred (each a round trip to a PostgreSQL server). ?1 is the list
 * (store.h's DB_IN_ID_LIST).
 */

/* Live entities of the list in organisation ?2 (0: any): id, code,
 * kind, org, the furthest stage of the events naming them, creator. */
#define N_ENTITIES_SQL(in)                                    \
    "SELECT e.id, e.code, e.kind, e.org_id,"                  \
    "       coalesce((SELECT max(j.stage)"                    \
    "          FROM justice_event_entity AS je"               \
    "          JOIN justice_event AS j ON j.id = je.event_id" \
    "         WHERE je.entity_id = e.id), 0),"                \
    "       coalesce(e.created_by, 0)"                        \
    "  FROM entity AS e"                                      \
    " WHERE " in("e.id") " AND e.deleted_at IS NULL"          \
                         "   AND (?2 = 0 OR e.org_id = ?2)"

/* Live cases of the list in organisation ?2 (0: any): id, code, org,
 * victims, furthest stage. */
#define N_CASES_SQL(in)                                         \
    "SELECT c.id, c.code, c.org_id,"                            \
    "       (SELECT count(DISTINCT person_id) FROM case_person" \
    "         WHERE case_id = c.id AND role = 'victim'),"       \
    "       coalesce((SELECT max(stage) FROM justice_event"     \
    "                  WHERE case_id = c.id), 0)"               \
    "  FROM case_file AS c"                                     \
    " WHERE " in("c.id") " AND c.deleted_at IS NULL"            \
                         "   AND (?2 = 0 OR c.org_id = ?2)"

/* Neighbours of the entities of the list, each entity's in the order
 * the search takes them: its cases by id (0), then its confirmed links
 * either way by the other entity's id and the link's kind (1). */
#define N_ENTITY_NBRS_SQL(in)                                               \
    "SELECT entity_id, 0, case_id, 'case'"                                  \
    "  FROM case_entity"                                                    \
    " WHERE " in(                                                           \
        "entity_id") " UNION ALL "                                          \
                     "SELECT from_id, 1, to_id, kind"                       \
                     "  FROM entity_link"                                   \
                     " WHERE " in(                                          \
                         "from_id") " AND state = 'confirmed'"              \
                                    " UNION ALL "                           \
                                    "SELECT to_id, 1, from_id, kind"        \
                                    "  FROM entity_link"                    \
                                    " WHERE " in(                           \
                                        "to_id") " AND state = 'confirmed'" \
                                                 " ORDER BY 1, 2, 3, 4"

/* Entities of the cases of the list, by case, then entity. */
#define N_CASE_NBRS_SQL(in)     \
    "SELECT case_id, entity_id" \
    "  FROM case_entity"        \
    " WHERE " in("case_id") " ORDER BY 1, 2"

static const char *const network_sql[N__COUNT] = {
    [N_ENTITIES] =
        N_ENTITIES_SQL(DB_IN_ID_LIST) DB_PG N_ENTITIES_SQL(DB_IN_ID_LIST_PG),
    [N_CASES] = N_CASES_SQL(DB_IN_ID_LIST) DB_PG N_CASES_SQL(DB_IN_ID_LIST_PG),
    [N_ENTITY_NBRS] = N_ENTITY_NBRS_SQL(DB_IN_ID_LIST)
        DB_PG N_ENTITY_NBRS_SQL(DB_IN_ID_LIST_PG),
    [N_CASE_NBRS] =
        N_CASE_NBRS_SQL(DB_IN_ID_LIST) DB_PG N_CASE_NBRS_SQL(DB_IN_ID_LIST_PG),
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

/* ---- an index from (is_case, id) to a number ----------------------------- */

struct node_index {
    int64_t *keys; /* id * 2 + is_case, or -1 when empty */
    int *vals;
    size_t cap; /* a power of two */
    size_t n;   /* keys held; at most half of cap */
};

static void
index_init(struct node_index *x, size_t n)
{
    x->cap = 16;
    while (x->cap < n * 2) {
        x->cap *= 2;
    }
    x->n = 0;
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

/* The value of (is_case, id), or -1 when it has none. */
static int
index_get(const struct node_index *x, int is_case, int64_t id)
{
    size_t i = index_slot(x, id * 2 + is_case);
    return x->keys[i] == -1 ? -1 : x->vals[i];
}

static void
index_release(struct node_index *x)
{
    free(x->keys);
    free(x->vals);
}

static void
index_put(struct node_index *x, int is_case, int64_t id, int val)
{
    int64_t key = id * 2 + is_case;
    size_t i = index_slot(x, key);
    if (x->keys[i] == -1 && (x->n + 1) * 2 > x->cap) {
        struct node_index big;
        index_init(&big, x->cap);
        for (size_t k = 0; k < x->cap; k++) {
            if (x->keys[k] != -1) {
                size_t j = index_slot(&big, x->keys[k]);
                big.keys[j] = x->keys[k];
                big.vals[j] = x->vals[k];
            }
        }
        big.n = x->n;
        index_release(x);
        *x = big;
        i = index_slot(x, key);
    }
    x->n += x->keys[i] == -1;
    x->keys[i] = key;
    x->vals[i] = val;
}

/* ---- search -------------------------------------------------------------- */

/* One neighbour of a node being explored. */
struct nbr_row {
    int64_t from;  /* the explored node's id */
    int64_t to;    /* the neighbour's id */
    int is_case;   /* the neighbour is a case */
    char kind[24]; /* "case" or the link's kind */
};

/* The neighbours of the nodes of one level, read in two statements:
 * rows[0, n_entity_rows) those of its entities, the rest its cases'. */
struct level {
    struct nbr_row *rows;
    size_t n_rows, cap, n_entity_rows;
    size_t *first, *end; /* node lo + k's rows: [first[k], end[k]) */
    size_t lo, hi;       /* the level: nodes [lo, hi) */
};

/* What a node read ahead of its turn is: a place in builder.read, or
 * absent (no such live node, or outside the scope). */
enum { READ_ABSENT = -2, READ_ASKED = -3 };

struct builder {
    struct db *db;
    struct scope_filter scope; /* entity.read: which nodes may be kept */
    struct network *g;
    struct node_index idx;  /* node -> its index in g->nodes */
    struct node_index seen; /* node -> its place in read, or READ_* */
    struct net_node *read;  /* nodes read, not yet added */
    size_t n_read, read_cap;
    size_t max_nodes, edge_cap;
    char *is_explored;
    struct sr_buf ids[2]; /* lists of entity ids and case ids */
};

/* Append id to the comma-separated list b. */
static void
list_add(struct sr_buf *b, int64_t id)
{
    if (sr_buf_printf(b, b->len > 0 ? ",%lld" : "%lld", (long long)id) !=
        SR_OK) {
        SR_BUG("network: id list over its cap");
    }
}

/* Read the entities of b->ids[0] and the cases of b->ids[1] into
 * b->read, then mark every node asked for and not read absent. */
static int
read_nodes(struct builder *b)
{
    for (int is_case = 0; is_case < 2; is_case++) {
        if (b->ids[is_case].len == 0) {
            continue;
        }
        struct db_stmt *s =
            db_stmt(b->db, &network_sql[is_case ? N_CASES : N_ENTITIES]);
        db_bind_text(s, 1, b->ids[is_case].data);
        db_bind_i64(s, 2, b->scope.org_id);
        int rc;
        while ((rc = db_step(s)) == DB_ROW) {
            /* an entity's own scope is its creator; a case is kept by org */
            if (!is_case && !scope_filter_admits(&b->scope, db_col_i64(s, 3),
                                                 db_col_i64(s, 5))) {
                continue;
            }
            b->read =
                sr_xgrow(b->read, b->n_read, &b->read_cap, sizeof b->read[0]);
            struct net_node *n = &b->read[b->n_read];
            memset(n, 0, sizeof *n);
            n->is_case = is_case;
            n->id = db_col_i64(s, 0);
            snprintf(n->code, sizeof n->code, "%s", db_col_text(s, 1));
            if (is_case) {
                n->org_id = db_col_i64(s, 2);
                n->n_victims = db_col_i64(s, 3);
                n->stage = db_col_int(s, 4);
            } else {
                snprintf(n->kind, sizeof n->kind, "%s", db_col_text(s, 2));
                n->org_id = db_col_i64(s, 3);
                n->stage = db_col_int(s, 4);
            }
            index_put(&b->seen, is_case, n->id, (int)b->n_read++);
        }
        db_done(s);
        if (rc != DB_DONE) {
            return SR_EDB;
        }
    }
    for (int is_case = 0; is_case < 2; is_case++) {
        const char *p = b->ids[is_case].data;
        while (*p != '\0') {
            int64_t id = strtoll(p, NULL, 10);
            if (index_get(&b->seen, is_case, id) == READ_ASKED) {
                index_put(&b->seen, is_case, id, READ_ABSENT);
            }
            p += strcspn(p, ",");
            p += *p == ',';
        }
        sr_buf_reset(&b->ids[is_case]);
    }
    return SR_OK;
}

/* Read ahead the nodes the search will meet next in the level, from row
 * r of node lo + k on: those neither in the network nor read yet, no
 * more than there is room left for (each of them, if it exists, will be
 * added before the search meets another unread node). */
static int
read_ahead(struct builder *b, const struct level *lv, size_t k, size_t r)
{
    size_t room = b->max_nodes - b->g->n_nodes, n_asked = 0;
    for (; k < lv->hi - lv->lo && n_asked < room; k++, r = SIZE_MAX) {
        if (r == SIZE_MAX) {
            r = lv->first[k];
        }
        for (; r < lv->end[k] && n_asked < room; r++) {
            const struct nbr_row *x = &lv->rows[r];
            if (index_get(&b->idx, x->is_case, x->to) < 0 &&
                index_get(&b->seen, x->is_case, x->to) == -1) {
                index_put(&b->seen, x->is_case, x->to, READ_ASKED);
                list_add(&b->ids[x->is_case], x->to);
                n_asked++;
            }
        }
    }
    return read_nodes(b);
}

/* Add a node (entity or case) if it exists and there is room; its index,
 * or -1 (absent or capped). SR_EDB in *rc when a read fails. */
static int
add_node(struct builder *b, const struct level *lv, size_t k, size_t r,
         int is_case, int64_t id, int depth, int parent, int *rc)
{
    int have = index_get(&b->idx, is_case, id);
    if (have >= 0) {
        return have;
    }
    if (b->g->n_nodes >= b->max_nodes) {
        b->g->is_capped = 1;
        return -1;
    }
    int at = index_get(&b->seen, is_case, id);
    if (at == -1) {
        *rc = read_ahead(b, lv, k, r);
        if (*rc != SR_OK) {
            return -1;
        }
        at = index_get(&b->seen, is_case, id);
    }
    if (at < 0) {
        return -1;
    }
    struct net_node *n = &b->g->nodes[b->g->n_nodes];
    *n = b->read[at];
    n->depth = depth;
    n->parent = parent;
    int added = (int)b->g->n_nodes++;
    index_put(&b->idx, is_case, id, added);
    return added;
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

/* Read the neighbours of the nodes [lo, hi) into lv: the entities' in
 * one statement, the cases' in another. */
static int
read_level(struct builder *b, struct level *lv, size_t lo, size_t hi)
{
    lv->lo = lo;
    lv->hi = hi;
    lv->n_rows = 0;
    for (size_t u = lo; u < hi; u++) {
        list_add(&b->ids[b->g->nodes[u].is_case], b->g->nodes[u].id);
    }
    for (int is_case = 0; is_case < 2; is_case++) {
        if (is_case) {
            lv->n_entity_rows = lv->n_rows;
        }
        if (b->ids[is_case].len == 0) {
            continue;
        }
        struct db_stmt *s =
            db_stmt(b->db, &network_sql[is_case ? N_CASE_NBRS : N_ENTITY_NBRS]);
        db_bind_text(s, 1, b->ids[is_case].data);
        int rc;
        while ((rc = db_step(s)) == DB_ROW) {
            lv->rows =
                sr_xgrow(lv->rows, lv->n_rows, &lv->cap, sizeof lv->rows[0]);
            struct nbr_row *x = &lv->rows[lv->n_rows++];
            x->from = db_col_i64(s, 0);
            if (is_case) {
                x->to = db_col_i64(s, 1);
                x->is_case = 0;
                snprintf(x->kind, sizeof x->kind, "case");
            } else {
                x->is_case = db_col_int(s, 1) == 0;
                x->to = db_col_i64(s, 2);
                snprintf(x->kind, sizeof x->kind, "%s", db_col_text(s, 3));
            }
        }
        db_done(s);
        sr_buf_reset(&b->ids[is_case]);
        if (rc != DB_DONE) {
            return SR_EDB;
        }
    }
    /* each node's rows: a run of its part, which is sorted by node id */
    lv->first = sr_xrealloc(lv->first, (hi - lo) * sizeof lv->first[0]);
    lv->end = sr_xrealloc(lv->end, (hi - lo) * sizeof lv->end[0]);
    for (size_t u = lo; u < hi; u++) {
        const struct net_node *n = &b->g->nodes[u];
        size_t from = n->is_case ? lv->n_entity_rows : 0;
        size_t to = n->is_case ? lv->n_rows : lv->n_entity_rows;
        while (from < to) {
            size_t mid = from + (to - from) / 2;
            if (lv->rows[mid].from < n->id) {
                from = mid + 1;
            } else {
                to = mid;
            }
        }
        size_t end = from;
        size_t stop = n->is_case ? lv->n_rows : lv->n_entity_rows;
        while (end < stop && lv->rows[end].from == n->id) {
            end++;
        }
        lv->first[u - lo] = from;
        lv->end[u - lo] = end;
    }
    return SR_OK;
}

/* Explore the nodes of the level lv in order: an entity's cases, then
 * its links; a case's entities. */
static int
explore_level(struct builder *b, const struct level *lv)
{
    for (size_t k = 0; k < lv->hi - lv->lo; k++) {
        int u = (int)(lv->lo + k);
        int depth = b->g->nodes[u].depth;
        b->is_explored[u] = 1;
        for (size_t r = lv->first[k]; r < lv->end[k]; r++) {
            const struct nbr_row *x = &lv->rows[r];
            int rc = SR_OK;
            int v = add_node(b, lv, k, r, x->is_case, x->to, depth + 1, u, &rc);
            if (rc != SR_OK) {
                return rc;
            }
            if (v >= 0 && v != u && !b->is_explored[v]) {
                add_edge(b, u, v, x->kind);
            }
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
    struct builder b;
    memset(&b, 0, sizeof b);
    b.db = db;
    b.scope = scope;
    b.g = &g;
    b.max_nodes = max_nodes;
    index_init(&b.idx, max_nodes);
    index_init(&b.seen, max_nodes);
    b.is_explored = sr_xcalloc(max_nodes, 1);
    sr_buf_init(&b.ids[0], 0);
    sr_buf_init(&b.ids[1], 0);
    struct level lv;
    memset(&lv, 0, sizeof lv);
    int rc = db_begin_read(db, err);
    if (rc == SR_OK) {
        /* the centre, then the search a level at a time */
        index_put(&b.seen, 0, entity_id, READ_ASKED);
        list_add(&b.ids[0], entity_id);
        rc = read_nodes(&b);
        int at = rc == SR_OK ? index_get(&b.seen, 0, entity_id) : -1;
        if (rc == SR_OK && at < 0) {
            rc = sr_err_set(err, SR_ENOTFOUND, "entity: no such entity");
        } else if (rc == SR_OK) {
            g.nodes[0] = b.read[at];
            g.nodes[0].parent = -1;
            g.n_nodes = 1;
            index_put(&b.idx, 0, entity_id, 0);
        }
        for (size_t lo = 0; rc == SR_OK && lo < g.n_nodes;) {
            size_t hi = g.n_nodes;
            rc = read_level(&b, &lv, lo, hi);
            if (rc == SR_OK) {
                rc = explore_level(&b, &lv);
            }
            lo = hi;
        }
        if (rc == SR_EDB) {
            rc = db_error(db, err, "network");
        }
        db_rollback(db);
    }
    free(lv.rows);
    free(lv.first);
    free(lv.end);
    free(b.read);
    sr_buf_release(&b.ids[0]);
    sr_buf_release(&b.ids[1]);
    index_release(&b.idx);
    index_release(&b.seen);
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
