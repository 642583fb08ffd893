/*
 * test_i18n.c - the PO parser (escapes, continuation lines, plurals,
 * msgctxt, fuzzy, malformed input with line numbers, caps), lookups and
 * fallbacks over the embedded catalogues, and Accept-Language choice.
 * Expected values come from the gettext PO format description and
 * RFC 9110 section 12.5.4 (Accept-Language, q-values), worked by hand.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "harness.h"
#include "tally.h"
#include "core/i18n.h"

#include "core/banned.h" /* last: bans unsafe calls */

#define HEADER1                                        \
    "msgid \"\"\n"                                     \
    "msgstr \"\"\n"                                    \
    "\"Content-Type: text/plain; charset=UTF-8\\n\"\n" \
    "\"Plural-Forms: nplurals=1; plural=0;\\n\"\n\n"

/* Parse the literal; returns the catalogue or NULL (err filled). */
static struct i18n_catalog *
parse(const char *text, struct sr_err *err)
{
    struct i18n_catalog *c = NULL;
    sr_err_release(err);
    if (i18n_parse_po(text, strlen(text), &c, err) != SR_OK) {
        return NULL;
    }
    return c;
}

/* The parse fails with code and a message starting with want_prefix. */
static int
fails_with(const char *text, int code, const char *want_prefix)
{
    struct sr_err err = { 0 };
    struct i18n_catalog *c = (struct i18n_catalog *)&err; /* poison */
    int rc = i18n_parse_po(text, strlen(text), &c, &err);
    int ok = rc == code && err.code == code && err.msg != NULL &&
             strncmp(err.msg, want_prefix, strlen(want_prefix)) == 0 &&
             c == (struct i18n_catalog *)&err; /* *out untouched */
    if (!ok) {
        fprintf(stderr, "  rc=%d msg='%s' want '%s'\n", rc, sr_err_msg(&err),
                want_prefix);
    }
    sr_err_release(&err);
    return ok;
}

static void
test_basic(void)
{
    struct sr_err err = { 0 };
    struct i18n_catalog *c = parse(HEADER1 "# a translator comment\n"
                                           "#: src/x.c:12\n"
                                           "msgid \"Save\"\n"
                                           "msgstr \"Enregistrer\"\n"
                                           "\n"
                                           "msgid \"Cancel\"\n"
                                           "msgstr \"\"\n",
                                   &err);
    CHECK(c != NULL);
    CHECK_STR(i18n_catalog_get(c, NULL, "Save"), "Enregistrer");
    /* empty msgstr: untranslated, so absent */
    CHECK(i18n_catalog_get(c, NULL, "Cancel") == NULL);
    CHECK(i18n_catalog_get(c, NULL, "Missing") == NULL);
    /* with a context it is a different key */
    CHECK(i18n_catalog_get(c, "menu", "Save") == NULL);
    CHECK(i18n_catalog_count(c) == 1);
    CHECK(i18n_catalog_nplurals(c) == 1);
    i18n_catalog_free(c);
    i18n_catalog_free(NULL);

    /* empty file and comment-only file: valid, empty, English plurals */
    c = parse("", &err);
    CHECK(c != NULL && i18n_catalog_count(c) == 0);
    CHECK(i18n_catalog_nplurals(c) == 2);
    i18n_catalog_free(c);
    c = parse("# nothing here\n\n   \n#~ msgid \"old\"\n", &err);
    CHECK(c != NULL && i18n_catalog_count(c) == 0);
    i18n_catalog_free(c);
    sr_err_release(&err);
}

static void
test_escapes_and_continuation(void)
{
    struct sr_err err = { 0 };
    struct i18n_catalog *c =
        parse("msgid \"\"\n"
              "\"Line one\\n\"\n"
              "\"Line two\"\n"
              "msgstr \"A\\tB \\\"q\\\" back\\\\slash\\n\"\r\n"
              "  \"end\"   \n"
              "\n"
              "msgid \"x\"\n"
              "msgstr \"\\a\\b\\f\\v\\r\\'\\?\"\n",
              &err);
    CHECK(c != NULL);
    /* msgid is "Line one\nLine two"; msgstr joins its two pieces */
    CHECK_STR(i18n_catalog_get(c, NULL, "Line one\nLine two"),
              "A\tB \"q\" back\\slash\nend");
    CHECK_STR(i18n_catalog_get(c, NULL, "x"), "\a\b\f\v\r'?");
    i18n_catalog_free(c);

    /* UTF-8 byte order mark and Burmese text */
    c = parse("\xEF\xBB\xBFmsgid \"Language\"\n"
              "msgstr \"\xE1\x80\x98\xE1\x80\xAC\xE1\x80\x9E\xE1\x80\xAC\"\n",
              &err);
    CHECK(c != NULL);
    CHECK_STR(i18n_catalog_get(c, NULL, "Language"),
              "\xE1\x80\x98\xE1\x80\xAC\xE1\x80\x9E\xE1\x80\xAC");
    i18n_catalog_free(c);
    sr_err_release(&err);
}

static void
test_context_and_fuzzy(void)
{
    struct sr_err err = { 0 };
    struct i18n_catalog *c = parse("msgctxt \"verb\"\n"
                                   "msgid \"Record\"\n"
                                   "msgstr \"Enregistrer\"\n"
                                   "\n"
                                   "msgctxt \"noun\"\n"
                                   "msgid \"Record\"\n"
                                   "msgstr \"Fiche\"\n"
                                   "\n"
                                   "msgid \"Record\"\n"
                                   "msgstr \"Dossier\"\n"
                                   "\n"
                                   "msgctxt \"\"\n"
                                   "msgid \"Record\"\n"
                                   "msgstr \"Vide\"\n"
                                   "\n"
                                   "#, fuzzy, c-format\n"
                                   "msgid \"Hello %s\"\n"
                                   "msgstr \"Bonjour %s\"\n"
                                   "#, c-format\n"
                                   "msgid \"Bye %s\"\n"
                                   "msgstr \"Salut %s\"\n",
                                   &err);
    CHECK(c != NULL);
    CHECK_STR(i18n_catalog_get(c, "verb", "Record"), "Enregistrer");
    CHECK_STR(i18n_catalog_get(c, "noun", "Record"), "Fiche");
    CHECK_STR(i18n_catalog_get(c, NULL, "Record"), "Dossier");
    /* msgctxt "" is a context of its own, distinct from none */
    CHECK_STR(i18n_catalog_get(c, "", "Record"), "Vide");
    CHECK(i18n_catalog_get(c, "other", "Record") == NULL);
    /* fuzzy entries are skipped; the flag does not leak to the next */
    CHECK(i18n_catalog_get(c, NULL, "Hello %s") == NULL);
    CHECK_STR(i18n_catalog_get(c, NULL, "Bye %s"), "Salut %s");
    CHECK(i18n_catalog_count(c) == 5);
    i18n_catalog_free(c);
    sr_err_release(&err);
}

static void
test_plurals(void)
{
    struct sr_err err = { 0 };
    /* English rule, n != 1 */
    struct i18n_catalog *c =
        parse("msgid \"\"\n"
              "msgstr \"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n"
              "\n"
              "msgid \"%d file\"\n"
              "msgid_plural \"%d files\"\n"
              "msgstr[0] \"%d fichier\"\n"
              "msgstr[1] \"%d fichiers\"\n",
              &err);
    CHECK(c != NULL);
    CHECK(i18n_catalog_nplurals(c) == 2);
    CHECK_STR(i18n_catalog_getp(c, NULL, "%d file", 1), "%d fichier");
    CHECK_STR(i18n_catalog_getp(c, NULL, "%d file", 0), "%d fichiers");
    CHECK_STR(i18n_catalog_getp(c, NULL, "%d file", 2), "%d fichiers");
    CHECK_STR(i18n_catalog_get(c, NULL, "%d file"), "%d fichier");
    i18n_catalog_free(c);

    /*
     * The three-form Slavic rule from the gettext manual (Russian):
     * n=1,21,101 -> 0; n=2..4,22 -> 1; n=0,5..20,111,112 -> 2.
     */
    c = parse("msgid \"\"\n"
              "msgstr \"\"\n"
              "\"Plural-Forms: nplurals=3; plural=n%10==1 && n%100!=11 ? 0 "
              ": n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2;\\n\"\n"
              "\n"
              "msgid \"a\"\n"
              "msgid_plural \"as\"\n"
              "msgstr[0] \"one\"\n"
              "msgstr[1] \"few\"\n"
              "msgstr[2] \"many\"\n",
              &err);
    CHECK(c != NULL);
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 1), "one");
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 21), "one");
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 101), "one");
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 2), "few");
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 4), "few");
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 22), "few");
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 0), "many");
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 5), "many");
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 11), "many");
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 12), "many");
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 111), "many");
    i18n_catalog_free(c);

    /*
     * Arithmetic precedence and left associativity: 10 - 2 - 3 is 5 (not
     * 11), and n + 1 * 2 == 6 / 2 holds only for n = 1 (* before +).
     */
    c = parse("msgid \"\"\n"
              "msgstr \"\"\n"
              "\"Plural-Forms: nplurals=3; plural=n > 10 - 2 - 3 ? 1 : "
              "n + 1 * 2 == 6 / 2 ? 2 : 0;\\n\"\n"
              "\n"
              "msgid \"a\"\n"
              "msgid_plural \"as\"\n"
              "msgstr[0] \"rest\"\n"
              "msgstr[1] \"above five\"\n"
              "msgstr[2] \"one\"\n",
              &err);
    CHECK(c != NULL);
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 0), "rest");
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 1), "one");
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 3), "rest");
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 5), "rest");
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 6), "above five");
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 11), "above five");
    i18n_catalog_free(c);

    /* nplurals=1 (Burmese, Thai, ...): one form for every n */
    c = parse(HEADER1 "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"x\"\n",
              &err);
    CHECK(c != NULL);
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 1), "x");
    CHECK_STR(i18n_catalog_getp(c, NULL, "a", 7), "x");
    i18n_catalog_free(c);
    sr_err_release(&err);
}

static void
test_malformed(void)
{
    CHECK(fails_with("msgid \"a\"\nmsgstr \"b\n", SR_EINVAL,
                     "line 2: unterminated string"));
    CHECK(fails_with("msgid \"a\"\nmsgstr \"b\\z\"\n", SR_EINVAL,
                     "line 2: unknown escape"));
    CHECK(fails_with("\n\nmsgstr \"b\"\n", SR_EINVAL,
                     "line 3: msgstr without msgid"));
    CHECK(fails_with("msgid \"a\"\nmsgid \"b\"\nmsgstr \"c\"\n", SR_EINVAL,
                     "line 2: msgid without msgstr"));
    CHECK(fails_with("msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"a\"\nmsgstr \"c\"\n",
                     SR_EINVAL, "line 4: duplicate msgid"));
    /* duplicate of an untranslated entry is still a duplicate */
    CHECK(fails_with("msgid \"a\"\nmsgstr \"\"\nmsgid \"a\"\nmsgstr \"c\"\n",
                     SR_EINVAL, "line 3: duplicate msgid"));
    CHECK(fails_with("msgid \"a\"\n", SR_EINVAL,
                     "line 1: entry ends without msgstr"));
    CHECK(fails_with("\"orphan\"\n", SR_EINVAL,
                     "line 1: string without a keyword"));
    CHECK(fails_with("msgid \"a\"\nmsgstr \"b\" junk\n", SR_EINVAL,
                     "line 2: unexpected text after string"));
    CHECK(fails_with("msgid \"a\"\nmsgstr b\n", SR_EINVAL,
                     "line 2: expected a string"));
    CHECK(fails_with("msgfoo \"a\"\n", SR_EINVAL, "line 1: unknown keyword"));
    CHECK(fails_with("msgid \"a\"\nmsgstr[0] \"b\"\n", SR_EINVAL,
                     "line 2: msgstr[N] without msgid_plural"));
    CHECK(fails_with("msgid \"a\"\nmsgid_plural \"b\"\nmsgstr \"c\"\n",
                     SR_EINVAL, "line 3: plural entry needs msgstr[N]"));
    CHECK(fails_with("msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[1] \"c\"\n",
                     SR_EINVAL, "line 3: msgstr[N] out of order"));
    CHECK(fails_with("msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[x] \"c\"\n",
                     SR_EINVAL, "line 3: malformed msgstr[N]"));
    /* header says 1 form, entry on line 6 gives 2 */
    CHECK(fails_with(HEADER1 "msgid \"a\"\nmsgid_plural \"b\"\n"
                             "msgstr[0] \"c\"\nmsgstr[1] \"d\"\n",
                     SR_EINVAL, "line 6: 2 plural forms"));
    CHECK(fails_with("msgid \"\"\nmsgstr \"Plural-Forms: nplurals=2; "
                     "plural=n+;\\n\"\n",
                     SR_EINVAL, "line 1: Plural-Forms plural expression is"));
    CHECK(fails_with("msgid \"\"\nmsgstr \"Plural-Forms: nplurals=2; "
                     "plural=n;\\n\"\n",
                     SR_EINVAL,
                     "line 1: Plural-Forms plural expression "
                     "gives"));
    CHECK(fails_with("msgid \"\"\nmsgstr \"Plural-Forms: nplurals=0; "
                     "plural=0;\\n\"\n",
                     SR_EINVAL, "line 1: Plural-Forms nplurals"));
    CHECK(fails_with("msgid \"\"\nmsgstr \"Content-Type: text/plain; "
                     "charset=ISO-8859-1\\n\"\n",
                     SR_EINVAL, "line 1: header charset"));
    CHECK(fails_with("msgid \"a\"\nmsgstr \"\xC0\xAF\"\n", SR_EINVAL,
                     "line 2: string is not valid UTF-8"));
    CHECK(fails_with("msgid \"a\"\nmsgstr \"\\\"\n", SR_EINVAL,
                     "line 2: unterminated string"));
    CHECK(fails_with(HEADER1 HEADER1, SR_EINVAL, "line 6: duplicate header"));

    /* NUL inside length-given text */
    struct sr_err err = { 0 };
    struct i18n_catalog *c = NULL;
    static const char nul[] = "msgid \"a\"\nmsgstr \"b\0c\"\n";
    CHECK(i18n_parse_po(nul, sizeof nul - 1, &c, &err) == SR_EINVAL);
    CHECK(c == NULL);
    CHECK(err.msg != NULL && strncmp(err.msg, "line 2: NUL", 11) == 0);
    sr_err_release(&err);
}

static void
test_caps(void)
{
    struct sr_err err = { 0 };
    struct i18n_catalog *c = NULL;
    /* over the byte cap: refused before reading (the bytes are not read) */
    CHECK(i18n_parse_po("", I18N_PO_MAX_BYTES + 1, &c, &err) == SR_ETOOBIG);
    CHECK(c == NULL);
    sr_err_release(&err);

    /* one string over I18N_PO_MAX_STRING bytes */
    size_t n = I18N_PO_MAX_STRING + 100;
    char *big = malloc(n + 64);
    CHECK(big != NULL);
    if (big == NULL) {
        return;
    }
    size_t k = 0;
    memcpy(big + k, "msgid \"", 7);
    k += 7;
    memset(big + k, 'a', I18N_PO_MAX_STRING + 1);
    k += I18N_PO_MAX_STRING + 1;
    memcpy(big + k, "\"\nmsgstr \"b\"\n", 14);
    k += 14;
    CHECK(i18n_parse_po(big, k, &c, &err) == SR_ETOOBIG);
    CHECK(err.msg != NULL &&
          strncmp(err.msg, "line 1: string longer", 21) == 0);
    sr_err_release(&err);
    free(big);

    /* I18N_PO_MAX_ENTRIES + 1 entries: "msgid \"NNNNN\"\nmsgstr \"x\"\n" */
    struct sr_buf b;
    sr_buf_init(&b, 0);
    for (int i = 0; i <= I18N_PO_MAX_ENTRIES; i++) {
        sr_buf_printf(&b, "msgid \"%d\"\nmsgstr \"x\"\n", i);
    }
    CHECK(i18n_parse_po(b.data, b.len, &c, &err) == SR_ETOOBIG);
    sr_err_release(&err);
    /* exactly the cap is fine, and every entry is found */
    b.len = 0;
    for (int i = 0; i < I18N_PO_MAX_ENTRIES; i++) {
        sr_buf_printf(&b, "msgid \"%d\"\nmsgstr \"t%d\"\n", i, i);
    }
    CHECK(i18n_parse_po(b.data, b.len, &c, &err) == SR_OK);
    CHECK(i18n_catalog_count(c) == I18N_PO_MAX_ENTRIES);
    CHECK_STR(i18n_catalog_get(c, NULL, "0"), "t0");
    CHECK_STR(i18n_catalog_get(c, NULL, "19999"), "t19999");
    i18n_catalog_free(c);
    sr_buf_release(&b);
    sr_err_release(&err);
}

static void
test_loaded(void)
{
    struct sr_err err = { 0 };
    CHECK(i18n_n_langs() == 7);
    static const char *const want[] = {
        "en", "my", "km", "th", "lo", "vi", "zh"
    };
    int loop_bad1 = 0;
    for (size_t i = 0; i < 7; i++) {
        TALLY(loop_bad1, strcmp(i18n_langs[i].code, want[i]) == 0);
        TALLY(loop_bad1, i18n_lang_valid(want[i]));
    }
    CHECK(loop_bad1 == 0);
    CHECK(!i18n_lang_valid("fr"));
    CHECK(!i18n_lang_valid("MY"));
    CHECK(!i18n_lang_valid(""));
    CHECK(!i18n_lang_valid(NULL));

    /* before loading: everything falls back to the msgid */
    CHECK_STR(i18n_tr("my", "Sign in"), "Sign in");

    CHECK(i18n_load_all(&err) == SR_OK);
    CHECK(i18n_load_all(&err) == SR_OK); /* second call: no-op */
    /* po/my.po: "Sign in" -> ဝင်ရောက်ရန် */
    CHECK_STR(i18n_tr("my", "Sign in"),
              "\xE1\x80\x9D\xE1\x80\x84\xE1\x80\xBA\xE1\x80\x9B\xE1\x80\xB1"
              "\xE1\x80\xAC\xE1\x80\x80\xE1\x80\xBA\xE1\x80\x9B\xE1\x80\x94"
              "\xE1\x80\xBA");
    /* po/th.po: "Password" -> รหัสผ่าน */
    CHECK_STR(i18n_tr("th", "Password"),
              "\xE0\xB8\xA3\xE0\xB8\xAB\xE0\xB8\xB1\xE0\xB8\xAA\xE0\xB8\x9C"
              "\xE0\xB9\x88\xE0\xB8\xB2\xE0\xB8\x99");
    /* po/zh.po: "Save" -> 保存 */
    CHECK_STR(i18n_tr("zh", "Save"), "\xE4\xBF\x9D\xE5\xAD\x98");
    /* printf conversions survive translation (vi) */
    CHECK(strstr(i18n_tr("vi", "Version %s"), "%s") != NULL);
    /* fallbacks: English, unknown language, NULL, missing msgid */
    CHECK_STR(i18n_tr("en", "Sign in"), "Sign in");
    CHECK_STR(i18n_tr("fr", "Sign in"), "Sign in");
    CHECK_STR(i18n_tr(NULL, "Sign in"), "Sign in");
    CHECK_STR(i18n_tr("my", "No such message"), "No such message");
    CHECK_STR(i18n_trc("my", "no-such-context", "Sign in"), "Sign in");
    /* one msgid, two senses: the context picks its own entry, also from
     * another file (po/totp/zh.po: "sign-in code" -> 验证码, po/zh.po:
     * "Code" -> 代码; po/referral/vi.po: "referral sender" -> Nơi gửi,
     * po/vi.po: "From" -> Từ) */
    CHECK_STR(i18n_trc("zh", "sign-in code", "Code"),
              "\xE9\xAA\x8C\xE8\xAF\x81\xE7\xA0\x81");
    CHECK_STR(i18n_tr("zh", "Code"), "\xE4\xBB\xA3\xE7\xA0\x81");
    CHECK_STR(i18n_trc("zh", NULL, "Code"), "\xE4\xBB\xA3\xE7\xA0\x81");
    CHECK_STR(i18n_trc("vi", "referral sender", "From"),
              "N\xC6\xA1i g\xE1\xBB\xADi");
    CHECK_STR(i18n_tr("vi", "From"), "T\xE1\xBB\xAB");
    /* a context no catalogue has falls back to the msgid, not the plain
     * entry */
    CHECK_STR(i18n_trc("zh", "no-such-context", "Code"), "Code");
    /* plural fallback follows English rules */
    CHECK_STR(i18n_trp("my", "%d item", "%d items", 1), "%d item");
    CHECK_STR(i18n_trp("my", "%d item", "%d items", 3), "%d items");
    CHECK_STR(i18n_trp("en", "%d item", "%d items", 0), "%d items");
    /* negative counts use their absolute value, as CLDR's rules do */
    CHECK_STR(i18n_trp("en", "%d item", "%d items", -1), "%d item");
    CHECK_STR(i18n_trp("en", "%d item", "%d items", -2), "%d items");
    i18n_unload_all();
    CHECK_STR(i18n_tr("my", "Sign in"), "Sign in");
    CHECK(i18n_load_all(&err) == SR_OK);
    sr_err_release(&err);
}

static void
test_pick(void)
{
    CHECK_STR(i18n_pick("km", "my"), "km"); /* explicit wins */
    CHECK_STR(i18n_pick("xx", "th"), "th"); /* invalid explicit */
    CHECK_STR(i18n_pick(NULL, NULL), "en");
    CHECK_STR(i18n_pick("", ""), "en");
    CHECK_STR(i18n_pick(NULL, "my-MM,my;q=0.9,en;q=0.5"), "my");
    CHECK_STR(i18n_pick(NULL, "fr-FR, de;q=0.8, th;q=0.7, vi;q=0.6"), "th");
    CHECK_STR(i18n_pick(NULL, "en;q=0.5, zh-CN;q=0.9"), "zh"); /* by q */
    CHECK_STR(i18n_pick(NULL, "LO-la"), "lo"); /* case-insensitive */
    CHECK_STR(i18n_pick(NULL, "*"), "en");
    /* "*" covers languages not named: en is named with q=0.1, so "my" */
    CHECK_STR(i18n_pick(NULL, "en;q=0.1, *;q=0.5"), "my");
    CHECK_STR(i18n_pick(NULL, "vi;q=0.9, *;q=0.5"), "vi");
    /* q=0 means "not acceptable" */
    CHECK_STR(i18n_pick(NULL, "my;q=0, km;q=0.1"), "km");
    CHECK_STR(i18n_pick(NULL, "my;q=0"), "en");
    CHECK_STR(i18n_pick(NULL, "th;q=0.000"), "en");
    /* ties: the earlier range wins */
    CHECK_STR(i18n_pick(NULL, "vi;q=0.5, th;q=0.5"), "vi");
    /* garbage and malformed q-values are skipped, not fatal */
    CHECK_STR(i18n_pick(NULL, ";;,,, =;q=,\x01\xff"), "en");
    CHECK_STR(i18n_pick(NULL, "my;q=2, th;q=abc, km;q=1.5, lo;q=0.3"), "lo");
    CHECK_STR(i18n_pick(NULL, "myanmar, khm, thai"), "en");
    CHECK_STR(i18n_pick(NULL, "  km  ;  q=0.8 , en;q=0.7"), "km");
    CHECK_STR(i18n_pick(NULL, "en-US,en;q=0.9,my;q=0.8"), "en");
}

/* 1 if i18n_collate(lang) puts the n labels in exactly the given order:
 * each before every later one, and equal to itself. */
static int
in_order(const char *lang, const char *const *labels, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i18n_collate(lang, labels[i], labels[i]) != 0) {
            return 0;
        }
        for (size_t j = i + 1; j < n; j++) {
            if (i18n_collate(lang, labels[i], labels[j]) >= 0 ||
                i18n_collate(lang, labels[j], labels[i]) <= 0) {
                return 0;
            }
        }
    }
    return 1;
}

static void
test_collate(void)
{
    /* Thai dictionary order: a preposed vowel after its consonant, so
     * Chiang Mai (เชียงใหม่, written with เ first) sorts under ช, before
     * Songkhla (ส), not after every consonant as code points put it;
     * Krabi (กระ: sara a U+0E30) before Bangkok (กรุ: sara u U+0E38) */
    static const char *const th[] = { "กระบี่", "กรุงเทพมหานคร", "ชลบุรี", "เชียงใหม่",
                                      "สงขลา" };
    CHECK(in_order("th", th, 5));
    CHECK(strcmp("เชียงใหม่", "สงขลา") > 0); /* code points disagree */
    /* a tone mark only breaks ties: ก่า (ka with mai ek) before กาก */
    static const char *const th_tone[] = { "กา", "ก่า", "กาก" };
    CHECK(in_order("th", th_tone, 3));
    /* Lao: the same rule with its own vowels (ເ U+0EC0) */
    static const char *const lo[] = { "ຈຳປາສັກ", "ເຊກອງ", "ວຽງຈັນ" };
    CHECK(in_order("lo", lo, 3));
    /* Vietnamese alphabet: a < ă < â, d < đ (before e ... h), tones only
     * break ties: Bạc Liêu < Bắc Giang < Bình Dương (code points put
     * Bình, U+00EC, before Bắc, U+1EAF) and Điện Biên before Hà Nội */
    static const char *const vi[] = { "Bạc Liêu",  "Bắc Giang", "Bình Dương",
                                      "Cà Mau",    "Dak",       "Đà Nẵng",
                                      "Điện Biên", "Hà Nội" };
    CHECK(in_order("vi", vi, 8));
    CHECK(strcmp("Bình Dương", "Bắc Giang") < 0);
    /* tones in the dictionaries' order, not the bytes' (mã, C3 A3, is
     * before mả, E1 BA A3, in UTF-8) */
    static const char *const vi_tone[] = { "ma", "mà", "mả", "mã",
                                           "má", "mạ", "me" };
    CHECK(in_order("vi", vi_tone, 7));
    /* English: case and Latin diacritics only break ties, đ is d */
    static const char *const en[] = { "bago", "Chiang Mai", "Đà Nẵng",
                                      "Dak Lak", "Yangon" };
    CHECK(in_order("en", en, 5));
    CHECK(in_order("my", en, 5));
    CHECK(i18n_collate(NULL, "Hà Nội", "ha noi") != 0); /* total order */
    /* Burmese and Khmer: code point order is the consonants' order */
    static const char *const my[] = { "ကချင်", "ချင်း", "မွန်", "ရန်ကုန်" };
    CHECK(in_order("my", my, 4));
    /* invalid UTF-8 falls back to bytes, never crashes */
    CHECK(i18n_collate("th", "\xff\xfe", "\xff\xfe") == 0);
    CHECK(i18n_collate("vi", "a\xff", "a") > 0);
}

int
main(void)
{
    test_basic();
    test_escapes_and_continuation();
    test_context_and_fuzzy();
    test_plurals();
    test_malformed();
    test_caps();
    test_loaded();
    test_pick();
    test_collate();
    i18n_unload_all();
    return TEST_DONE("test_i18n");
}
