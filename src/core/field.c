/*
 * field.c - the input field checks shared by the domain modules
 * (contacts, cases, people): see field.h. Owns no data and no SQL; the
 * gazetteer lookup is gaz_find().
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/field.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/gazetteer.h"
#include "core/i18n.h"

#include "core/banned.h"

int
field_blank(const char *s)
{
    return s == NULL || s[0] == '\0';
}

int
field_fail(struct field_errs *fe, const char *field, const char *msgid,
           const char *fmt, ...)
{
    if (field_errs_msgid(fe, field) != NULL) {
        return SR_EINVAL;
    }
    if (fe->n == 0 && fe->err != NULL) {
        char tmp[512];
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
        va_end(ap);
        sr_err_set(fe->err, SR_EINVAL, "%s", n < 0 ? "invalid input" : tmp);
    }
    if (fe->n < FIELD_ERRS_MAX) {
        fe->e[fe->n].field = field;
        fe->e[fe->n].msgid = msgid;
        fe->n++;
    }
    return SR_EINVAL;
}

const char *
field_errs_msgid(const struct field_errs *fe, const char *field)
{
    for (size_t i = 0; fe != NULL && i < fe->n; i++) {
        if (strcmp(fe->e[i].field, field) == 0) {
            return fe->e[i].msgid;
        }
    }
    return NULL;
}

int
field_errs_rc(const struct field_errs *fe)
{
    return fe->n > 0 ? SR_EINVAL : SR_OK;
}

size_t
field_utf16_len(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if ((*p & 0xC0) != 0x80) {
            n += *p >= 0xF0 ? 2 : 1; /* a 4-byte sequence: a surrogate pair */
        }
    }
    return n;
}

int
field_text(const char *s, size_t max, const char *field, struct sr_err *err)
{
    struct field_errs fe = { .err = err };
    return field_check_text(&fe, s, max, field);
}

int
field_check_text(struct field_errs *fe, const char *s, size_t max,
                 const char *field)
{
    if (field_blank(s)) {
        return SR_OK;
    }
    size_t n = strlen(s);
    if (n > FIELD_BYTES_PER_CHAR * max) {
        return field_fail(fe, field, N_("Too long."),
                          "%s: longer than %zu bytes", field,
                          FIELD_BYTES_PER_CHAR * max);
    }
    if (!sr_utf8_valid(s, n)) {
        return field_fail(fe, field, N_("Not valid text."),
                          "%s: not valid UTF-8 text", field);
    }
    if (field_utf16_len(s) > max) {
        return field_fail(fe, field, N_("Too long."),
                          "%s: longer than %zu characters", field, max);
    }
    return SR_OK;
}

int
field_vocab(const struct vocab_item *list, const char *code, int is_required,
            const char *field, struct sr_err *err)
{
    struct field_errs fe = { .err = err };
    return field_check_vocab(&fe, list, code, is_required, field);
}

int
field_check_vocab(struct field_errs *fe, const struct vocab_item *list,
                  const char *code, int is_required, const char *field)
{
    if (field_blank(code)) {
        return is_required ? field_fail(fe, field, N_("Required."),
                                        "%s: required", field)
                           : SR_OK;
    }
    if (vocab_find(list, code) < 0) {
        return field_fail(fe, field, N_("Not one of the allowed values."),
                          "%s: not one of the allowed values", field);
    }
    return SR_OK;
}

int
field_place(const char *country, const char *province, const char *field_c,
            const char *field_p, struct sr_err *err)
{
    struct field_errs fe = { .err = err };
    return field_check_place(&fe, country, province, field_c, field_p);
}

int
field_check_place(struct field_errs *fe, const char *country,
                  const char *province, const char *field_c,
                  const char *field_p)
{
    if (!field_blank(country) &&
        !(strlen(country) == 2 && country[0] >= 'A' && country[0] <= 'Z' &&
          country[1] >= 'A' && country[1] <= 'Z')) {
        return field_fail(fe, field_c, N_("Not one of the allowed values."),
                          "%s: must be an ISO 3166-1 alpha-2 code", field_c);
    }
    if (field_blank(province)) {
        return SR_OK;
    }
    const struct gaz_division *d = gaz_find(province);
    if (d == NULL) {
        return field_fail(fe, field_p, N_("Not one of the allowed values."),
                          "%s: not a province in the gazetteer", field_p);
    }
    if (!field_blank(country) && strcmp(d->country, country) != 0) {
        return field_fail(fe, field_p, N_("Not in the country chosen."),
                          "%s: not in the country given", field_p);
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
    struct field_errs fe = { .err = err };
    return field_check_phone(&fe, phone, field);
}

int
field_check_phone(struct field_errs *fe, const char *phone, const char *field)
{
    if (field_blank(phone)) {
        return SR_OK;
    }
    size_t n = strlen(phone), digits = 0;
    if (n > 32) {
        return field_fail(fe, field, N_("Too long."),
                          "%s: longer than 32 characters", field);
    }
    for (size_t i = 0; i < n; i++) {
        char c = phone[i];
        if (c >= '0' && c <= '9') {
            digits++;
        } else if (!(c == '+' || c == '-' || c == ' ' || c == '(' || c == ')' ||
                     c == '.')) {
            return field_fail(fe, field, N_("Not a phone number."),
                              "%s: only digits, spaces and + - ( ) are "
                              "allowed",
                              field);
        }
    }
    if (digits < 3) {
        return field_fail(fe, field, N_("Not a phone number."),
                          "%s: at least 3 digits needed", field);
    }
    return SR_OK;
}
