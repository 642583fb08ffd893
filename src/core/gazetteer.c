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
#include "core/i18n.h"

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

/* The interface language written in country's script, or NULL. */
static const char *
country_lang(const char *country)
{
    static const char *const map[][2] = {
        { "TH", "th" }, { "MM", "my" }, { "KH", "km" },
        { "LA", "lo" }, { "VN", "vi" }, { "CN", "zh" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strcmp(map[i][0], country) == 0) {
            return map[i][1];
        }
    }
    return NULL;
}

const char *
gaz_name(const struct gaz_division *d, const char *lang)
{
    const char *own = country_lang(d->country);
    if (own != NULL && lang != NULL && strcmp(own, lang) == 0 &&
        d->local_name[0] != '\0') {
        return d->local_name;
    }
    return d->name;
}

size_t
gaz_sorted(const char *country, const char *lang,
           const struct gaz_division **out, size_t cap)
{
    size_t n = 0;
    size_t start = 0; /* first entry of the current country in out */
    for (size_t i = 0; i < gaz_count() && n < cap; i++) {
        const struct gaz_division *d = &divisions[i];
        if (country != NULL && strcmp(d->country, country) != 0) {
            continue;
        }
        if (n > start && strcmp(out[n - 1]->country, d->country) != 0) {
            start = n;
        }
        /* insertion into the country's run: at most 78 a country */
        size_t j = n++;
        while (j > start && i18n_collate(lang, gaz_name(out[j - 1], lang),
                                         gaz_name(d, lang)) > 0) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = d;
    }
    return n;
}
