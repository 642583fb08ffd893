/*
 * gazetteer.c - the shipped table of first-level divisions.
 *
 * Owns a parsed copy of data/gazetteer.tsv, made once under pthread_once
 * and read-only after: safe from any thread. gaz_find() is called several
 * times per imported row, so the load also sorts an index of the codes
 * for a binary search.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/gazetteer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "core/err.h"

#include "core/banned.h"

static struct gaz_division *divisions;
static size_t n_divisions;
static const struct gaz_division **by_code; /* sorted by code */
static char *text;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Split the next field of a tab-separated line in place. */
static char *
field(char **p)
{
    char *start = *p;
    char *end = start + strcspn(start, "\t\n");
    if (*end == '\t') {
        *end = '\0';
        *p = end + 1;
    } else {
        *end = '\0';
        *p = end;
    }
    return start;
}

static int
code_cmp(const void *a, const void *b)
{
    const struct gaz_division *const *x = a;
    const struct gaz_division *const *y = b;
    return strcmp((*x)->code, (*y)->code);
}

static void
load(void)
{
    const struct sr_asset *a = sr_asset_find("data/gazetteer.tsv");
    if (a == NULL) {
        return;
    }
    text = sr_xstrndup((const char *)a->data, a->len);
    size_t cap = 1;
    for (size_t i = 0; i < a->len; i++) {
        cap += a->data[i] == '\n';
    }
    divisions = sr_xcalloc(cap, sizeof *divisions);
    char *line = text;
    int is_header = 1;
    while (*line != '\0') {
        char *next = strchr(line, '\n');
        if (next != NULL) {
            *next = '\0';
        }
        char *p = line;
        struct gaz_division d = { 0 };
        d.code = field(&p);
        d.country = field(&p);
        d.name = field(&p);
        d.local_name = field(&p);
        d.kind = field(&p);
        if (!is_header && d.code[0] != '\0' && n_divisions < cap) {
            divisions[n_divisions++] = d;
        }
        is_header = 0;
        if (next == NULL) {
            break;
        }
        line = next + 1;
    }
    by_code = sr_xcalloc(n_divisions + 1, sizeof *by_code);
    for (size_t i = 0; i < n_divisions; i++) {
        by_code[i] = &divisions[i];
    }
    qsort(by_code, n_divisions, sizeof *by_code, code_cmp);
}

size_t
gaz_count(void)
{
    pthread_once(&once, load);
    return n_divisions;
}

const struct gaz_division *
gaz_at(size_t i)
{
    return i < gaz_count() ? &divisions[i] : NULL;
}

const struct gaz_division *
gaz_find(const char *code)
{
    if (code == NULL) {
        return NULL;
    }
    size_t lo = 0, hi = gaz_count();
    while (lo < hi) { /* binary search of by_code[lo, hi) */
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(by_code[mid]->code, code);
        if (c == 0) {
            return by_code[mid];
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

int
gaz_has_country(const char *country)
{
    if (country == NULL) {
        return 0;
    }
    for (size_t i = 0; i < gaz_count(); i++) {
        if (strcmp(divisions[i].country, country) == 0) {
            return 1;
        }
    }
    return 0;
}
