/*
 * fuzz_contact_import.c - libFuzzer target for the contact import's
 * checking pass (contact_import.c): arbitrary bytes as a CSV file, with
 * and without an HXL row, through the parser, the column mapping and the
 * row validation. The sanitizers do the judging.
 *   make fuzz   (or: make O=build/fuzz CC=clang ... build/fuzz/fuzz_contact_import)
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hotline/contact_import.h"
#include "core/gazetteer.h"

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
on_error(int64_t line, const char *column, const char *msg, void *ctx)
{
    (void)line;
    (void)msg;
    (*(size_t *)ctx) += column[0] != '\0';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    FILE *f = fmemopen((void *)data, size, "r");
    if (f == NULL) {
        return 0;
    }
    size_t n = 0;
    struct import_opts o = { (int)(data[0] & 1), 7 * 3600, 0, "TH" };
    struct import_sink sink = { on_error, NULL, NULL, &n };
    struct import_report rep;
    struct sr_err err = { 0 };
    (void)gaz_count();
    (void)contact_import_check(f, &o, &sink, &rep, &err); /* any result */
    sr_err_release(&err);
    fclose(f);
    return 0;
}
