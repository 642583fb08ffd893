/*
 * entity_web.h - offender pages: list, new, view with links, networks and
 * their statistics, the printable case file (entity_web.c). routes.c lists
 * these handlers.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_ENTITY_WEB_H
#define SR_ENTITY_WEB_H

#include "web/http.h"

handler_fn entity_web_list, entity_web_new, entity_web_add, entity_web_view,
    entity_web_link, entity_web_link_case, entity_web_decide,
    entity_web_network, entity_web_casefile, entity_web_offenders,
    entity_web_network_stats;

#endif
