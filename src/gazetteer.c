/*
 * gazetteer.c - the shipped table of first-level divisions.
 *
 * Owns a parsed copy of data/gazetteer.tsv, made once under pthread_once
 * and read-only after: safe from any thread.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "gazetteer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "err.h"

#include "banned.h"

static struct gaz_division *divisions;
static size_t n_divisions;
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
    for (size_t i = 0; i < gaz_count(); i++) {
        if (strcmp(divisions[i].code, code) == 0) {
            return &divisions[i];
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
