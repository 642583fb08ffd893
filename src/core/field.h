/*
 * field.h - the checks every domain module applies to an input field:
 * blank, bounded UTF-8 text, a code from a value list, a country and
 * province from the gazetteer, a phone number. Each refusal names the
 * field and never repeats its value (it may be an identity).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_FIELD_H
#define SR_FIELD_H

#include <stddef.h>

#include "core/err.h"
#include "core/vocab.h"

/* 1 when s is NULL or empty. */
int field_blank(const char *s);

/* A blank s passes; otherwise at most max bytes of valid UTF-8, or
 * SR_EINVAL "FIELD: longer than N bytes" / "FIELD: not valid UTF-8
 * text". */
int field_text(const char *s, size_t max, const char *field,
               struct sr_err *err);

/* code must be one of list's codes; a blank code passes unless
 * is_required ("FIELD: required"). SR_EINVAL "FIELD: not one of the
 * allowed values" otherwise. */
int field_vocab(const struct vocab_item *list, const char *code,
                int is_required, const char *field, struct sr_err *err);

/* country blank or an ISO 3166-1 alpha-2 code (upper case); province
 * blank or a gazetteer code, inside country when both are given. The
 * error names field_c or field_p. */
int field_place(const char *country, const char *province, const char *field_c,
                const char *field_p, struct sr_err *err);

/* The country given, else the province's country from the gazetteer,
 * else "". */
const char *field_country_of(const char *country, const char *province);

/* A blank phone passes; otherwise at most 32 characters of digits,
 * spaces and + - ( ) . with at least 3 digits, or SR_EINVAL naming
 * field. */
int field_phone(const char *phone, const char *field, struct sr_err *err);

#endif
