/*
 * test_field.c - the shared input field checks (field.h): each refusal
 * names the field and never the value.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <string.h>

#include "core/field.h"
#include "harness.h"

#include "core/banned.h"

static const struct vocab_item colours[] = {
    { "red", "Red" },
    { "blue", "Blue" },
    { NULL, NULL },
};

/* rc is SR_EINVAL and the message starts with want and lacks secret */
static int
refused(int rc, struct sr_err *err, const char *want, const char *secret)
{
    const char *m = sr_err_msg(err);
    int ok = rc == SR_EINVAL && strncmp(m, want, strlen(want)) == 0 &&
             (secret == NULL || strstr(m, secret) == NULL);
    sr_err_release(err);
    return ok;
}

int
main(void)
{
    struct sr_err err = { 0 };
    CHECK(field_blank(NULL) && field_blank(""));
    CHECK(!field_blank(" "));

    CHECK(field_text(NULL, 3, "note", &err) == SR_OK);
    CHECK(field_text("abc", 3, "note", &err) == SR_OK);
    /* lengths in characters (UTF-16 code units), as maxlength counts */
    CHECK(field_text("\xe1\x80\x80", 1, "note", &err) == SR_OK); /* 1 char */
    CHECK(refused(field_text("abcd", 3, "note", &err), &err,
                  "note: longer than 3 characters", "abcd"));
    /* three Burmese letters, 9 bytes: within 3 characters */
    CHECK(field_text("\xe1\x80\x80\xe1\x80\x81\xe1\x80\x82", 3, "note", &err) ==
          SR_OK);
    CHECK(refused(field_text("a\xe1\x80\x81\xe1\x80\x82", 2, "note", &err),
                  &err, "note: longer than 2 characters", NULL));
    /* U+1F600 is two UTF-16 code units, as a browser counts it */
    CHECK(field_utf16_len("\xf0\x9f\x98\x80") == 2);
    CHECK(field_utf16_len("a\xe1\x80\x80\xc3\xa9") == 3);
    CHECK(refused(field_text("\xf0\x9f\x98\x80", 1, "note", &err), &err,
                  "note: longer than 1 characters", NULL));
    /* the storage cap: 4 bytes a character */
    CHECK(refused(field_text("\xe1\x80\x80\xe1\x80\x80", 1, "note", &err), &err,
                  "note: longer than 4 bytes", NULL));
    CHECK(refused(field_text("a\xff", 9, "note", &err), &err,
                  "note: not valid UTF-8", NULL));

    /* the collector keeps every refused field, the first one's text in
     * err, and one refusal a field */
    struct field_errs fe = { .err = &err };
    CHECK(field_check_vocab(&fe, colours, "", 1, "colour") == SR_EINVAL);
    CHECK(field_check_phone(&fe, "call me", "phone") == SR_EINVAL);
    CHECK(field_check_text(&fe, "abcd", 3, "note") == SR_EINVAL);
    CHECK(field_check_text(&fe, "abc", 3, "other") == SR_OK);
    CHECK(field_check_vocab(&fe, colours, "mauve", 0, "colour") == SR_EINVAL);
    CHECK(fe.n == 3);
    CHECK(field_errs_rc(&fe) == SR_EINVAL);
    CHECK(strcmp(fe.e[0].field, "colour") == 0 &&
          strcmp(fe.e[0].msgid, "Required.") == 0);
    CHECK(strcmp(fe.e[1].field, "phone") == 0 &&
          strcmp(fe.e[1].msgid, "Not a phone number.") == 0);
    CHECK(strcmp(fe.e[2].field, "note") == 0 &&
          strcmp(fe.e[2].msgid, "Too long.") == 0);
    CHECK(strcmp(field_errs_msgid(&fe, "phone"), "Not a phone number.") == 0);
    CHECK(field_errs_msgid(&fe, "other") == NULL);
    CHECK(strcmp(sr_err_msg(&err), "colour: required") == 0);
    sr_err_release(&err);
    struct field_errs none = { .err = NULL };
    CHECK(field_errs_rc(&none) == SR_OK);
    /* more refusals than room: kept up to FIELD_ERRS_MAX, still refused */
    static const char *const names[] = {
        "f00", "f01", "f02", "f03", "f04", "f05", "f06", "f07", "f08",
        "f09", "f10", "f11", "f12", "f13", "f14", "f15", "f16", "f17",
        "f18", "f19", "f20", "f21", "f22", "f23", "f24", "f25",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        field_fail(&none, names[i], "Required.", "%s: required", names[i]);
    }
    CHECK(none.n == FIELD_ERRS_MAX);
    CHECK(field_errs_rc(&none) == SR_EINVAL);

    CHECK(field_vocab(colours, "red", 1, "colour", &err) == SR_OK);
    CHECK(field_vocab(colours, "", 0, "colour", &err) == SR_OK);
    CHECK(refused(field_vocab(colours, "", 1, "colour", &err), &err,
                  "colour: required", NULL));
    CHECK(refused(field_vocab(colours, "mauve", 0, "colour", &err), &err,
                  "colour: not one of the allowed values", "mauve"));

    CHECK(field_place("", "", "country", "province", &err) == SR_OK);
    CHECK(field_place("TH", "TH-90", "country", "province", &err) == SR_OK);
    CHECK(field_place("", "TH-90", "country", "province", &err) == SR_OK);
    CHECK(refused(field_place("th", "", "country", "province", &err), &err,
                  "country: must be an ISO 3166-1 alpha-2 code", NULL));
    CHECK(refused(field_place("THA", "", "country", "province", &err), &err,
                  "country:", NULL));
    CHECK(refused(field_place("", "TH-99", "country", "province", &err), &err,
                  "province: not a province in the gazetteer", "TH-99"));
    CHECK(refused(field_place("MM", "TH-90", "country", "province", &err), &err,
                  "province: not in the country given", NULL));
    CHECK(strcmp(field_country_of("MM", "TH-90"), "MM") == 0);
    CHECK(strcmp(field_country_of("", "TH-90"), "TH") == 0);
    CHECK(strcmp(field_country_of(NULL, NULL), "") == 0);
    CHECK(strcmp(field_country_of("", "XX-00"), "") == 0);

    CHECK(field_phone("", "phone", &err) == SR_OK);
    CHECK(field_phone("+66 (81) 555-0100", "phone", &err) == SR_OK);
    CHECK(field_phone("112", "phone", &err) == SR_OK);
    CHECK(refused(field_phone("12", "phone", &err), &err,
                  "phone: at least 3 digits needed", NULL));
    CHECK(refused(field_phone("081 call me", "caller_phone", &err), &err,
                  "caller_phone: only digits", "call me"));
    CHECK(
        refused(field_phone("123456789012345678901234567890123", "phone", &err),
                &err, "phone: longer than 32 characters", "1234567"));
    return TEST_DONE("test_field");
}
