/*
 * i18n.c - PO catalogue parser, the loaded interface languages, lookups
 * and Accept-Language negotiation.
 *
 * Owns one catalogue per language, parsed from the PO files embedded in
 * the binary, published once by i18n_load_all() through atomic pointers so
 * lookups need no lock. A catalogue is an open-addressing hash table of
 * (msgctxt, msgid) -> msgstr[] plus the header's plural rule.
 *
 * Must not: read files or the system locale at run time, log message
 * text, or write HTML (callers escape what they get back).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/i18n.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/buf.h"
#include "embedded.h"

#include "core/banned.h" /* last: bans unsafe calls */

const struct i18n_lang i18n_langs[] = {
    { "en", "English", "English" },
    { "my",
      "\xE1\x80\x99\xE1\x80\xBC\xE1\x80\x94\xE1\x80\xBA\xE1\x80\x99"
      "\xE1\x80\xAC",
      "Burmese" }, /* မြန်မာ */
    { "km", "\xE1\x9E\x81\xE1\x9F\x92\xE1\x9E\x98\xE1\x9F\x82\xE1\x9E\x9A",
      "Khmer" }, /* ខ្មែរ */
    { "th", "\xE0\xB9\x84\xE0\xB8\x97\xE0\xB8\xA2", "Thai" }, /* ไทย */
    { "lo", "\xE0\xBA\xA5\xE0\xBA\xB2\xE0\xBA\xA7", "Lao" },  /* ລາວ */
    /* Tiếng Việt */
    { "vi", "Ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t", "Vietnamese" },
    { "zh", "\xE4\xB8\xAD\xE6\x96\x87", "Chinese (Simplified)" }, /* 中文 */
};

#define N_LANGS (sizeof i18n_langs / sizeof i18n_langs[0])

struct entry {
    char *ctxt;    /* msgctxt, or NULL when the entry has none */
    char *msgid;   /* never NULL */
    char **msgstr; /* n_forms non-empty translations; NULL when the
                        entry is fuzzy or untranslated */
    int n_forms;   /* 1 for a plain entry, nplurals for a plural one */
    int is_plural; /* had msgid_plural */
    int line;      /* line of the entry's first keyword, for errors */
    uint64_t hash; /* hash_key(ctxt, msgid) */
};

struct i18n_catalog {
    struct entry *entries; /* n_entries, in file order */
    size_t n_entries;      /* all entries but the header */
    size_t n_translated;   /* those with msgstr != NULL */
    size_t *slots;         /* n_slots indices into entries + 1; 0 = empty */
    size_t n_slots;        /* power of two, > 2 * n_entries */
    int nplurals;          /* 1..I18N_MAX_PLURALS */
    char *plural;          /* the plural expression, NUL-terminated */
};

/* Published by i18n_load_all(); NULL until then. Index as i18n_langs[]. */
/*
 * Catalogues per language: po/LANG.po first, then each module's
 * po/MODULE/LANG.po in name order. A lookup takes the first translation.
 */
#define I18N_MAX_DOMAINS 16
static _Atomic(struct i18n_catalog *) loaded[N_LANGS][I18N_MAX_DOMAINS];
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

size_t
i18n_n_langs(void)
{
    return N_LANGS;
}

static int
lang_index(const char *code)
{
    if (code == NULL) {
        return -1;
    }
    for (size_t i = 0; i < N_LANGS; i++) {
        if (strcmp(code, i18n_langs[i].code) == 0) {
            return (int)i;
        }
    }
    return -1;
}

int
i18n_lang_valid(const char *code)
{
    return lang_index(code) >= 0;
}

/*
 * Plural expressions: the C subset gettext allows, over unsigned long n.
 * Recursive descent; evaluates while parsing. Division by zero gives 0.
 */
struct pexpr {
    const char *p;   /* cursor */
    unsigned long n; /* the count */
    int depth;       /* nesting, capped so hostile input cannot recurse */
    int bad;         /* set on a syntax error */
};

#define PEXPR_MAX_DEPTH 32
#define PEXPR_MAX_LEN   256

static unsigned long pe_cond(struct pexpr *e);

static void
pe_space(struct pexpr *e)
{
    while (*e->p == ' ' || *e->p == '\t' || *e->p == '\n') {
        e->p++;
    }
}

static int
pe_eat(struct pexpr *e, const char *tok)
{
    pe_space(e);
    size_t n = strlen(tok);
    if (strncmp(e->p, tok, n) != 0) {
        return 0;
    }
    /* "<" must not take the first half of "<=", nor "=" of "==" etc. */
    if (n == 1 && strchr("<>!=&|", tok[0]) != NULL && e->p[1] == '=' &&
        tok[0] != '&' && tok[0] != '|') {
        return 0;
    }
    e->p += n;
    return 1;
}

static unsigned long
pe_primary(struct pexpr *e)
{
    pe_space(e);
    if (++e->depth > PEXPR_MAX_DEPTH) {
        e->bad = 1;
        return 0;
    }
    unsigned long v = 0;
    if (*e->p == 'n') {
        e->p++;
        v = e->n;
    } else if (*e->p >= '0' && *e->p <= '9') {
        while (*e->p >= '0' && *e->p <= '9') {
            if (v > 100000000UL) {
                e->bad = 1;
                break;
            }
            v = v * 10 + (unsigned long)(*e->p - '0');
            e->p++;
        }
    } else if (*e->p == '(') {
        e->p++;
        v = pe_cond(e);
        if (!pe_eat(e, ")")) {
            e->bad = 1;
        }
    } else if (*e->p == '!' && e->p[1] != '=') {
        e->p++;
        v = !pe_primary(e);
    } else {
        e->bad = 1;
    }
    e->depth--;
    return v;
}

/*
 * The binary operators, by level from the loosest binding (||) to the
 * tightest (* / %); within a level the two-byte tokens come first. All
 * are left-associative, and && and || evaluate both sides (nothing here
 * has side effects).
 */
enum pe_op {
    PE_OR,
    PE_AND,
    PE_EQ,
    PE_NE,
    PE_LE,
    PE_GE,
    PE_LT,
    PE_GT,
    PE_ADD,
    PE_SUB,
    PE_MUL,
    PE_DIV,
    PE_MOD
};

static const struct pe_binop {
    const char *tok;
    enum pe_op op;
    int level;
} pe_binops[] = {
    { "||", PE_OR, 0 }, { "&&", PE_AND, 1 }, { "==", PE_EQ, 2 },
    { "!=", PE_NE, 2 }, { "<=", PE_LE, 3 },  { ">=", PE_GE, 3 },
    { "<", PE_LT, 3 },  { ">", PE_GT, 3 },   { "+", PE_ADD, 4 },
    { "-", PE_SUB, 4 }, { "*", PE_MUL, 5 },  { "/", PE_DIV, 5 },
    { "%", PE_MOD, 5 },
};

#define PE_N_LEVELS 6

static unsigned long
pe_apply(enum pe_op op, unsigned long a, unsigned long b)
{
    switch (op) {
    case PE_OR:
        return a || b;
    case PE_AND:
        return a && b;
    case PE_EQ:
        return a == b;
    case PE_NE:
        return a != b;
    case PE_LE:
        return a <= b;
    case PE_GE:
        return a >= b;
    case PE_LT:
        return a < b;
    case PE_GT:
        return a > b;
    case PE_ADD:
        return a + b;
    case PE_SUB:
        return a - b;
    case PE_MUL:
        return a * b;
    case PE_DIV:
        return b ? a / b : 0;
    case PE_MOD:
        return b ? a % b : 0;
    }
    return 0;
}

/* A chain of level's operators over operands of the next level (the
 * primaries after the last level). */
static unsigned long
pe_binary(struct pexpr *e, int level)
{
    if (level == PE_N_LEVELS) {
        return pe_primary(e);
    }
    unsigned long v = pe_binary(e, level + 1);
    while (!e->bad) {
        const struct pe_binop *b = NULL;
        for (size_t i = 0; i < sizeof pe_binops / sizeof pe_binops[0]; i++) {
            if (pe_binops[i].level == level && pe_eat(e, pe_binops[i].tok)) {
                b = &pe_binops[i];
                break;
            }
        }
        if (b == NULL) {
            break;
        }
        unsigned long r = pe_binary(e, level + 1);
        v = pe_apply(b->op, v, r);
    }
    return v;
}

static unsigned long
pe_cond(struct pexpr *e)
{
    if (++e->depth > PEXPR_MAX_DEPTH) {
        e->bad = 1;
        return 0;
    }
    unsigned long v = pe_binary(e, 0);
    if (!e->bad && pe_eat(e, "?")) {
        unsigned long a = pe_cond(e);
        if (!pe_eat(e, ":")) {
            e->bad = 1;
        }
        unsigned long b = pe_cond(e);
        v = v ? a : b;
    }
    e->depth--;
    return v;
}

/* Evaluate expr for n; SR_OK and *out, or SR_EINVAL on a syntax error. */
static int
plural_eval(const char *expr, unsigned long n, unsigned long *out)
{
    struct pexpr e = { expr, n, 0, 0 };
    unsigned long v = pe_cond(&e);
    pe_space(&e);
    if (*e.p == ';') {
        e.p++;
        pe_space(&e);
    }
    if (e.bad || *e.p != '\0') {
        return SR_EINVAL;
    }
    *out = v;
    return SR_OK;
}

/* FNV-1a over a flag byte, the context, a 0x04 separator and the msgid. */
static uint64_t
hash_key(const char *ctxt, const char *msgid)
{
    uint64_t h = 1469598103934665603ULL;
    h = (h ^ (ctxt != NULL ? 1u : 0u)) * 1099511628211ULL;
    for (const char *p = ctxt ? ctxt : ""; *p; p++) {
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    }
    h = (h ^ 4u) * 1099511628211ULL;
    for (const char *p = msgid; *p; p++) {
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    }
    return h;
}

static int
same_ctxt(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        return a == b;
    }
    return strcmp(a, b) == 0;
}

static const struct entry *
find(const struct i18n_catalog *c, const char *ctxt, const char *msgid)
{
    if (c == NULL || msgid == NULL || c->n_slots == 0) {
        return NULL;
    }
    uint64_t h = hash_key(ctxt, msgid);
    size_t mask = c->n_slots - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        size_t s = c->slots[i];
        if (s == 0) {
            return NULL;
        }
        const struct entry *en = &c->entries[s - 1];
        if (en->hash == h && strcmp(en->msgid, msgid) == 0 &&
            same_ctxt(en->ctxt, ctxt)) {
            return en->msgstr != NULL ? en : NULL;
        }
    }
}

void
i18n_catalog_free(struct i18n_catalog *c)
{
    if (c == NULL) {
        return;
    }
    for (size_t i = 0; i < c->n_entries; i++) {
        struct entry *en = &c->entries[i];
        free(en->ctxt);
        free(en->msgid);
        for (int k = 0; en->msgstr != NULL && k < en->n_forms; k++) {
            free(en->msgstr[k]);
        }
        free(en->msgstr);
    }
    free(c->entries);
    free(c->slots);
    free(c->plural);
    free(c);
}

const char *
i18n_catalog_get(const struct i18n_catalog *c, const char *ctxt,
                 const char *msgid)
{
    const struct entry *en = find(c, ctxt, msgid);
    return en != NULL ? en->msgstr[0] : NULL;
}

const char *
i18n_catalog_getp(const struct i18n_catalog *c, const char *ctxt,
                  const char *msgid, unsigned long n)
{
    const struct entry *en = find(c, ctxt, msgid);
    if (en == NULL) {
        return NULL;
    }
    unsigned long idx = 0;
    if (en->is_plural && plural_eval(c->plural, n, &idx) != SR_OK) {
        idx = 0; /* checked at parse time; cannot happen */
    }
    if (idx >= (unsigned long)en->n_forms) {
        idx = 0;
    }
    return en->msgstr[idx];
}

size_t
i18n_catalog_count(const struct i18n_catalog *c)
{
    return c != NULL ? c->n_translated : 0;
}

int
i18n_catalog_nplurals(const struct i18n_catalog *c)
{
    return c != NULL ? c->nplurals : 2;
}

/* ---- the PO parser ---------------------------------------------------- */

enum field { F_NONE, F_CTXT, F_ID, F_PLURAL, F_STR };

struct po {
    struct i18n_catalog *cat;
    size_t cap_entries;
    struct sr_err *err;
    int line; /* current line, 1-based */
    /* the entry being read */
    int has_ctxt, has_id, has_plural, n_str, is_fuzzy, start_line;
    struct sr_buf ctxt, id, plural, str[I18N_MAX_PLURALS];
    enum field last; /* where a continuation string goes */
    int last_form;   /* which str[] for F_STR */
    int has_header;
    int header_line;
};

static int
po_fail(struct po *po, int line, const char *msg)
{
    return sr_err_set(po->err, SR_EINVAL, "line %d: %s", line, msg);
}

static void
entry_reset(struct po *po)
{
    po->has_ctxt = po->has_id = po->has_plural = 0;
    po->n_str = 0;
    po->is_fuzzy = 0;
    po->start_line = 0;
    po->last = F_NONE;
    sr_buf_reset(&po->ctxt);
    sr_buf_reset(&po->id);
    sr_buf_reset(&po->plural);
    for (int i = 0; i < I18N_MAX_PLURALS; i++) {
        sr_buf_reset(&po->str[i]);
    }
}

/* Case-insensitive search for needle in the header text. */
static const char *
find_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] != '\0') {
            char a = p[i], b = needle[i];
            if (a >= 'A' && a <= 'Z') {
                a = (char)(a - 'A' + 'a');
            }
            if (b >= 'A' && b <= 'Z') {
                b = (char)(b - 'A' + 'a');
            }
            if (a != b) {
                break;
            }
            i++;
        }
        if (i == n) {
            return p;
        }
    }
    return NULL;
}

/* Read the header msgstr: charset and Plural-Forms. */
static int
parse_header(struct po *po, const char *h, int line)
{
    const char *cs = find_ci(h, "charset=");
    if (cs != NULL) {
        cs += strlen("charset=");
        size_t n = strcspn(cs, " ;\n");
        int ok = (n == 5 && find_ci(cs, "utf-8") == cs) ||
                 (n == 4 && find_ci(cs, "utf8") == cs) ||
                 (n == 7 && strncmp(cs, "CHARSET", 7) == 0);
        if (!ok) {
            return po_fail(po, line, "header charset must be UTF-8");
        }
    }
    const char *pf = find_ci(h, "Plural-Forms:");
    if (pf == NULL) {
        return SR_OK; /* gettext's default: nplurals=2; plural=n != 1 */
    }
    const char *eol = strchr(pf, '\n');
    size_t pf_len = eol ? (size_t)(eol - pf) : strlen(pf);
    char *rule = sr_xstrndup(pf, pf_len);
    const char *np = find_ci(rule, "nplurals=");
    const char *pl = find_ci(rule, "plural=");
    long long nplurals = 0;
    int rc = SR_OK;
    if (np == NULL || pl == NULL) {
        rc = po_fail(po, line, "Plural-Forms needs nplurals= and plural=");
    } else {
        char num[8] = { 0 };
        const char *d = np + strlen("nplurals=");
        size_t k = 0;
        while (k < sizeof num - 1 && d[k] >= '0' && d[k] <= '9') {
            num[k] = d[k];
            k++;
        }
        if (sr_parse_i64(num, 1, I18N_MAX_PLURALS, &nplurals) != SR_OK) {
            rc = po_fail(po, line, "Plural-Forms nplurals must be 1 to 8");
        }
    }
    if (rc == SR_OK) {
        const char *expr = pl + strlen("plural=");
        size_t elen = strlen(expr);
        while (elen > 0 && (expr[elen - 1] == ' ' || expr[elen - 1] == ';')) {
            elen--;
        }
        unsigned long v;
        if (elen == 0 || elen > PEXPR_MAX_LEN) {
            rc = po_fail(po, line, "Plural-Forms plural expression too long");
        } else {
            char *e = sr_xstrndup(expr, elen);
            for (unsigned long n = 0; n <= 1000 && rc == SR_OK; n++) {
                if (plural_eval(e, n, &v) != SR_OK) {
                    rc = po_fail(po, line,
                                 "Plural-Forms plural expression is invalid");
                } else if (v >= (unsigned long)nplurals) {
                    rc = po_fail(po, line,
                                 "Plural-Forms plural expression "
                                 "gives a form beyond nplurals");
                }
            }
            if (rc == SR_OK) {
                free(po->cat->plural);
                po->cat->plural = e;
                po->cat->nplurals = (int)nplurals;
            } else {
                free(e);
            }
        }
    }
    free(rule);
    return rc;
}

/* The entry read so far is complete: keep, drop or reject it. */
static int
entry_finish(struct po *po)
{
    int line = po->start_line;
    if (!po->has_ctxt && po->id.len == 0) {
        if (po->has_header) {
            return po_fail(po, line, "duplicate header entry");
        }
        po->has_header = 1;
        po->header_line = line;
        int rc = parse_header(po, po->str[0].data, line);
        entry_reset(po);
        return rc;
    }
    int keep = !po->is_fuzzy;
    for (int i = 0; i < po->n_str; i++) {
        if (po->str[i].len == 0) {
            keep = 0; /* untranslated */
        }
    }
    struct i18n_catalog *c = po->cat;
    const char *ctxt = po->has_ctxt ? po->ctxt.data : NULL;
    /*
     * Dropped entries are kept without msgstr so that duplicates among
     * them are still found when the hash table is built.
     */
    if (c->n_entries >= I18N_PO_MAX_ENTRIES) {
        return sr_err_set(po->err, SR_ETOOBIG, "line %d: more than %d entries",
                          line, I18N_PO_MAX_ENTRIES);
    }
    c->entries = sr_xgrow(c->entries, c->n_entries, &po->cap_entries,
                          sizeof c->entries[0]);
    struct entry *en = &c->entries[c->n_entries++];
    en->ctxt = ctxt ? sr_xstrndup(po->ctxt.data, po->ctxt.len) : NULL;
    en->msgid = sr_xstrndup(po->id.data, po->id.len);
    en->n_forms = po->n_str;
    en->is_plural = po->has_plural;
    en->line = line;
    en->hash = hash_key(en->ctxt, en->msgid);
    en->msgstr = NULL;
    if (keep) {
        en->msgstr = sr_xcalloc((size_t)po->n_str, sizeof en->msgstr[0]);
        for (int i = 0; i < po->n_str; i++) {
            en->msgstr[i] = sr_xstrndup(po->str[i].data, po->str[i].len);
        }
        c->n_translated++;
    }
    entry_reset(po);
    return SR_OK;
}

/*
 * Append the quoted string starting at s[0] == '"' (line ends at end) to
 * b, unescaping. Only blanks may follow the closing quote.
 */
static int
read_string(struct po *po, const char *s, const char *end, struct sr_buf *b)
{
    if (s >= end || *s != '"') {
        return po_fail(po, po->line, "expected a string in double quotes");
    }
    s++;
    size_t start_len = b->len;
    for (;;) {
        if (s >= end) {
            return po_fail(po, po->line, "unterminated string");
        }
        char c = *s++;
        if (c == '"') {
            break;
        }
        if (c == '\\') {
            if (s >= end) {
                return po_fail(po, po->line, "unterminated string");
            }
            char e = *s++;
            switch (e) {
            case 'n':
                c = '\n';
                break;
            case 't':
                c = '\t';
                break;
            case 'r':
                c = '\r';
                break;
            case 'a':
                c = '\a';
                break;
            case 'b':
                c = '\b';
                break;
            case 'f':
                c = '\f';
                break;
            case 'v':
                c = '\v';
                break;
            case '"':
            case '\'':
            case '?':
            case '\\':
                c = e;
                break;
            default:
                return po_fail(po, po->line, "unknown escape sequence");
            }
        }
        if (sr_buf_addc(b, c) != SR_OK) {
            return sr_err_set(po->err, SR_ETOOBIG,
                              "line %d: string longer than %zu bytes", po->line,
                              I18N_PO_MAX_STRING);
        }
    }
    while (s < end && (*s == ' ' || *s == '\t')) {
        s++;
    }
    if (s < end) {
        return po_fail(po, po->line, "unexpected text after string");
    }
    if (!sr_utf8_valid(b->data + start_len, b->len - start_len)) {
        return po_fail(po, po->line, "string is not valid UTF-8");
    }
    return SR_OK;
}

static int
entry_complete(const struct po *po)
{
    return po->n_str > 0;
}

static int
entry_started(const struct po *po)
{
    return po->has_ctxt || po->has_id;
}

/* Does the "#," flags comment in [s, end) list the flag "fuzzy"? */
static int
has_fuzzy_flag(const char *s, const char *end)
{
    s += 2;
    while (s < end) {
        while (s < end && (*s == ' ' || *s == '\t' || *s == ',')) {
            s++;
        }
        const char *w = s;
        while (s < end && *s != ' ' && *s != '\t' && *s != ',') {
            s++;
        }
        if (s - w == 5 && memcmp(w, "fuzzy", 5) == 0) {
            return 1;
        }
    }
    return 0;
}

static int
po_line(struct po *po, const char *s, const char *end)
{
    int rc;
    while (s < end && (*s == ' ' || *s == '\t')) {
        s++;
    }
    if (s == end || *s == '#') {
        if (entry_complete(po)) {
            rc = entry_finish(po);
            if (rc != SR_OK) {
                return rc;
            }
        }
        if (s < end && end - s >= 2 && s[1] == ',' && !entry_started(po) &&
            has_fuzzy_flag(s, end)) {
            po->is_fuzzy = 1;
        }
        return SR_OK;
    }
    if (*s == '"') {
        struct sr_buf *b = NULL;
        switch (po->last) {
        case F_CTXT:
            b = &po->ctxt;
            break;
        case F_ID:
            b = &po->id;
            break;
        case F_PLURAL:
            b = &po->plural;
            break;
        case F_STR:
            b = &po->str[po->last_form];
            break;
        case F_NONE:
            break;
        }
        if (b == NULL) {
            return po_fail(po, po->line, "string without a keyword before it");
        }
        return read_string(po, s, end, b);
    }
    const char *kw = s;
    while (s < end && ((*s >= 'a' && *s <= 'z') || *s == '_')) {
        s++;
    }
    size_t kw_len = (size_t)(s - kw);
    long form = -1;
    if (s < end && *s == '[') {
        s++;
        form = 0;
        const char *d = s;
        while (s < end && *s >= '0' && *s <= '9' && s - d < 3) {
            form = form * 10 + (*s - '0');
            s++;
        }
        if (s == d || s >= end || *s != ']') {
            return po_fail(po, po->line, "malformed msgstr[N] index");
        }
        s++;
    }
    if (s < end && *s != ' ' && *s != '\t') {
        return po_fail(po, po->line, "unknown keyword");
    }
    while (s < end && (*s == ' ' || *s == '\t')) {
        s++;
    }
#define KW(lit) (kw_len == sizeof(lit) - 1 && memcmp(kw, lit, kw_len) == 0)
    if (KW("msgctxt") && form < 0) {
        if (entry_complete(po) && (rc = entry_finish(po)) != SR_OK) {
            return rc;
        }
        if (entry_started(po)) {
            return po_fail(po, po->line, "msgctxt inside an entry");
        }
        po->has_ctxt = 1;
        po->start_line = po->line;
        po->last = F_CTXT;
        return read_string(po, s, end, &po->ctxt);
    }
    if (KW("msgid") && form < 0) {
        if (entry_complete(po) && (rc = entry_finish(po)) != SR_OK) {
            return rc;
        }
        if (po->has_id) {
            return po_fail(po, po->line, "msgid without msgstr before it");
        }
        po->has_id = 1;
        if (!po->has_ctxt) {
            po->start_line = po->line;
        }
        po->last = F_ID;
        return read_string(po, s, end, &po->id);
    }
    if (KW("msgid_plural") && form < 0) {
        if (!po->has_id || po->has_plural || po->n_str > 0) {
            return po_fail(po, po->line, "msgid_plural must follow msgid");
        }
        po->has_plural = 1;
        po->last = F_PLURAL;
        return read_string(po, s, end, &po->plural);
    }
    if (KW("msgstr")) {
        if (!po->has_id) {
            return po_fail(po, po->line, "msgstr without msgid");
        }
        if (form < 0) {
            if (po->has_plural) {
                return po_fail(po, po->line,
                               "plural entry needs msgstr[N], not msgstr");
            }
            if (po->n_str > 0) {
                return po_fail(po, po->line, "second msgstr in one entry");
            }
            form = 0;
        } else {
            if (!po->has_plural) {
                return po_fail(po, po->line, "msgstr[N] without msgid_plural");
            }
            if (form != po->n_str) {
                return po_fail(po, po->line,
                               "msgstr[N] out of order (want 0, 1, ...)");
            }
            if (form >= I18N_MAX_PLURALS) {
                return po_fail(po, po->line, "more than 8 plural forms");
            }
        }
        po->n_str++;
        po->last = F_STR;
        po->last_form = (int)form;
        return read_string(po, s, end, &po->str[form]);
    }
#undef KW
    return po_fail(po, po->line, "unknown keyword");
}

/* Check every plural entry against nplurals, then build the hash table. */
static int
po_finish(struct po *po)
{
    struct i18n_catalog *c = po->cat;
    for (size_t i = 0; i < c->n_entries; i++) {
        const struct entry *en = &c->entries[i];
        if (en->msgstr != NULL && en->is_plural && en->n_forms != c->nplurals) {
            return sr_err_set(po->err, SR_EINVAL,
                              "line %d: %d plural forms, but Plural-Forms "
                              "says nplurals=%d",
                              en->line, en->n_forms, c->nplurals);
        }
    }
    c->n_slots = 16;
    while (c->n_slots <= 2 * c->n_entries) {
        c->n_slots *= 2;
    }
    c->slots = sr_xcalloc(c->n_slots, sizeof c->slots[0]);
    size_t mask = c->n_slots - 1;
    for (size_t i = 0; i < c->n_entries; i++) {
        const struct entry *en = &c->entries[i];
        size_t k = (size_t)en->hash & mask;
        while (c->slots[k] != 0) {
            const struct entry *o = &c->entries[c->slots[k] - 1];
            if (o->hash == en->hash && strcmp(o->msgid, en->msgid) == 0 &&
                same_ctxt(o->ctxt, en->ctxt)) {
                return sr_err_set(po->err, SR_EINVAL,
                                  "line %d: duplicate msgid (first on line "
                                  "%d)",
                                  en->line, o->line);
            }
            k = (k + 1) & mask;
        }
        c->slots[k] = i + 1;
    }
    return SR_OK;
}

int
i18n_parse_po(const char *text, size_t len, struct i18n_catalog **out,
              struct sr_err *err)
{
    assert(out != NULL);
    assert(text != NULL || len == 0);
    if (len > I18N_PO_MAX_BYTES) {
        return sr_err_set(err, SR_ETOOBIG, "PO text larger than %zu bytes",
                          I18N_PO_MAX_BYTES);
    }
    struct po po;
    memset(&po, 0, sizeof po);
    po.err = err;
    po.cat = sr_xcalloc(1, sizeof *po.cat);
    po.cat->nplurals = 2;
    po.cat->plural = sr_xstrdup("n != 1");
    sr_buf_init(&po.ctxt, I18N_PO_MAX_STRING);
    sr_buf_init(&po.id, I18N_PO_MAX_STRING);
    sr_buf_init(&po.plural, I18N_PO_MAX_STRING);
    for (int i = 0; i < I18N_MAX_PLURALS; i++) {
        sr_buf_init(&po.str[i], I18N_PO_MAX_STRING);
    }
    int rc = SR_OK;
    const char *p = text, *end = text + len;
    /* a UTF-8 byte order mark is tolerated at the very start */
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
    }
    while (p < end && rc == SR_OK) {
        po.line++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n > 0 && p[n - 1] == '\r') {
            n--;
        }
        if (memchr(p, '\0', n) != NULL) {
            rc = po_fail(&po, po.line, "NUL byte in PO text");
        } else {
            rc = po_line(&po, p, p + n);
        }
        p = nl ? nl + 1 : end;
    }
    if (rc == SR_OK) {
        if (entry_complete(&po)) {
            rc = entry_finish(&po);
        } else if (entry_started(&po)) {
            rc = po_fail(&po, po.start_line, "entry ends without msgstr");
        }
    }
    if (rc == SR_OK) {
        rc = po_finish(&po);
    }
    sr_buf_release(&po.ctxt);
    sr_buf_release(&po.id);
    sr_buf_release(&po.plural);
    for (int i = 0; i < I18N_MAX_PLURALS; i++) {
        sr_buf_release(&po.str[i]);
    }
    if (rc != SR_OK) {
        i18n_catalog_free(po.cat);
        return rc;
    }
    *out = po.cat;
    return SR_OK;
}

/* ---- loaded languages ------------------------------------------------- */

/* Whether asset name is po/LANG.po or po/MODULE/LANG.po for code. */
static int
is_po_of(const char *name, const char *code)
{
    size_t n = strlen(name), c = strlen(code);
    if (strncmp(name, "po/", 3) != 0 || n < c + 6 ||
        strcmp(name + n - 3, ".po") != 0 ||
        strncmp(name + n - 3 - c, code, c) != 0 || name[n - 4 - c] != '/') {
        return 0;
    }
    /* po/LANG.po or po/MODULE/LANG.po: at most one folder below po/ */
    const char *slash = strchr(name + 3, '/');
    return slash == NULL || slash == name + n - 4 - c;
}

static int
asset_name_cmp(const void *a, const void *b)
{
    const struct sr_asset *const *x = a;
    const struct sr_asset *const *y = b;
    /* po/LANG.po (no folder) sorts first, then modules by name */
    int fx = strchr((*x)->name + 3, '/') != NULL;
    int fy = strchr((*y)->name + 3, '/') != NULL;
    return fx != fy ? fx - fy : strcmp((*x)->name, (*y)->name);
}

int
i18n_load_all(struct sr_err *err)
{
    struct i18n_catalog *cats[N_LANGS][I18N_MAX_DOMAINS];
    memset(cats, 0, sizeof cats);
    int rc = SR_OK;
    pthread_mutex_lock(&load_lock);
    int done = 0;
    for (size_t i = 0; i < N_LANGS; i++) {
        if (atomic_load_explicit(&loaded[i][0], memory_order_acquire) != NULL) {
            done = 1;
        }
    }
    for (size_t i = 0; i < N_LANGS && !done && rc == SR_OK; i++) {
        const struct sr_asset *files[I18N_MAX_DOMAINS];
        size_t n_files = 0;
        for (size_t k = 0; k < sr_n_assets; k++) {
            if (is_po_of(sr_assets[k].name, i18n_langs[i].code)) {
                if (n_files == I18N_MAX_DOMAINS) {
                    rc = sr_err_set(err, SR_ETOOBIG,
                                    "more than %d PO files for '%s'",
                                    I18N_MAX_DOMAINS, i18n_langs[i].code);
                    break;
                }
                files[n_files++] = &sr_assets[k];
            }
        }
        qsort(files, n_files, sizeof files[0], asset_name_cmp);
        for (size_t k = 0; k < n_files && rc == SR_OK; k++) {
            struct sr_err perr = { 0 };
            rc = i18n_parse_po((const char *)files[k]->data, files[k]->len,
                               &cats[i][k], &perr);
            if (rc != SR_OK) {
                sr_err_set(err, rc, "%s: %s", files[k]->name,
                           sr_err_msg(&perr));
            }
            sr_err_release(&perr);
        }
    }
    for (size_t i = 0; i < N_LANGS; i++) {
        for (size_t k = 0; k < I18N_MAX_DOMAINS; k++) {
            if (rc != SR_OK) {
                i18n_catalog_free(cats[i][k]);
            } else if (cats[i][k] != NULL) {
                atomic_store_explicit(&loaded[i][k], cats[i][k],
                                      memory_order_release);
            }
        }
    }
    pthread_mutex_unlock(&load_lock);
    return rc;
}

void
i18n_unload_all(void)
{
    pthread_mutex_lock(&load_lock);
    for (size_t i = 0; i < N_LANGS; i++) {
        for (size_t k = 0; k < I18N_MAX_DOMAINS; k++) {
            struct i18n_catalog *c = atomic_exchange_explicit(
                &loaded[i][k], NULL, memory_order_acq_rel);
            i18n_catalog_free(c);
        }
    }
    pthread_mutex_unlock(&load_lock);
}

/* The k-th catalogue of lang, or NULL. */
static const struct i18n_catalog *
catalog_of(const char *lang, size_t k)
{
    int i = lang_index(lang);
    if (i < 0 || k >= I18N_MAX_DOMAINS) {
        return NULL;
    }
    return atomic_load_explicit(&loaded[i][k], memory_order_acquire);
}

const char *
i18n_trc(const char *lang, const char *ctxt, const char *msgid)
{
    if (msgid == NULL) {
        return "";
    }
    const struct i18n_catalog *c;
    for (size_t k = 0; (c = catalog_of(lang, k)) != NULL; k++) {
        const char *t = i18n_catalog_get(c, ctxt, msgid);
        if (t != NULL) {
            return t;
        }
    }
    return msgid;
}

const char *
i18n_tr(const char *lang, const char *msgid)
{
    return i18n_trc(lang, NULL, msgid);
}

const char *
i18n_trp(const char *lang, const char *msgid, const char *plural, long n)
{
    unsigned long un = n < 0 ? (unsigned long)-(n + 1) + 1 : (unsigned long)n;
    const struct i18n_catalog *c;
    for (size_t k = 0; (c = catalog_of(lang, k)) != NULL; k++) {
        const char *t = i18n_catalog_getp(c, NULL, msgid, un);
        if (t != NULL) {
            return t;
        }
    }
    return un == 1 ? msgid : plural;
}

/* ---- Accept-Language -------------------------------------------------- */

#define ACCEPT_MAX_BYTES  4096
#define ACCEPT_MAX_RANGES 64

static int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/*
 * Parse one range "tag[;q=v][;other]" in [s, end). On success stores the
 * language index (-2 for "*", -1 for a language we lack) and q in
 * thousandths, and returns 1; 0 if malformed.
 */
/*
 * The part of [s, end) before its first ';' (or all of it), without the
 * spaces and tabs around it, as [*out, *out_end). Returns where the ';'
 * (or end) is.
 */
static const char *
next_param(const char *s, const char *end, const char **out,
           const char **out_end)
{
    const char *stop = s;
    while (stop < end && *stop != ';') {
        stop++;
    }
    while (s < stop && (*s == ' ' || *s == '\t')) {
        s++;
    }
    const char *e = stop;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t')) {
        e--;
    }
    *out = s;
    *out_end = e;
    return stop;
}

static int
parse_range(const char *s, const char *end, int *out_lang, int *out_q)
{
    const char *tag, *tag_end;
    s = next_param(s, end, &tag, &tag_end);
    if (tag_end == tag) {
        return 0;
    }
    /* primary subtag: 1-8 letters, or "*" */
    const char *sub = tag;
    while (sub < tag_end && *sub != '-') {
        sub++;
    }
    int lang = -1;
    if (sub - tag == 1 && tag[0] == '*' && sub == tag_end) {
        lang = -2;
    } else {
        for (const char *c = tag; c < tag_end; c++) {
            int ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                     (*c >= '0' && *c <= '9' && c > sub) || *c == '-';
            if (!ok || sub - tag < 1 || sub - tag > 8) {
                return 0;
            }
        }
        for (size_t i = 0; i < N_LANGS; i++) {
            const char *code = i18n_langs[i].code;
            if ((size_t)(sub - tag) == strlen(code) &&
                lower(tag[0]) == code[0] && lower(tag[1]) == code[1]) {
                lang = (int)i;
            }
        }
    }
    int q = 1000;
    while (s < end && *s == ';') {
        const char *p, *pend;
        s = next_param(s + 1, end, &p, &pend);
        if (pend - p >= 2 && lower(p[0]) == 'q' && p[1] == '=') {
            /* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) */
            const char *v = p + 2;
            size_t vlen = (size_t)(pend - v);
            if (vlen < 1 || vlen > 5 || (v[0] != '0' && v[0] != '1') ||
                (vlen > 1 && v[1] != '.')) {
                return 0;
            }
            int val = (v[0] - '0') * 1000;
            int scale = 100;
            for (size_t k = 2; k < vlen; k++) {
                if (v[k] < '0' || v[k] > '9') {
                    return 0;
                }
                val += (v[k] - '0') * scale;
                scale /= 10;
            }
            if (val > 1000) {
                return 0;
            }
            q = val;
        }
    }
    *out_lang = lang;
    *out_q = q;
    return 1;
}

const char *
i18n_pick(const char *explicit_choice, const char *accept_language)
{
    int i = lang_index(explicit_choice);
    if (i >= 0) {
        return i18n_langs[i].code;
    }
    if (accept_language == NULL) {
        return i18n_langs[0].code;
    }
    int refused[N_LANGS] = { 0 }; /* q=0 given explicitly */
    int listed[N_LANGS] = { 0 };  /* named by some range; "*" skips them */
    int best = -1, best_q = 0, star_q = -1;
    const char *s = accept_language;
    size_t len = strnlen(s, ACCEPT_MAX_BYTES);
    const char *end = s + len;
    for (int n = 0; s < end && n < ACCEPT_MAX_RANGES; n++) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *re = comma ? comma : end;
        int lang, q;
        if (parse_range(s, re, &lang, &q)) {
            if (lang >= 0) {
                listed[lang] = 1;
            }
            if (lang >= 0 && q == 0) {
                refused[lang] = 1;
            } else if (lang >= 0 && q > best_q) {
                best = lang;
                best_q = q;
            } else if (lang == -2 && star_q < 0) {
                star_q = q;
            }
        }
        s = comma ? comma + 1 : end;
    }
    if (star_q > best_q) {
        for (size_t k = 0; k < N_LANGS; k++) {
            if (!listed[k]) {
                return i18n_langs[k].code;
            }
        }
    }
    if (best >= 0 && !refused[best]) {
        return i18n_langs[best].code;
    }
    return i18n_langs[0].code;
}

/* ---- collation ---------------------------------------------------------- */

enum { COLL_MAX = 96 }; /* code points of a label compared; ties by strcmp */

/* Vietnamese: the weight of a base letter followed by its letter-making
 * mark (breve, circumflex, horn); tone marks are left out. */
static int32_t
vi_weight(int32_t base, int32_t mark)
{
    int32_t sub = mark == 0x0306   ? 1
                  : mark == 0x0302 ? 2
                  : mark == 0x031B ? 3
                                   : 0;
    return base * 4 + sub;
}

/* A Vietnamese tone mark's rank in the dictionaries' order (ngang, huyền,
 * hỏi, ngã, sắc, nặng), or 0 for anything else. */
static int32_t
vi_tone(int32_t cp)
{
    switch (cp) {
    case 0x0300:
        return 1; /* grave: huyền */
    case 0x0309:
        return 2; /* hook above: hỏi */
    case 0x0303:
        return 3; /* tilde: ngã */
    case 0x0301:
        return 4; /* acute: sắc */
    case 0x0323:
        return 5; /* dot below: nặng */
    default:
        return 0;
    }
}

static int
is_vi_tone(int32_t cp)
{
    return vi_tone(cp) != 0;
}

/*
 * The primary key of s for lang in key[]: case folded, reordered and with
 * the marks that only break ties left out; for vi, sec[] gets each
 * letter's tone rank (the secondary key; 0 elsewhere). Returns the keys'
 * length, or -1 at invalid UTF-8.
 */
static int
coll_key(const char *lang, const char *s, int32_t *key, int32_t *sec)
{
    int is_thai = strcmp(lang, "th") == 0, is_lao = strcmp(lang, "lo") == 0;
    int is_vi = strcmp(lang, "vi") == 0;
    int32_t cps[COLL_MAX];
    int n = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (*p != 0 && n < COLL_MAX) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate(p, -1, &cp);
        if (len <= 0) {
            return -1;
        }
        p += len;
        { /* decompose: a letter and its marks */
            utf8proc_int32_t d[8];
            int last = 0;
            utf8proc_ssize_t m =
                utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, &last);
            for (utf8proc_ssize_t k = 0; k < m && m <= 8 && n < COLL_MAX; k++) {
                cps[n++] = d[k];
            }
            continue;
        }
        cps[n++] = cp;
    }
    int k = 0;
    memset(sec, 0, COLL_MAX * sizeof *sec);
    for (int i = 0; i < n; i++) {
        int32_t cp = utf8proc_tolower(cps[i]);
        if (is_thai || is_lao) {
            int32_t pre_lo = is_thai ? 0x0E40 : 0x0EC0;
            int32_t tone_lo = is_thai ? 0x0E48 : 0x0EC8;
            if (cp >= tone_lo && cp <= tone_lo + 3) {
                continue;
            }
            if (cp >= pre_lo && cp <= pre_lo + 4 && i + 1 < n) {
                key[k++] = cps[i + 1];
                key[k++] = cp;
                i++;
                continue;
            }
            key[k++] = cp;
        } else if (is_vi) {
            if (is_vi_tone(cp)) {
                continue;
            }
            if (cp == 0x0111) { /* đ: its own letter after d */
                key[k++] = vi_weight('d', 0x0306);
                continue;
            }
            int32_t mark = 0, tone = 0;
            while (i + 1 < n &&
                   (cps[i + 1] == 0x0306 || cps[i + 1] == 0x0302 ||
                    cps[i + 1] == 0x031B || is_vi_tone(cps[i + 1]))) {
                if (is_vi_tone(cps[i + 1])) {
                    tone = vi_tone(cps[i + 1]);
                } else {
                    mark = cps[i + 1];
                }
                i++;
            }
            sec[k] = tone;
            key[k++] = vi_weight(cp, mark);
        } else if (cp < 0x0300 || cp > 0x036F) { /* Latin marks: ties */
            key[k++] = cp == 0x0111 ? 'd' : cp;
        }
    }
    return k;
}

int
i18n_collate(const char *lang, const char *a, const char *b)
{
    int32_t ka[COLL_MAX], kb[COLL_MAX], sa[COLL_MAX], sb[COLL_MAX];
    const char *l = lang != NULL ? lang : "en";
    int na = coll_key(l, a, ka, sa), nb = coll_key(l, b, kb, sb);
    if (na >= 0 && nb >= 0) {
        for (int i = 0; i < na && i < nb; i++) {
            if (ka[i] != kb[i]) {
                return ka[i] < kb[i] ? -1 : 1;
            }
        }
        if (na != nb) {
            return na < nb ? -1 : 1;
        }
        for (int i = 0; i < na; i++) {
            if (sa[i] != sb[i]) {
                return sa[i] < sb[i] ? -1 : 1;
            }
        }
    }
    return strcmp(a, b);
}
