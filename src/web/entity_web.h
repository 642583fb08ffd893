/*
 * entity_web.h - offender pages: list, new, view with links, networks and
 * their statistics, the printable case file (entity_web.c). routes.c lists
 * these handlers.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_ENTITY_WEB_H
#define SR_ENTITY_WEB_H

#include "web/http.h"

int entity_web_list(struct req *req, struct resp *resp);
int entity_web_new(struct req *req, struct resp *resp);
int entity_web_add(struct req *req, struct resp *resp);
int entity_web_view(struct req *req, struct resp *resp);
int entity_web_link(struct req *req, struct resp *resp);
int entity_web_link_case(struct req *req, struct resp *resp);
int entity_web_decide(struct req *req, struct resp *resp);
int entity_web_network(struct req *req, struct resp *resp);
int entity_web_casefile(struct req *req, struct resp *resp);
int entity_web_offenders(struct req *req, struct resp *resp);
int entity_web_network_stats(struct req *req, struct resp *resp);
int entity_web_network_stats_json(struct req *req, struct resp *resp);

#endif
