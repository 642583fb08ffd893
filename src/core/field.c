/*
 * field.c - the input field checks shared by the domain modules
 * (contacts, cases, people): see field.h. Owns no data and no SQL; the
 * gazetteer lookup is gaz_find().
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/field.h"

#include <string.h>

#include "core/buf.h"
#include "core/gazetteer.h"

#include "core/banned.h"

int
field_blank(const char *s)
{
    return s == NULL || s[0] == '\0';
}

int
field_text(const char *s, size_t max, const char *field, struct sr_err *err)
{
    if (field_blank(s)) {
        return SR_OK;
    }
    size_t n = strlen(s);
    if (n > max) {
        return sr_err_set(err, SR_EINVAL, "%s: longer than %zu bytes", field,
                          max);
    }
    if (!sr_utf8_valid(s, n)) {
        return sr_err_set(err, SR_EINVAL, "%s: not valid UTF-8 text", field);
    }
    return SR_OK;
}

int
field_vocab(const struct vocab_item *list, const char *code, int is_required,
            const char *field, struct sr_err *err)
{
    if (field_blank(code)) {
        return is_required ? sr_err_set(err, SR_EINVAL, "%s: required", field)
                           : SR_OK;
    }
    if (vocab_find(list, code) < 0) {
        return sr_err_set(err, SR_EINVAL, "%s: not one of the allowed values",
                          field);
    }
    return SR_OK;
}

int
field_place(const char *country, const char *province, const char *field_c,
            const char *field_p, struct sr_err *err)
{
    if (!field_blank(country) &&
        !(strlen(country) == 2 && country[0] >= 'A' && country[0] <= 'Z' &&
          country[1] >= 'A' && country[1] <= 'Z')) {
        return sr_err_set(err, SR_EINVAL,
                          "%s: must be an ISO 3166-1 alpha-2 code", field_c);
    }
    if (field_blank(province)) {
        return SR_OK;
    }
    const struct gaz_division *d = gaz_find(province);
    if (d == NULL) {
        return sr_err_set(err, SR_EINVAL, "%s: not a province in the gazetteer",
                          field_p);
    }
    if (!field_blank(country) && strcmp(d->country, country) != 0) {
        return sr_err_set(err, SR_EINVAL, "%s: not in the country given",
                          field_p);
    }
    return SR_OK;
}

const char *
field_country_of(const char *country, const char *province)
{
    if (!field_blank(country)) {
        return country;
    }
    const struct gaz_division *d =
        field_blank(province) ? NULL : gaz_find(province);
    return d != NULL ? d->country : "";
}

int
field_phone(const char *phone, const char *field, struct sr_err *err)
{
    if (field_blank(phone)) {
        return SR_OK;
    }
    size_t n = strlen(phone), digits = 0;
    if (n > 32) {
        return sr_err_set(err, SR_EINVAL, "%s: longer than 32 characters",
                          field);
    }
    for (size_t i = 0; i < n; i++) {
        char c = phone[i];
        if (c >= '0' && c <= '9') {
            digits++;
        } else if (!(c == '+' || c == '-' || c == ' ' || c == '(' || c == ')' ||
                     c == '.')) {
            return sr_err_set(err, SR_EINVAL,
                              "%s: only digits, spaces and + - ( ) are "
                              "allowed",
                              field);
        }
    }
    if (digits < 3) {
        return sr_err_set(err, SR_EINVAL, "%s: at least 3 digits needed",
                          field);
    }
    return SR_OK;
}
