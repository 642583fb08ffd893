/*
 * phone.h - phone numbers in one form, E.164, read by libphonenumber
 * (its C++ library behind this C interface; phone.cc is the only user of
 * it). A number is stored, blind-indexed and compared in the form
 * phone_e164() gives, so "081 555 7321", "+66 81-555-7321", "66815557321"
 * and "๐๘๑๕๕๕๗๓๒๑" are one caller. The library's own logging is off: a
 * number never reaches a log through it.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_PHONE_H
#define SR_PHONE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Room for any answer of phone_e164() and phone_display(), with its NUL. */
enum { PHONE_MAX = 64 };

/*
 * The stored form of text, a phone number as typed (digits of any script,
 * spaces, + - ( ) .), into out (size >= PHONE_MAX): E.164, "+" and the
 * digits ("+66815557321"), when libphonenumber reads it as a number of a
 * possible length for its country - the country of a leading + or 00-style
 * international prefix, else region (ISO 3166-1 alpha-2, "TH"; NULL or an
 * unknown code: none). Otherwise - a short code (1191), a number cut
 * short, no country to read it in - text as it is, without leading and
 * trailing blanks, so that the same text typed again still matches.
 * Returns 1 (E.164), 0 (kept as typed), or -1 when text does not fit in
 * out (out is then "").
 */
int phone_e164(const char *text, const char *region, char *out, size_t size);

/* 1 when region is a region code libphonenumber has numbering data for
 * ("TH", "MM"), else 0. */
int phone_region_known(const char *region);

/* The region a number is read in: country when phone_region_known(),
 * else fallback (a workspace's phone_region). */
const char *phone_region_or(const char *country, const char *fallback);

/*
 * stored (a phone_e164() answer) as a person reads it, into out (size >=
 * PHONE_MAX): an E.164 number in international format ("+66 81 555 7321"),
 * anything else as it is.
 */
void phone_display(const char *stored, char *out, size_t size);

#ifdef __cplusplus
}
#endif

#endif
