/*
 * i18n.h - SIREN's interface languages: gettext PO catalogues compiled
 * into the binary and read by SIREN itself (no gettext, no system locale).
 *
 * Msgids are English, so English needs no catalogue. Code marks UI text as
 * the second argument of T(r, "...") (defined by the web layer) or with
 * N_("...") where the text is only looked up later; tools/po-extract and
 * tools/po-check find both.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_I18N_H
#define SR_I18N_H

#include <stddef.h>

#include "core/err.h"

/* Marks a string literal for extraction; translates nothing by itself. */
#define N_(s) (s)

/* Caps on one PO text; i18n_parse_po refuses anything bigger. */
#define I18N_PO_MAX_BYTES   ((size_t)4 * 1024 * 1024)
#define I18N_PO_MAX_ENTRIES 20000
#define I18N_PO_MAX_STRING  ((size_t)64 * 1024) /* one msgid/msgstr, bytes */
#define I18N_MAX_PLURALS    8                   /* nplurals in 1..8 */

struct i18n_lang {
    const char *code;         /* ISO 639-1: "en", "my", ... */
    const char *native_name;  /* the language's name in itself, UTF-8 */
    const char *english_name; /* its English name */
};

/*
 * The interface languages, in menu order: en, my, km, th, lo, vi, zh
 * ("zh" is Simplified Chinese). i18n_n_langs() entries; static storage.
 */
extern const struct i18n_lang i18n_langs[];
size_t i18n_n_langs(void);

/* A parsed catalogue; opaque. */
struct i18n_catalog;

/*
 * Parse every embedded po/<code>.po for the languages above, once. Call
 * it before starting threads; a second call returns SR_OK and does
 * nothing. A language without a PO file simply has no translations.
 * Returns SR_OK, or the first parse error (err names the file and line:
 * "po/my.po: line 12: unterminated string"); then nothing is loaded.
 */
int i18n_load_all(struct sr_err *err);

/* Free what i18n_load_all() loaded (for leak checkers); not thread-safe. */
void i18n_unload_all(void);

/* 1 if code is exactly one of the language codes above, else 0. */
int i18n_lang_valid(const char *code);

/*
 * The translation of msgid (no context) in lang, or msgid itself when
 * lang is NULL/unknown/English, nothing is loaded, or the entry is
 * missing, fuzzy or untranslated. The result is static or borrowed from
 * the catalogue (valid until i18n_unload_all). Thread-safe and lock-free
 * after i18n_load_all().
 */
const char *i18n_tr(const char *lang, const char *msgid);

/*
 * The plural form of msgid for count n in lang, chosen by the catalogue's
 * Plural-Forms expression, applied to |n| (as CLDR does for negative
 * counts). Falls back to English rules: msgid if |n| == 1,
 * else plural. Same lifetime and thread-safety as i18n_tr().
 */
const char *i18n_trp(const char *lang, const char *msgid, const char *plural,
                     long n);

/* As i18n_tr() for the entry with msgctxt ctxt (NULL = no context). */
const char *i18n_trc(const char *lang, const char *ctxt, const char *msgid);

/*
 * Choose the interface language. explicit_choice (query, cookie or user
 * setting; may be NULL) wins if i18n_lang_valid(). Otherwise the range of
 * the Accept-Language header (may be NULL) with the highest q whose
 * primary subtag is one of our codes (case-insensitive: "my-MM" -> "my";
 * "*" -> the first language no other range names), earlier ranges winning
 * ties; q=0 refuses; malformed ranges are skipped. Otherwise "en".
 * Returns a code from i18n_langs[] (static storage).
 */
const char *i18n_pick(const char *explicit_choice, const char *accept_language);

/*
 * Compare two UTF-8 labels (a place name, say) in the order a reader of
 * lang expects; <0, 0, >0 as strcmp. The rules, a tailoring of code-point
 * order small enough to check by hand (no system locale, no data file):
 * - th and lo: a preposed vowel (Thai U+0E40-0E44, Lao U+0EC0-0EC4) sorts
 *   after the consonant it precedes in writing, and tone marks (Thai
 *   U+0E48-0E4B, Lao U+0EC8-0ECB) only break ties, as in their
 *   dictionaries;
 * - vi: the letters in the Vietnamese alphabet's order, a < ă < â, d < đ,
 *   e < ê, o < ô < ơ, u < ư, each before the next base letter, and the five
 *   tone marks only breaking ties, in the dictionaries' order (none,
 *   huyền, hỏi, ngã, sắc, nặng: ma < mà < mả < mã < má < mạ);
 * - every language: case ignored first (simple lowercase mapping); in
 *   the others, Latin letters without their diacritics first (đ as d), so
 *   an English reader finds Đà Nẵng under D; my and km follow code-point
 *   order, which is their consonants' order; zh too (the radical-stroke
 *   order of the CJK block, not pinyin).
 * Ties fall back to strcmp, so the order is total. Invalid UTF-8 compares
 * by bytes from the first bad byte.
 */
int i18n_collate(const char *lang, const char *a, const char *b);

/*
 * Parse len bytes of PO text (UTF-8; need not be NUL-terminated) into a
 * new catalogue stored in *out (caller frees with i18n_catalog_free).
 * Understands comments, #, fuzzy (such entries are dropped), #~ obsolete
 * lines (ignored), msgctxt, msgid, msgid_plural, msgstr, msgstr[N],
 * continuation strings, the escapes \n \t \r \a \b \f \v \" \' \? \\,
 * and the header entry (Content-Type must be UTF-8 if given;
 * Plural-Forms: nplurals=1..8; plural=C expression in n). Entries with
 * an empty msgstr (or any empty msgstr[N]) are untranslated and dropped.
 * Returns SR_OK; SR_EINVAL with "line N: ..." in err for malformed input
 * (duplicate msgid, msgstr without msgid, bad escape, invalid UTF-8, wrong
 * number of plural forms, ...); SR_ETOOBIG past the caps above. *out is
 * written only on success.
 */
int i18n_parse_po(const char *text, size_t len, struct i18n_catalog **out,
                  struct sr_err *err);

/* Free c and its strings; NULL is a no-op. */
void i18n_catalog_free(struct i18n_catalog *c);

/*
 * The translation (msgstr, or msgstr[0] of a plural entry) of msgid under
 * ctxt (NULL = no context) in c, or NULL if c has none. Borrowed from c.
 */
const char *i18n_catalog_get(const struct i18n_catalog *c, const char *ctxt,
                             const char *msgid);

/*
 * The plural form for count n of the entry msgid under ctxt (NULL = no
 * context), chosen by c's Plural-Forms, or NULL if c has no such entry.
 * A non-plural entry returns its msgstr for any n. Borrowed from c.
 */
const char *i18n_catalog_getp(const struct i18n_catalog *c, const char *ctxt,
                              const char *msgid, unsigned long n);

/* The number of translated entries in c (the header not counted). */
size_t i18n_catalog_count(const struct i18n_catalog *c);

/* c's nplurals from its header (2 when the header gives none). */
int i18n_catalog_nplurals(const struct i18n_catalog *c);

#endif
