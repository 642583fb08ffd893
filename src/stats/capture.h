/*
 * capture.h - the capture-history CSV reader of multiple systems
 * estimation (capture.c): used by `siren stats mse`, stored MSE analyses
 * and the fuzzer.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CAPTURE_H
#define SR_CAPTURE_H

#include <stddef.h>

#include "core/err.h"
#include "stats/num/mse.h"

#define MSE_CSV_MAX_BYTES ((size_t)16 * 1024 * 1024)
#define MSE_CSV_MAX_COUNT 1000000000LL /* people in one history */

/* Parse a capture-history CSV held in data[0..len): a header of list
 * names then `count`, one row per history of 0/1 values and a whole
 * count >= 0. On success initialise *t (release with mse_table_release)
 * and return SR_OK. Otherwise return SR_EINVAL or SR_ETOOBIG with
 * err->msg naming the line and column: a value other than 0/1, a
 * negative or non-integer count, a duplicate or all-zero history, a
 * wrong number of fields, a missing count column, fewer than 2 or more
 * than 15 lists, input over MSE_CSV_MAX_BYTES; *t is then untouched.
 * "line N" is the N-th CSV record, the header being line 1. Thread-safe. */
int mse_csv_parse(const char *data, size_t len, struct mse_table *t,
                  struct sr_err *err);

/* Read and parse the file at path as mse_csv_parse(); SR_EIO when it
 * cannot be read. */
int mse_csv_read_file(const char *path, struct mse_table *t,
                      struct sr_err *err);

#endif
