/*
 * test_person.c - the name similarity used for duplicate suggestions:
 * Jaro-Winkler against published reference values, Unicode
 * normalisation (NFC, case folding, white space) in Latin and Burmese
 * script, and value checks of person_validate naming the field.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <string.h>

#include "harness.h"
#include "person.h"

#include "banned.h"

int
main(void)
{
    /* Winkler (1990) and the usual textbook pairs: MARTHA/MARHTA
     * jaro 0.944, JW 0.961; DWAYNE/DUANE jaro 0.822, JW 0.840;
     * DIXON/DICKSONX jaro 0.767, JW 0.813 (hand-checked: m = 4, t = 0,
     * (4/5 + 4/8 + 1)/3 = 0.7667, prefix 2: 0.7667 + 0.2 * 0.2333). */
    CHECK_NEAR(person_name_similarity("MARTHA", "MARHTA"), 0.9611, 1e-3);
    CHECK_NEAR(person_name_similarity("DWAYNE", "DUANE"), 0.84, 1e-3);
    CHECK_NEAR(person_name_similarity("DIXON", "DICKSONX"), 0.8133, 1e-3);
    CHECK(person_name_similarity("same", "same") == 1.0);
    CHECK(person_name_similarity("abc", "xyz") == 0.0);
    CHECK(person_name_similarity("", "abc") == 0.0);
    /* case folding and white space */
    CHECK(person_name_similarity("  Aye   AYE ", "aye aye") == 1.0);
    /* NFC: e + combining acute equals the precomposed letter */
    CHECK(person_name_similarity("Re\xcc\x81my", "R\xc3\xa9my") == 1.0);
    /* Burmese compares by code point: the last of 11 dropped
     * (jaro = (10/11 + 10/10 + 1)/3 = 0.96970, prefix 4:
     * 0.96970 + 0.4 * 0.03030 = 0.98182) */
    const char *thiri = "\xe1\x80\x9e\xe1\x80\xae\xe1\x80\x9b\xe1\x80\xad"
                        "\xe1\x80\x9c\xe1\x80\xba\xe1\x80\x91\xe1\x80\xbd"
                        "\xe1\x80\x94\xe1\x80\xba\xe1\x80\xb8";
    const char *thiri2 = "\xe1\x80\x9e\xe1\x80\xae\xe1\x80\x9b\xe1\x80\xad"
                         "\xe1\x80\x9c\xe1\x80\xba\xe1\x80\x91\xe1\x80\xbd"
                         "\xe1\x80\x94\xe1\x80\xba";
    CHECK_NEAR(person_name_similarity(thiri, thiri2), 0.98182, 1e-4);
    /* invalid UTF-8 compares as nothing */
    CHECK(person_name_similarity("\xff\xfe", "\xff\xfe") == 0.0);

    struct person_input in;
    struct sr_err err = { 0 };
    memset(&in, 0, sizeof in);
    in.age_trafficked = -1;
    CHECK(person_validate(&in, &err) == SR_OK);
    in.phone = "call me";
    CHECK(person_validate(&in, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "phone") != NULL);
    sr_err_release(&err);
    in.phone = NULL;
    in.citizenship = "Myanmar";
    CHECK(person_validate(&in, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "citizenship") != NULL);
    sr_err_release(&err);
    in.citizenship = "MM";
    in.birth_date = "1990-01-01";
    in.birth_year = 1991;
    CHECK(person_validate(&in, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "birth_year") != NULL);
    sr_err_release(&err);
    in.birth_year = 0;
    in.gender = "robot";
    CHECK(person_validate(&in, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "gender") != NULL);
    sr_err_release(&err);
    in.gender = "female";
    in.passport = "AB\x01";
    CHECK(person_validate(&in, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "passport") != NULL);
    sr_err_release(&err);
    return TEST_DONE("test_person");
}
