/*
 * demo_network.h - the synthetic referral network and report events of
 * the demo workspace (demo_network.c).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_DEMO_NETWORK_H
#define SR_DEMO_NETWORK_H

#include <stdint.h>

#include "demo/rng.h"
#include "core/err.h"
#include "base/workspace.h"

/*
 * Demo: give the demo partner organisations their directory profiles and
 * refer some of the hotline's trafficking and labour contacts (which
 * must exist already) to them, answered at each partner's pace (some
 * fast, some slow, one never). Deterministic for a seed.
 */
int demo_referrals(struct ws *ws, uint64_t seed, struct sr_err *err);

/*
 * Record synthetic demo events for the workspace's first hotline
 * organisation: broadcasts of the number, registration rounds and
 * campaigns spread over the last four years (local dates in the
 * workspace zone), chosen with seed. Titles say they are synthetic.
 * Audited like any event. SR_OK (also when there is no hotline).
 */
int demo_events(struct ws *ws, uint64_t seed, struct sr_err *err);

#endif
