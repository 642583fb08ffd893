/*
 * demo_cases.h - synthetic cases, victims, consent and duplicates for the
 * demo workspace.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_DEMO_CASES_H
#define SR_DEMO_CASES_H

#include <stdint.h>

#include "demo/rng.h"
#include "core/err.h"
#include "base/workspace.h"

/*
 * Add synthetic cases to ws for organisation org_code (the hotline): some
 * opened from its trafficking contacts (a few made here when there are
 * none), victims with synthetic Burmese and Latin names, consent with some
 * research declines, two duplicate people (same phone; similar name) and a
 * person in two cases. Returns SR_OK or the first error.
 */
int demo_cases_fill(struct ws *ws, struct demo_rng *rng, const char *org_code,
                    struct sr_err *err);

#endif
