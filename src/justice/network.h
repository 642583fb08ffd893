/*
 * network.h - the connected group around an entity (entities joined by
 * confirmed links and shared cases), laid out for drawing, and network
 * statistics (component sizes, degree distribution) for analysts.
 *
 * Holds codes and counts only; labels with names are added by the web
 * layer for roles that may see identities (entity_names()).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_NETWORK_H
#define SR_NETWORK_H

#include <stddef.h>
#include <stdint.h>

#include "base/principal.h"
#include "base/store.h"
#include "core/err.h"

#define NETWORK_MAX_NODES 200 /* default cap of network_build() */

struct net_node {
    int is_case;       /* 1: a case; 0: an entity */
    int64_t id;        /* case or entity id */
    char code[32];     /* case or entity code */
    char kind[32];     /* entity kind, or "" for a case */
    int64_t org_id;    /* owning / recording organisation */
    int depth;         /* hops from the centre (entity-case = 1 hop) */
    int parent;        /* index of the node it was reached from; -1 */
    int64_t n_victims; /* cases: victims counted (never named) */
    int stage;         /* cases: furthest stage; entities: furthest stage
                          of events naming it */
    double x, y;       /* layout, in [0, 1] x [0, 1] */
};

struct net_edge {
    int a, b;      /* node indexes */
    char kind[24]; /* "case" (entity in case) or an entity_link kind */
};

struct network {
    struct net_node *nodes; /* nodes[0] is the centre */
    size_t n_nodes;
    struct net_edge *edges;
    size_t n_edges;
    int is_capped; /* 1: more nodes were reachable than the cap */
};

/*
 * Breadth-first search from entity entity_id over case_entity (entity -
 * case - entity) and confirmed entity_link rows, up to max_nodes nodes
 * (1..10000); edges between kept nodes only. Only entities and cases of
 * organisations in who's entity.read scope are nodes (the search does
 * not pass through others). Then a deterministic layout: concentric
 * rings by depth, each ring ordered by the angle of the parent then by
 * code. out is the caller's: network_release(). SR_ENOTFOUND (no such
 * entity, or outside who's scope), SR_EINVAL (max_nodes), SR_EDB. who
 * must not be NULL.
 */
int network_build(struct db *db, const struct principal *who, int64_t entity_id,
                  size_t max_nodes, struct network *out, struct sr_err *err);
void network_release(struct network *n);

/* Whole-workspace statistics: counts only. */
#define NETWORK_DEGREE_BINS    7 /* degree 0, 1, 2, 3-4, 5-9, 10-19, 20+ */
#define NETWORK_TOP_COMPONENTS 10
struct network_stats {
    int64_t n_entities;
    int64_t n_links_confirmed, n_links_suggested, n_links_rejected;
    int64_t n_case_links; /* case_entity rows */
    int64_t n_components; /* over entities, joined by links and cases */
    int64_t n_isolated;   /* components of one entity */
    int64_t largest[NETWORK_TOP_COMPONENTS];  /* sizes, largest first; 0 */
    int64_t size_bins[NETWORK_DEGREE_BINS];   /* components by size, same
                                                bins as degree (1, 2, ...) */
    int64_t degree_bins[NETWORK_DEGREE_BINS]; /* entities by degree =
                                                 confirmed links + cases */
};
/* Bin labels for the two histograms ("0", "1", "2", "3-4", ...). */
extern const char *const network_bin_labels[NETWORK_DEGREE_BINS];

/*
 * Compute the statistics over the live entities in who's network.stats
 * scope (all of them for a scope of every organisation; else only links
 * between, and case links of, the entities and cases in scope).
 * SR_EPERM without that scope; SR_OK or SR_EDB. who must not be NULL.
 */
int network_stats(struct db *db, const struct principal *who,
                  struct network_stats *out, struct sr_err *err);

#endif
