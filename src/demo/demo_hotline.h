/*
 * demo_hotline.h - synthetic hotline traffic for the demo workspace and
 * the benchmarks.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_DEMO_HOTLINE_H
#define SR_DEMO_HOTLINE_H

#include <stdint.h>

#include "demo/rng.h"
#include "core/err.h"
#include "base/workspace.h"

/*
 * Add synthetic contacts to the demo hotline of ws (the first
 * organisation of kind hotline; logged by user demo.hotline if there is
 * one) drawn from rng: 48 months ending this month, about 68 a month
 * with seasonal variation and four broadcast spikes above 100, ~63%
 * labour rights and ~10% trafficking, plausible channels, languages,
 * sectors and provinces, phones in the synthetic range +66 80 000 xxxx
 * with some repeat callers. n_contacts 0 gives that default (about
 * 3,300); otherwise n_contacts shaped the same way. Marks the demo police
 * unit and shelter as emergency partners of the busiest provinces.
 * Written in batches, audited. Returns SR_OK or the first error.
 */
int demo_hotline(struct ws *ws, struct demo_rng *rng, int64_t n_contacts,
                 struct sr_err *err);

#endif
