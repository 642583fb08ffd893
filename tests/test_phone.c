/*
 * test_phone.c - phone numbers to E.164 (core/phone.cc over
 * libphonenumber): the forms a hotline hears for one number, the caller's
 * region, numbers left as typed, overflow, and the display form.
 * Expected values are written from the national numbering plans, not
 * from the code: Thailand is country code 66 with trunk prefix 0 (mobile
 * 0 8X XXX XXXX, Bangkok fixed 02 XXX XXXX), Myanmar 95 with trunk 0
 * (mobile 09 ...), Cambodia 855 with trunk 0; Thai and Myanmar digits
 * are U+0E50-0E59 and U+1040-1049.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <string.h>

#include "core/phone.h"
#include "harness.h"

#include "core/banned.h" /* last: bans unsafe calls */

/* phone_e164(text, region) answers rc and want. */
static int
gives(const char *text, const char *region, int rc, const char *want)
{
    char out[PHONE_MAX];
    int got = phone_e164(text, region, out, sizeof out);
    if (got != rc || strcmp(out, want) != 0) {
        fprintf(stderr, "  phone_e164('%s', %s) = %d '%s', want %d '%s'\n",
                text, region != NULL ? region : "NULL", got, out, rc, want);
        return 0;
    }
    return 1;
}

static void
test_one_caller(void)
{
    /* the four forms of one Thai mobile number heard on the hotline */
    CHECK(gives("081 555 7321", "TH", 1, "+66815557321"));
    CHECK(gives("+66 81-555-7321", "TH", 1, "+66815557321"));
    CHECK(gives("66815557321", "TH", 1, "+66815557321"));
    CHECK(gives("0815557321", "TH", 1, "+66815557321"));
    CHECK(gives("(081) 555.7321", "TH", 1, "+66815557321"));
    /* in Thai digits */
    CHECK(gives("\xe0\xb9\x90\xe0\xb9\x98\xe0\xb9\x91 \xe0\xb9\x95\xe0\xb9\x95"
                "\xe0\xb9\x95 \xe0\xb9\x97\xe0\xb9\x93\xe0\xb9\x92\xe0\xb9\x91",
                "TH", 1, "+66815557321"));
    /* a Bangkok land line */
    CHECK(gives("(02) 123-4567", "TH", 1, "+6621234567"));
    /* a + number ignores the region */
    CHECK(gives("+66 81 555 7321", "MM", 1, "+66815557321"));
    CHECK(gives("+66 81 555 7321", NULL, 1, "+66815557321"));
}

static void
test_region(void)
{
    /* the same national digits read in Myanmar and in Thailand */
    CHECK(gives("09 7812 3456", "MM", 1, "+95978123456"));
    CHECK(gives("09 7812 3456", "TH", 1, "+66978123456"));
    /* Myanmar digits */
    CHECK(gives("\xe1\x81\x80\xe1\x81\x89 \xe1\x81\x87\xe1\x81\x88\xe1\x81\x81"
                "\xe1\x81\x82 \xe1\x81\x83\xe1\x81\x84\xe1\x81\x85\xe1\x81\x86",
                "MM", 1, "+95978123456"));
    CHECK(gives("012 345 678", "KH", 1, "+85512345678"));
    /* no region, or one without numbering data: national forms stay */
    CHECK(gives("0815557321", NULL, 0, "0815557321"));
    CHECK(gives("0815557321", "ZZ", 0, "0815557321"));
    CHECK(gives("0815557321", "th", 0, "0815557321"));
    CHECK(phone_region_known("TH") && phone_region_known("MM") &&
          phone_region_known("KH") && phone_region_known("LA") &&
          phone_region_known("VN") && phone_region_known("CN"));
    CHECK(!phone_region_known("ZZ") && !phone_region_known("T") &&
          !phone_region_known("THA") && !phone_region_known(NULL) &&
          !phone_region_known(""));
}

static void
test_kept(void)
{
    /* a short code and a number cut short: as typed, blanks trimmed */
    CHECK(gives(" 1191 ", "TH", 0, "1191"));
    CHECK(gives("+66 12", "TH", 0, "+66 12"));
    CHECK(gives("081 555", "TH", 0, "081 555"));
    CHECK(gives("", "TH", 0, ""));
    /* out too small for the text: -1 and "" */
    char small[8];
    CHECK(phone_e164("0815557321 ext", NULL, small, sizeof small) == -1 &&
          small[0] == '\0');
    /* too small for the E.164 form but the text fits: kept */
    char nine[12];
    CHECK(phone_e164("0815557321", "TH", nine, sizeof nine) == 0 &&
          strcmp(nine, "0815557321") == 0);
}

static void
test_display(void)
{
    char out[PHONE_MAX];
    phone_display("+66815557321", out, sizeof out);
    CHECK_STR(out, "+66 81 555 7321");
    phone_display("+95978123456", out, sizeof out);
    CHECK(strncmp(out, "+95 9", 5) == 0 && strlen(out) > 12);
    phone_display("1191", out, sizeof out);
    CHECK_STR(out, "1191");
    phone_display("", out, sizeof out);
    CHECK_STR(out, "");
}

int
main(void)
{
    test_one_caller();
    test_region();
    test_kept();
    test_display();
    return TEST_DONE("test_phone");
}
