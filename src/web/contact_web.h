/*
 * contact_web.h - the contact pages and JSON answers (routes.c lists
 * them with their policy actions).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CONTACT_WEB_H
#define SR_CONTACT_WEB_H

#include "web/http.h"

/* GET /contacts: filter form, one page of contacts (codes and
 * non-identifying columns), keyset pager. 400 naming a bad filter. */
handler_fn contact_page_list;
/* GET /contacts/new: the one-page form. */
handler_fn contact_page_new;
/* POST /contacts: save (303 to the contact) or re-render the form with
 * the field named and the input kept (400); with check=1 only list the
 * earlier contacts from the phone typed. */
handler_fn contact_page_create;
/* GET /contacts/{code}: details; identity fields for roles allowed
 * (audited), the emergency partners when in danger. 404 out of scope. */
handler_fn contact_page_view;
/* POST /contacts/{code}/delete: soft delete with a reason. */
handler_fn contact_page_delete;
/* POST /api/v1/contacts/lookup: earlier contacts from the phone in the
 * JSON ({"phone": ...}) or form body; 403 for roles without identity
 * permission; audited. */
handler_fn contact_api_lookup;
/* GET /api/v1/orgs/emergency?province=XX-NN: emergency partners. */
handler_fn contact_api_emergency;

#endif
