/*
 * gazetteer.h - first-level divisions (ISO 3166-2) of KH, CN, LA, MM, TH,
 * VN, MY and ID, shipped in the binary (data/gazetteer.tsv).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_GAZETTEER_H
#define SR_GAZETTEER_H

#include <stddef.h>

struct gaz_division {
    const char *code;       /* "TH-90" */
    const char *country;    /* "TH" */
    const char *name;       /* English name, "Songkhla" */
    const char *local_name; /* name in the country's script, or "" */
    const char *kind;       /* province, region, state, ... */
};

/* Caps for gaz_sorted()'s callers: divisions of one country, of all. */
enum { GAZ_MAX_COUNTRY = 100, GAZ_MAX = 400 };

/*
 * Parse the embedded table once (thread-safe). Returns the number of
 * divisions (0 if the table is missing, which is a build fault).
 */
size_t gaz_count(void);

/* The i-th division, by code; NULL past the end. Borrowed, static. */
const struct gaz_division *gaz_at(size_t i);

/* The division with code, or NULL. */
const struct gaz_division *gaz_find(const char *code);

/*
 * d's name for a reader of lang: in the country's own script (local_name)
 * when lang is the country's language (th for TH, my for MM, km for KH,
 * lo for LA, vi for VN, zh for CN) and the table has one, else English.
 */
const char *gaz_name(const struct gaz_division *d, const char *lang);

/*
 * The divisions of country (NULL: every division, country by country in
 * the table's order) in out[0..cap), each country's sorted by gaz_name()
 * in lang's collation (i18n_collate). Returns how many were written.
 */
size_t gaz_sorted(const char *country, const char *lang,
                  const struct gaz_division **out, size_t cap);

/* 1 if country is one of the gazetteer's countries. */
int gaz_has_country(const char *country);

#endif
