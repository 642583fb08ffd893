/*
 * demo_justice.h - synthetic justice events, offenders and a broker
 * network for `siren demo`.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_DEMO_JUSTICE_H
#define SR_DEMO_JUSTICE_H

#include "demo/rng.h"
#include "core/err.h"
#include "base/workspace.h"

/*
 * After demo_cases_fill(): open more cases of organisation org_code
 * (identified over the last three years, some supported by the legal-aid
 * organisation legal_aid_code) so the funnel has something to show; add
 * offenders (brokers, business owners, employers, a recruitment agency),
 * some sharing phones (suggested links, some confirmed); link them to
 * the cases; and record justice events on every case without any, by the
 * police organisation police_code or a kind of agency, shaped like the
 * field's findings: attrition at each stage, more progress with legal
 * aid, rescues without arrests, brokers arrested far more often than
 * business owners, bail after arrests. Everything goes through case.c,
 * person.c, entity.c and justice.c (checked and audited); every name
 * ends in "(synthetic)". The cases and offenders are spread over
 * org_code, police_code and shelter_code, so that the demo's
 * investigator and case worker have cases, events and offenders of their
 * own. Deterministic for a given rng state.
 */
int demo_justice_fill(struct ws *ws, struct demo_rng *rng, const char *org_code,
                      const char *legal_aid_code, const char *police_code,
                      const char *shelter_code, struct sr_err *err);

#endif
