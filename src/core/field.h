/*
 * field.h - the checks every domain module applies to an input field:
 * blank, bounded UTF-8 text, a code from a value list, a country and
 * province from the gazetteer, a phone number. Each refusal names the
 * field and never repeats its value (it may be an identity).
 *
 * A form reports every field it refuses at once: the field_check_*
 * functions record each refusal in a struct field_errs (the field's name
 * and a translatable msgid, N_()) and go on; the first refusal's English
 * text also goes to fe->err for the command line and the API, the same
 * text the single-error field_* functions give.
 *
 * Lengths are counted as the browser's maxlength counts them: UTF-16
 * code units (a character for the Burmese, Khmer, Thai, Lao, Vietnamese
 * and Chinese text typed here; two for a character beyond the BMP). For
 * storage safety a text is also held to 4 bytes of UTF-8 per allowed
 * character (FIELD_BYTES_PER_CHAR), which a text within the character
 * limit never exceeds.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_FIELD_H
#define SR_FIELD_H

#include <stddef.h>

#include "core/err.h"
#include "core/vocab.h"

/* Bytes of UTF-8 allowed per character of a limit. */
#define FIELD_BYTES_PER_CHAR 4

/* At most this many refusals are kept (the rest are counted only). */
#define FIELD_ERRS_MAX 24

struct field_error {
    const char *field; /* the input's name, e.g. "caller_phone" */
    const char *msgid; /* N_() text, translated when shown */
};

struct field_errs {
    struct sr_err *err; /* the first refusal's English text; may be NULL */
    size_t n;           /* refusals kept in e[] */
    struct field_error e[FIELD_ERRS_MAX];
};

/* Record that field is refused with msgid in fe; the first refusal also
 * sets fe->err to SR_EINVAL and the printf-style English text fmt. A
 * second refusal of the same field is not kept. Returns SR_EINVAL. */
int field_fail(struct field_errs *fe, const char *field, const char *msgid,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The msgid of field's refusal in fe, or NULL. */
const char *field_errs_msgid(const struct field_errs *fe, const char *field);

/* SR_OK when fe holds no refusal, else SR_EINVAL. */
int field_errs_rc(const struct field_errs *fe);

/* s's length in UTF-16 code units, as a browser's maxlength counts it
 * (s valid UTF-8). */
size_t field_utf16_len(const char *s);

/* 1 when s is NULL or empty. */
int field_blank(const char *s);

/* A blank s passes; otherwise valid UTF-8 of at most max characters
 * (UTF-16 code units) and FIELD_BYTES_PER_CHAR * max bytes, or SR_EINVAL
 * "FIELD: not valid UTF-8 text" / "FIELD: longer than N bytes" /
 * "FIELD: longer than N characters". */
int field_text(const char *s, size_t max, const char *field,
               struct sr_err *err);
int field_check_text(struct field_errs *fe, const char *s, size_t max,
                     const char *field);

/* code must be one of list's codes; a blank code passes unless
 * is_required ("FIELD: required"). SR_EINVAL "FIELD: not one of the
 * allowed values" otherwise. */
int field_vocab(const struct vocab_item *list, const char *code,
                int is_required, const char *field, struct sr_err *err);
int field_check_vocab(struct field_errs *fe, const struct vocab_item *list,
                      const char *code, int is_required, const char *field);

/* country blank or an ISO 3166-1 alpha-2 code (upper case); province
 * blank or a gazetteer code, inside country when both are given. The
 * error names field_c or field_p. */
int field_place(const char *country, const char *province, const char *field_c,
                const char *field_p, struct sr_err *err);
int field_check_place(struct field_errs *fe, const char *country,
                      const char *province, const char *field_c,
                      const char *field_p);

/* The country given, else the province's country from the gazetteer,
 * else "". */
const char *field_country_of(const char *country, const char *province);

/* A blank phone passes; otherwise at most 32 characters of digits,
 * spaces and + - ( ) . with at least 3 digits, or SR_EINVAL naming
 * field. */
int field_phone(const char *phone, const char *field, struct sr_err *err);
int field_check_phone(struct field_errs *fe, const char *phone,
                      const char *field);

#endif
