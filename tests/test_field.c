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
    CHECK(field_text("\xe1\x80\x80", 3, "note", &err) == SR_OK); /* 3 bytes */
    CHECK(refused(field_text("abcd", 3, "note", &err), &err,
                  "note: longer than 3 bytes", "abcd"));
    CHECK(refused(field_text("a\xff", 9, "note", &err), &err,
                  "note: not valid UTF-8", NULL));

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
