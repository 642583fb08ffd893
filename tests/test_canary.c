/*
 * test_canary.c - synthetic identities and secrets never appear in plain
 * text where they must not: the database file, its WAL, or any page, API
 * answer or export given to a role without identity permission.
 *
 * A canary identity ("CANARY-" and random hex, and random digits for
 * phones) is written through every front door that takes identity data:
 * a contact (caller phone, places, summary, needs, action taken), its
 * referral note, a case's person (name, alias, birth date, phone, ID and
 * passport numbers, address), a case note and a case referral note, an
 * offender (name, alias, licence number), an organisation's contact
 * details and a survey data set keeping an identifying column. Then:
 * (i) the database file and the WAL hold no canary; (ii) every page, API
 * answer and export listing or showing those records, fetched as the
 * administrator, the analyst and the partner (no identity permission),
 * answers 200 and holds no canary, nor does any GET route as them or as
 * nobody; (iii) a role with identity permission
 * does see it on the person, offender and organisation pages, so the scan
 * looks at real pages. A password and the workspace passphrase are
 * canaries too.
 *
 * On PostgreSQL (SIREN_TEST_STORE, webfix.h) the files scanned are the
 * fixture database's own directory in the server's data directory and
 * the server's write-ahead log (pg_wal), and the checkpoint is the
 * server's CHECKPOINT.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "core/clock.h"
#include "harness.h"
#include "webfix.h"
#include "hotline/contact.h"
#include "hotline/contact_export.h"
#include "core/banned.h"

static const char *const canary_pw = "canary-orchid-velvet-4411";

static char canary[32];       /* "CANARY-" and 16 hex digits */
static char canary_digits[8]; /* 7 random digits ending the phones */
static char partner_note[32]; /* "NOTE-" and hex: what a partner may read */

static const char *const q_put = "INSERT INTO meta(key, value) VALUES (?1, ?2)";

/* Whether buf holds any canary; which names it. */
static int
has_canary(const char *p, size_t len, const char **which)
{
    const char *const all[] = { canary, canary_digits, canary_pw,
                                "webfix pass" };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (memmem(p, len, all[i], strlen(all[i])) != NULL) {
            *which = all[i];
            return 1;
        }
    }
    return 0;
}

/* Read the file at path into b; 0 if it cannot be read. */
static int
read_file(const char *path, struct sr_buf *b)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return 0;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        sr_buf_add(b, chunk, n);
    }
    int ok = !ferror(f);
    fclose(f);
    return ok;
}

/* Whether the file at path holds a canary (or the partner's note); 1 if
 * it cannot be read. What was found goes to stderr. */
static int
file_is_bad(const char *path, const char *when)
{
    const char *which = "";
    struct sr_buf b;
    sr_buf_init(&b, 0);
    int is_bad = 1;
    if (!read_file(path, &b)) {
        fprintf(stderr, "%s: cannot read %s\n", when, path);
    } else if (has_canary(b.data, b.len, &which) ||
               memmem(b.data, b.len, partner_note, strlen(partner_note)) !=
                   NULL) {
        fprintf(stderr, "%s: '%s' (or the partner's note) found in %s\n", when,
                which, path);
    } else {
        is_bad = 0;
    }
    sr_buf_release(&b);
    return is_bad;
}

/* The server's data directory and the fixture database's directory in it
 * (base/OID), asked of the server; 0 when it does not answer. */
static int
pg_dirs(const struct webfix *f, char data[256], char db[320])
{
    char sql[160], oid[32];
    snprintf(sql, sizeof sql,
             "SELECT oid FROM pg_database WHERE datname = '%s'", f->pg_db);
    if (pgtest_run(NULL, "SHOW data_directory", data, 256) != 0 ||
        pgtest_run(NULL, sql, oid, sizeof oid) != 0) {
        return 0;
    }
    snprintf(db, 320, "%s/base/%s", data, oid);
    return 1;
}

/* Call on_file(path, when) for each file of dir (not its subdirectories);
 * the sum of what it returns. *n_files the number of files. */
static int
each_file(const char *dir, const char *when,
          int (*on_file)(const char *path, const char *when), int *n_files)
{
    DIR *d = opendir(dir);
    int n_sum = 0;
    *n_files = 0;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (e->d_type == DT_REG) {
            (*n_files)++;
            n_sum += on_file(path, when);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    if (*n_files == 0) {
        fprintf(stderr, "%s: no file in %s\n", when, dir);
    }
    return n_sum;
}

/* (i) The files holding the workspace's tables hold no canary: siren.db
 * and its WAL, or on PostgreSQL every file of the database's directory
 * and of the server's WAL; a file that is missing or unreadable fails
 * too (a scan of nothing proves nothing). */
static void
check_files(struct webfix *f, const char *when)
{
    int n_bad = 0;
    if (f->pg_db[0] != '\0') {
        char data[256] = "", db[320] = "", wal[300];
        if (!pg_dirs(f, data, db)) {
            n_bad++;
        } else {
            int n_db = 0, n_wal = 0;
            snprintf(wal, sizeof wal, "%s/pg_wal", data);
            n_bad += each_file(db, when, file_is_bad, &n_db);
            n_bad += each_file(wal, when, file_is_bad, &n_wal);
            n_bad += n_db == 0 || n_wal == 0;
        }
    } else {
        static const char *const names[] = { "siren.db", "siren.db-wal" };
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            char path[256];
            snprintf(path, sizeof path, "%s/%s", f->dir, names[i]);
            n_bad += file_is_bad(path, when);
        }
    }
    CHECK(n_bad == 0);
}

/* 1 when the file at path holds the control marker (each_file()). */
static int
has_marker(const char *path, const char *when)
{
    (void)when;
    struct sr_buf b;
    sr_buf_init(&b, 0);
    int has = read_file(path, &b) &&
              memmem(b.data, b.len, "plain-control-marker", 20) != NULL;
    sr_buf_release(&b);
    return has;
}

struct session {
    char token[33], csrf[65];
};

/* Run one request; the response is released by the caller (done()). */
static void
request(struct webfix *f, const struct session *s, int method, const char *path,
        const char *form, struct arena *a, struct resp *resp)
{
    arena_init(a);
    memset(resp, 0, sizeof *resp);
    sr_buf_init(&resp->body, 0);
    webfix_request(f, a, method, path, "", form,
                   form != NULL ? "application/x-www-form-urlencoded" : NULL,
                   s->token, "", "", "", resp);
}

static void
done(struct arena *a, struct resp *resp)
{
    arena_release(a);
    sr_buf_release(&resp->body);
}

/*
 * POST form (without its csrf field, added here) as s; want status. The
 * redirect's last path segment after prefix goes to code_out when given.
 * Returns 1 if the status was wanted (and a code found when asked).
 */
static int
post(struct webfix *f, const struct session *s, const char *path,
     const char *form, int want, const char *prefix, char *code_out,
     size_t code_size)
{
    struct sr_buf body;
    struct arena a;
    struct resp resp;
    sr_buf_init(&body, 0);
    sr_buf_printf(&body, "csrf=%s&%s", s->csrf, form);
    request(f, s, HTTP_POST, path, body.data, &a, &resp);
    int ok = resp.status == want;
    if (ok && code_out != NULL) {
        const char *p = resp.location ? strstr(resp.location, prefix) : NULL;
        ok = p != NULL;
        if (ok) {
            snprintf(code_out, code_size, "%.*s",
                     (int)strcspn(p + strlen(prefix), "/?#"),
                     p + strlen(prefix));
        }
    }
    if (!ok) {
        fprintf(stderr, "POST %s -> %d (%s)\n%.400s\n", path, resp.status,
                resp.location ? resp.location : "", resp.body.data);
    }
    done(&a, &resp);
    sr_buf_release(&body);
    return ok;
}

static int
sign_in(struct webfix *f, const char *user, struct session *s)
{
    return webfix_login(f, user, s->token, s->csrf) == SR_OK;
}

static int64_t found_id;

static int
keep_id(const struct user_row *u, void *ctx)
{
    (void)ctx;
    found_id = u->id;
    return 1;
}

int
main(void)
{
    sr_clock_set(webfix_clock); /* the harness may move it on */
    struct webfix f;
    webfix_open(&f);
    /* on the store SIREN_TEST_STORE asks for: the 10 users of webfix.h */
    CHECK(webfix_on_right_store(&f, 10));
    unsigned char rnd[8];
    randombytes_buf(rnd, sizeof rnd);
    memcpy(canary, "CANARY-", 7);
    sodium_bin2hex(canary + 7, sizeof canary - 7, rnd, sizeof rnd);
    for (int i = 0; i < 7; i++) {
        canary_digits[i] = (char)('0' + randombytes_uniform(10));
    }
    canary_digits[7] = '\0';
    memcpy(partner_note, "NOTE-", 5);
    sodium_bin2hex(partner_note + 5, sizeof partner_note - 5, rnd + 4, 4);

    struct session partner, hotline, hotlineb, caseworker, investigator,
        coordinator, admin;
    int n_bad_sign_in = 0;
    n_bad_sign_in += !sign_in(&f, "t.hotline", &hotline);
    n_bad_sign_in += !sign_in(&f, "t.hotlineb", &hotlineb);
    n_bad_sign_in += !sign_in(&f, "t.partner", &partner);
    n_bad_sign_in += !sign_in(&f, "t.caseworker", &caseworker);
    n_bad_sign_in += !sign_in(&f, "t.investigator", &investigator);
    n_bad_sign_in += !sign_in(&f, "t.coordinator", &coordinator);
    n_bad_sign_in += !sign_in(&f, "t.admin", &admin);
    CHECK(n_bad_sign_in == 0);

    /* the writes: each must be accepted, or nothing is being tested */
    char form[2048], path[256];
    char contact[32] = "", case_code[32] = "", person[32] = "";
    char entity[32] = "", dataset[32] = "";
    int n_bad_write = 0;
    snprintf(form, sizeof form,
             "received_at=2024-03-01T10:30&channel=phone&language=my&"
             "caller_type=self&category=trafficking&"
             "caller_phone=%%2B66+81+%s&caller_place=%s-CPLACE&"
             "problem_place=%s-PPLACE&summary=%s-SUMMARY&needs=%s-NEEDS&"
             "action_taken=%s-ACTION&consent=ngo",
             canary_digits, canary, canary, canary, canary, canary);
    n_bad_write += !post(&f, &hotline, "/contacts", form, 303, "/contacts/",
                         contact, sizeof contact);
    snprintf(path, sizeof path, "/contacts/%s/refer", contact);
    snprintf(form, sizeof form,
             "to=%s&service=legal_aid&urgency=normal&note=%s-REFNOTE", f.org_b,
             canary);
    char sent_referral[32] = "";
    n_bad_write += !post(&f, &hotline, path, form, 303, "/referrals/",
                         sent_referral, sizeof sent_referral);
    /* a referral from organisation B into A's inbox: its note is for the
     * receiving partner to read (docs/referrals.md), so it carries a
     * marker of its own, not the canary */
    char b_contact[32] = "", referral[32] = "";
    snprintf(form, sizeof form,
             "received_at=2024-03-02T10:30&channel=phone&language=my&"
             "caller_type=self&category=trafficking&"
             "caller_phone=%%2B66+84+%s&summary=%s-BSUMMARY&consent=ngo",
             canary_digits, canary);
    n_bad_write += !post(&f, &hotlineb, "/contacts", form, 303, "/contacts/",
                         b_contact, sizeof b_contact);
    snprintf(path, sizeof path, "/contacts/%s/refer", b_contact);
    snprintf(form, sizeof form,
             "to=%s&service=legal_aid&urgency=normal&note=%s", f.org_a,
             partner_note);
    n_bad_write += !post(&f, &hotlineb, path, form, 303, "/referrals/",
                         referral, sizeof referral);
    n_bad_write += !post(&f, &caseworker, "/cases",
                         "trafficking_status=actual&exploitation="
                         "forced_labour&industry=A&exploit_province=TH-74",
                         303, "/cases/", case_code, sizeof case_code);
    snprintf(path, sizeof path, "/cases/%s/people", case_code);
    snprintf(form, sizeof form,
             "role=victim&name=%s-NAME&aliases=%s-ALIAS&"
             "birth_date=1998-03-04&phone=%%2B66+82+%s&id_number=%s-IDNO&"
             "passport=%s-PASSPORT&address=%s-ADDRESS&gender=female&"
             "citizenship=MM&languages=my",
             canary, canary, canary_digits, canary, canary, canary);
    n_bad_write += !post(&f, &caseworker, path, form, 303, "/people/", person,
                         sizeof person);
    snprintf(path, sizeof path, "/people/%s/consent", person);
    n_bad_write += !post(&f, &caseworker, path, "purpose=share_ngo&state=given",
                         303, NULL, NULL, 0);
    snprintf(path, sizeof path, "/cases/%s/notes", case_code);
    snprintf(form, sizeof form, "note=%s-CASENOTE", canary);
    n_bad_write += !post(&f, &caseworker, path, form, 303, NULL, NULL, 0);
    snprintf(path, sizeof path, "/cases/%s/refer", case_code);
    snprintf(form, sizeof form,
             "to=%s&service=shelter&urgency=low&note=%s-CASEREF", f.org_b,
             canary);
    n_bad_write += !post(&f, &caseworker, path, form, 303, NULL, NULL, 0);
    snprintf(form, sizeof form,
             "kind=person&name=%s-OFFENDER&alias=%s-OALIAS&country=TH&"
             "role=broker&id_kind=licence&id_value=%s-LICENCE",
             canary, canary, canary);
    n_bad_write += !post(&f, &investigator, "/entities", form, 303,
                         "/entities/", entity, sizeof entity);
    snprintf(path, sizeof path, "/directory/%s", f.org_a);
    snprintf(form, sizeof form,
             "provinces=TH-90&languages=my&services=legal_aid&"
             "contact_details=%s-ORGCONTACT+%%2B66+83+%s",
             canary, canary_digits);
    n_bad_write += !post(&f, &admin, path, form, 303, NULL, NULL, 0);
    snprintf(form, sizeof form,
             "name=canary-survey&csv=respondent_name%%2Cphone%%2Cage%%0A"
             "%s-RESPONDENT%%2C08%s%%2C23%%0A"
             "Bo%%2C0899999999%%2C31%%0A&identifying=keep",
             canary, canary_digits);
    n_bad_write += !post(&f, &coordinator, "/stats/datasets", form, 303,
                         "/stats/datasets/", dataset, sizeof dataset);
    CHECK(n_bad_write == 0);

    /* a password through the add-user form and the sign-in form */
    snprintf(form, sizeof form,
             "username=canary.user&org=%s&role=caseworker&password=%s", f.org_a,
             canary_pw);
    CHECK(post(&f, &admin, "/users", form, 303, NULL, NULL, 0));
    {
        struct arena a;
        struct resp resp;
        struct session nobody = { "", "" };
        char pre[AUTH_PRE_TOKEN_HEX + 1];
        CHECK(auth_pre_token_new(f.ws->vault, sr_now_ms() / 1000, pre) ==
              SR_OK);
        snprintf(form, sizeof form,
                 "csrf=%s&username=canary.user&password=%s-wrong", pre,
                 canary_pw);
        arena_init(&a);
        memset(&resp, 0, sizeof resp);
        sr_buf_init(&resp.body, 0);
        webfix_request(&f, &a, HTTP_POST, "/login", "", form,
                       "application/x-www-form-urlencoded", nobody.token, pre,
                       "", "", &resp);
        CHECK(resp.status == 401 && strstr(resp.body.data, canary_pw) == NULL);
        done(&a, &resp);
    }

    /* (i) the files: the writes are in the WAL now */
    check_files(&f, "before checkpoint");

    /* control: the scan does find plain text that is written in clear */
    {
        struct sr_err err = { 0 };
        struct db_stmt *s = db_stmt(f.ws->db, &q_put);
        db_bind_text(s, 1, "control");
        db_bind_blob(s, 2, "plain-control-marker", 20);
        CHECK(db_exec_stmt(f.ws->db, s, &err) == SR_OK);
        /* in the WAL: siren.db-wal, or the server's pg_wal */
        char data[256] = "", db[320] = "", wal[300];
        if (f.pg_db[0] != '\0') {
            int n_wal = 0, is_asked = pg_dirs(&f, data, db);
            snprintf(wal, sizeof wal, "%s/pg_wal", data);
            CHECK(is_asked &&
                  each_file(wal, "control", has_marker, &n_wal) > 0);
        } else {
            snprintf(wal, sizeof wal, "%s/siren.db-wal", f.dir);
            CHECK(has_marker(wal, "control"));
        }
    }

    /* (ii) what the roles without identity permission may see, each page
     * as that role is allowed it (so every answer must be 200) */
    char directory_a[64], dataset_page[64], referral_page[64];
    char sent_page[64];
    snprintf(sent_page, sizeof sent_page, "/referrals/%s", sent_referral);
    snprintf(directory_a, sizeof directory_a, "/directory/%s", f.org_a);
    snprintf(dataset_page, sizeof dataset_page, "/stats/datasets/%s", dataset);
    snprintf(referral_page, sizeof referral_page, "/referrals/%s", referral);
    const char *const admin_pages[] = { "/dashboard",
                                        "/users",
                                        "/orgs",
                                        "/audit",
                                        "/directory",
                                        directory_a,
                                        "/api/v1/directory",
                                        "/api/v1/users",
                                        "/api/v1/me",
                                        "/account",
                                        "/api/v1/audit/verify",
                                        NULL };
    const char *const analyst_pages[] = { "/dashboard",
                                          "/orgs",
                                          "/directory",
                                          directory_a,
                                          "/api/v1/directory",
                                          "/reports/funnel",
                                          "/reports/funnel.csv",
                                          "/reports/funnel.json",
                                          "/reports/network",
                                          "/reports/network.json",
                                          "/reports/hotline",
                                          "/reports/hotline.csv",
                                          "/reports/hotline.json",
                                          "/stats",
                                          dataset_page,
                                          "/api/v1/datasets",
                                          "/stats/analyses/new",
                                          NULL };
    const char *const partner_pages[] = {
        "/dashboard",        "/orgs",
        "/directory",        directory_a,
        "/api/v1/directory", "/referrals/inbox",
        "/api/v1/referrals", referral_page,
        sent_page,           NULL
    };
    const struct {
        const char *user;
        const char *const *pages;
    } viewers[] = {
        { "t.admin", admin_pages },
        { "t.analyst", analyst_pages },
        { "t.partner", partner_pages },
    };
    int n_pages = 0, n_not_ok = 0, n_leaks = 0;
    for (size_t vi = 0; vi < sizeof viewers / sizeof viewers[0]; vi++) {
        struct session s;
        n_bad_sign_in += !sign_in(&f, viewers[vi].user, &s);
        for (const char *const *pg = viewers[vi].pages; *pg != NULL; pg++) {
            struct arena a;
            struct resp resp;
            const char *which = "";
            request(&f, &s, HTTP_GET, *pg, NULL, &a, &resp);
            n_pages++;
            if (resp.status != 200) {
                fprintf(stderr, "GET %s as %s -> %d\n", *pg, viewers[vi].user,
                        resp.status);
                n_not_ok++;
            }
            if (has_canary(resp.body.data, resp.body.len, &which)) {
                fprintf(stderr, "'%s' in GET %s as %s\n", which, *pg,
                        viewers[vi].user);
                n_leaks++;
            }
            done(&a, &resp);
        }
    }
    /* and, beyond those, every GET route as each of them and as nobody,
     * its parameter filled with the record of its kind (most refuse:
     * only leaks count here) */
    const struct {
        const char *prefix, *code;
    } records[] = {
        { "/contacts/", contact },       { "/cases/", case_code },
        { "/people/", person },          { "/entities/", entity },
        { "/referrals/", referral },     { "/directory/", f.org_a },
        { "/stats/datasets/", dataset }, { "/api/v1/cases/", case_code },
        { "/api/v1/people/", person },
    };
    const char *const sweepers[] = { "t.admin", "t.analyst", "t.partner",
                                     NULL };
    for (size_t wi = 0; wi < sizeof sweepers / sizeof sweepers[0]; wi++) {
        struct session s = { "", "" };
        if (sweepers[wi] != NULL) {
            n_bad_sign_in += !sign_in(&f, sweepers[wi], &s);
        }
        for (const struct route *rt = http_routes; rt->pattern; rt++) {
            if (!(rt->methods & HTTP_GET)) {
                continue;
            }
            char page[256];
            const char *brace = strchr(rt->pattern, '{');
            const char *code = "1";
            for (size_t k = 0; k < sizeof records / sizeof records[0]; k++) {
                size_t n = strlen(records[k].prefix);
                if (brace != NULL &&
                    strncmp(rt->pattern, records[k].prefix, n) == 0 &&
                    rt->pattern + n == brace) {
                    code = records[k].code;
                }
            }
            if (brace == NULL) {
                snprintf(page, sizeof page, "%s", rt->pattern);
            } else {
                const char *close = strchr(brace, '}');
                snprintf(page, sizeof page, "%.*s%s%s",
                         (int)(brace - rt->pattern), rt->pattern,
                         strstr(rt->pattern, "{name}") ? "app.css" : code,
                         close ? close + 1 : "");
            }
            struct arena a;
            struct resp resp;
            const char *which = "";
            request(&f, &s, HTTP_GET, page, NULL, &a, &resp);
            if (has_canary(resp.body.data, resp.body.len, &which)) {
                fprintf(stderr, "'%s' in GET %s as %s\n", which, page,
                        sweepers[wi] ? sweepers[wi] : "nobody");
                n_leaks++;
            }
            done(&a, &resp);
        }
    }
    CHECK(n_bad_sign_in == 0);
    CHECK(n_not_ok == 0);
    CHECK(n_leaks == 0);
    CHECK(n_pages > 30);

    /* the contact export (command line and web share it) as the analyst:
     * without identities it holds none; with them it is refused */
    {
        struct principal analyst = { 0 };
        struct sr_err err = { 0 };
        user_get(f.ws->db, 0, "t.analyst", keep_id, NULL, &err);
        analyst.user_id = found_id;
        analyst.org_id = f.org_a_id;
        analyst.role = ROLE_ANALYST;
        struct contact_filter cf = { 0 };
        char out[256];
        int64_t n_rows = 0;
        snprintf(out, sizeof out, "%s/export.csv", f.dir);
        int rc = contact_export(f.ws->db, f.ws->vault, &analyst, &cf, 0,
                                EXPORT_CSV, out, 0, &n_rows, &err);
        sr_err_release(&err);
        struct sr_buf b;
        const char *which = "";
        sr_buf_init(&b, 0);
        int is_read = read_file(out, &b);
        CHECK(rc == SR_OK && n_rows == 2 && is_read &&
              strstr(b.data, contact) != NULL &&
              !has_canary(b.data, b.len, &which));
        sr_buf_release(&b);
        CHECK(contact_export(f.ws->db, f.ws->vault, &analyst, &cf, 1,
                             EXPORT_CSV, out, 0, &n_rows, &err) == SR_EPERM);
        sr_err_release(&err);
        remove(out);
    }

    /* (iii) roles with identity permission see the canary on real pages:
     * the scan above would have found it there */
    {
        char person_page[64], entity_page[64];
        snprintf(person_page, sizeof person_page, "/people/%s", person);
        snprintf(entity_page, sizeof entity_page, "/entities/%s", entity);
        const struct {
            const struct session *s;
            const char *page;
        } shows[] = {
            { &caseworker, person_page },
            { &investigator, entity_page },
            { &coordinator, directory_a },
            { &partner, referral_page },
        };
        int n_shown = 0;
        for (size_t i = 0; i < sizeof shows / sizeof shows[0]; i++) {
            struct arena a;
            struct resp resp;
            request(&f, shows[i].s, HTTP_GET, shows[i].page, NULL, &a, &resp);
            const char *want = shows[i].s == &partner ? partner_note : canary;
            if (resp.status == 200 && strstr(resp.body.data, want) != NULL) {
                n_shown++;
            } else {
                fprintf(stderr, "canary not shown on %s (%d)\n", shows[i].page,
                        resp.status);
            }
            done(&a, &resp);
        }
        CHECK(n_shown == 4);
    }

    /* after a checkpoint the pages are in the main file: still no canary */
    if (f.pg_db[0] != '\0') {
        CHECK(pgtest_run(NULL, "CHECKPOINT", NULL, 0) == 0);
    } else {
        CHECK(sqlite3_wal_checkpoint_v2(db_handle(f.ws->db), NULL,
                                        SQLITE_CHECKPOINT_TRUNCATE, NULL,
                                        NULL) == SQLITE_OK);
    }
    check_files(&f, "after checkpoint");
    /* control: the control row is in the main file now, so that scan
     * reads the pages themselves */
    {
        char data[256] = "", db[320] = "", db_file[256];
        int n_db = 0;
        if (f.pg_db[0] != '\0') {
            CHECK(pg_dirs(&f, data, db) &&
                  each_file(db, "control", has_marker, &n_db) > 0);
        } else {
            snprintf(db_file, sizeof db_file, "%s/siren.db", f.dir);
            CHECK(has_marker(db_file, "control"));
        }
    }
    webfix_close(&f);
    return TEST_DONE("test_canary");
}
