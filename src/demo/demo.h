/*
 * demo.h - synthetic demo data for a workspace: organisations and one
 * user per role, later extended with contacts and cases. Every name it
 * makes says it is synthetic.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_DEMO_H
#define SR_DEMO_H

#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "base/workspace.h"

/*
 * Fill ws with synthetic data drawn from seed, mark it synthetic in its
 * settings, and print each demo user's name and new random password once
 * to out. Returns SR_OK or the first error.
 */
int demo_fill(struct ws *ws, uint64_t seed, FILE *out, struct sr_err *err);

#endif
