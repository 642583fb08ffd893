/*
 * test_contact_import.c - the CSV import (every kind of bad row reported
 * with its line and column and nothing written; --skip-invalid writes the
 * valid rows and hands the others over with reasons; re-importing adds
 * nothing; HXL tags map columns; caps hold) and the export (cells that
 * begin with = + - @ tab CR neutralised; identity columns only for roles
 * that may see them and ask; audited with the number of rows).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/audit.h"
#include "hotline/contact.h"
#include "hotline/contact_export.h"
#include "hotline/contact_import.h"
#include "fixture.h"
#include "harness.h"
#include "tally.h"
#include "base/org.h"

#include "core/banned.h"

struct errs {
    int n;
    char text[4096];
};

static void
on_error(int64_t line, const char *column, const char *msg, void *ctx)
{
    struct errs *e = ctx;
    size_t len = strlen(e->text);
    snprintf(e->text + len, sizeof e->text - len, "[%lld %s: %s]",
             (long long)line, column, msg);
    e->n++;
}

struct rejects {
    int n;
    int64_t lines[16];
    char reasons[2048];
};

static void
on_reject(int64_t line, const char *const *cells, size_t n, const char *reasons,
          void *ctx)
{
    struct rejects *r = ctx;
    (void)cells;
    (void)n;
    if (r->n < 16) {
        r->lines[r->n] = line;
    }
    r->n++;
    size_t len = strlen(r->reasons);
    snprintf(r->reasons + len, sizeof r->reasons - len, "[%s]", reasons);
}

static int
count_audit(const struct audit_row *r, void *ctx)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

static int
audit_count(struct db *db, const char *action)
{
    struct audit_filter f = { 0 };
    f.action = action;
    f.limit = 1000;
    struct sr_err err = { 0 };
    int n = 0;
    audit_list(db, &f, count_audit, &n, &err);
    return n;
}

static int
count_row(const struct contact_row *r, void *ctx)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

static int
n_contacts(struct db *db, const struct principal *who)
{
    struct contact_filter f;
    memset(&f, 0, sizeof f);
    f.limit = 1000;
    int n = 0;
    struct sr_err err = { 0 };
    (void)contact_list(db, who, &f, count_row, &n, NULL, &err);
    return n;
}

static FILE *
mem(const char *text)
{
    return fmemopen((void *)text, strlen(text), "r");
}

static const char *const header =
    "received_at,channel,language,caller_type,caller_phone,"
    "problem_province,category,issues,sector,danger,n_affected,"
    "duration_s,consent,summary\n";

/* Read a whole small file into buf. */
static void
slurp(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, size - 1, f) : 0;
    buf[n] = '\0';
    if (f) {
        fclose(f);
    }
}

int
main(void)
{
    struct vault *v = fixture_vault();
    struct db *db = fixture_db();
    struct sr_err err = { 0 };
    char org_code[32];
    int64_t org_id;
    CHECK(org_add(db, v, 0, "Hotline", "hotline", "TH", org_code, &org_id,
                  &err) == SR_OK);
    struct principal cli = { .user_id = 0,
                             .org_id = org_id,
                             .role = ROLE_COORDINATOR };
    struct import_opts o = { 0, 7 * 3600, 2, "TH" };
    struct import_report rep;

    /* every kind of bad row; line 1 is the header */
    char bad[4096];
    snprintf(bad, sizeof bad, "%s%s", header,
             "2026-10-01 09:00,pigeon,my,self,,,labour_rights,,,no,1,0,,\n"
             "2026-10-01 09:00,phone,xx,self,,,labour_rights,,,no,1,0,,\n"
             "2026-10-01 09:00,phone,my,self,call me,,labour_rights,,,no,1,"
             "0,,\n"
             "2026-10-01 09:00,phone,my,self,,TH-99,labour_rights,,,no,1,0,"
             ",\n"
             "2026-10-01 09:00,phone,my,self,,,labour_rights,flying,,no,1,0,"
             ",\n"
             "2026-10-01 09:00,phone,my,self,,,labour_rights,,,maybe,1,0,,\n"
             "2026-10-01 09:00,phone,my,self,,,labour_rights,,,no,x,0,,\n"
             "2026-10-01 09:00,phone,my,self,,,labour_rights,,,no,1,-5,,\n"
             "2026-10-01 09:00,phone,my,self,,,labour_rights,,,no,1,0,all,\n"
             "1 Oct 2026,phone,my,self,,,labour_rights,,,no,1,0,,\n"
             "2026-10-01 09:00,phone,my,self,,,labour_rights,,,no,1,0,,"
             "\"a\nb\",extra\n"
             "2026-10-01 09:00,phone,my,self,,,documents,,,no,1,0,,fine\n");
    struct errs e;
    memset(&e, 0, sizeof e);
    struct import_sink sink = { on_error, NULL, NULL, &e };
    FILE *f = mem(bad);
    CHECK(contact_import(db, v, &cli, f, &o, &sink, &rep, &err) == SR_EINVAL);
    fclose(f);
    CHECK(strstr(sr_err_msg(&err), "11 of 12 rows") != NULL);
    /* expected: the line of each row (header = 1) and the column named */
    static const char *const want[] = {
        "[2 channel:",          "[3 language:",     "[4 caller_phone:",
        "[5 problem_province:", "[6 issues:",       "[7 danger:",
        "[8 n_affected:",       "[9 duration_s:",   "[10 consent:",
        "[11 received_at:",     "[12 : more cells",
    };
    int loop_bad1 = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (strstr(e.text, want[i]) == NULL) {
            fprintf(stderr, "missing %s in %s\n", want[i], e.text);
            TALLY(loop_bad1, 0);
        }
    }
    CHECK(loop_bad1 == 0);
    CHECK(strstr(e.text, "call me") == NULL);
    CHECK(rep.n_rows == 12 && rep.n_invalid == 11);
    CHECK(n_contacts(db, &cli) == 0);
    CHECK(audit_count(db, "contact.create") == 0);

    /* a bulk load (empty table) whose bad row comes after two good ones
     * already written to its transaction in batches of 2 (o.batch_rows):
     * the error is reported and everything rolled back */
    char late[1024];
    snprintf(late, sizeof late, "%s%s", header,
             "2026-10-01 09:00,phone,my,self,+66 81 000 3333,,labour_rights,"
             ",,no,1,0,,\n"
             "2026-10-01 10:00,phone,my,self,,,documents,,,no,1,0,,\n"
             "2026-10-01 11:00,phone,my,self,,,gossip,,,no,1,0,,\n");
    memset(&e, 0, sizeof e);
    f = mem(late);
    CHECK(contact_import(db, v, &cli, f, &o, &sink, &rep, &err) == SR_EINVAL);
    fclose(f);
    CHECK(strstr(sr_err_msg(&err), "1 of 3 rows") != NULL);
    CHECK(strstr(e.text, "[4 category:") != NULL);
    CHECK(rep.n_created == 0 && rep.n_rows == 3 && rep.n_invalid == 1);
    CHECK(n_contacts(db, &cli) == 0);
    CHECK(audit_count(db, "contact.") == 0);

    /* --skip-invalid: the good row is written, the others handed over */
    struct rejects rj;
    memset(&rj, 0, sizeof rj);
    struct import_sink sink2 = { NULL, NULL, on_reject, &rj };
    o.is_skip_invalid = 1;
    f = mem(bad);
    CHECK(contact_import(db, v, &cli, f, &o, &sink2, &rep, &err) == SR_OK);
    fclose(f);
    CHECK(rep.n_created == 1 && rj.n == 11);
    CHECK(rj.lines[0] == 2 && rj.lines[10] == 12);
    CHECK(strstr(rj.reasons, "[channel: not one of the allowed values]") !=
          NULL);
    CHECK(n_contacts(db, &cli) == 1);

    /* a good file with a multi-line cell, twice: nothing added the
     * second time; batches of 2 rows */
    char good[2048];
    snprintf(good, sizeof good, "%s%s", header,
             "2026-10-01 09:00,phone,my,self,+66 81 000 1111,TH-90,"
             "trafficking,debt;confinement,fishing,yes,3,300,ngo;police,"
             "\"two\nlines\"\n"
             "2026-10-02 09:00Z,line,km,family,,TH-11,labour_rights,,,no,"
             ",,,\n"
             "2026-10-03T09:00:00+06:30,sms,my,friend,'+66 81 000 2222,,"
             "documents,,,no,1,0,,'=1+1\n");
    o.is_skip_invalid = 0;
    f = mem(good);
    CHECK(contact_import(db, v, &cli, f, &o, NULL, &rep, &err) == SR_OK);
    CHECK(rep.n_created == 3 && rep.n_dup == 0);
    rewind(f);
    CHECK(contact_import(db, v, &cli, f, &o, NULL, &rep, &err) == SR_OK);
    fclose(f);
    CHECK(rep.n_created == 0 && rep.n_dup == 3);
    CHECK(n_contacts(db, &cli) == 4);
    /* the first import went into an empty table: a bulk load, one
     * contact.import audit row; the next one (3 rows into 1) went the
     * batched way, a contact.create row per contact, as the workspace is
     * in use and a bulk load would hold the write lock to the end; the
     * re-import stored nothing */
    CHECK(audit_count(db, "contact.create") == 3);
    CHECK(audit_count(db, "contact.import") == 1);

    /* HXL: tags map columns whatever the header says */
    const char *hxl =
        "When,How,Lang,Who,What\n"
        "#date,#contact+channel,#language,#contact+type,#category\n"
        "2026-10-05 10:00,phone,my,self,labour_rights\n";
    f = mem(hxl);
    CHECK(contact_import(db, v, &cli, f, &o, NULL, &rep, &err) == SR_OK);
    fclose(f);
    CHECK(rep.has_hxl == 1 && rep.n_created == 1);
    /* a header naming no known column, and a missing required one */
    memset(&e, 0, sizeof e);
    struct import_sink sink3 = { on_error, NULL, NULL, &e };
    f = mem("received_at,channel,colour\n2026-10-05 10:00,phone,red\n");
    CHECK(contact_import(db, v, &cli, f, &o, &sink3, &rep, &err) == SR_EINVAL);
    fclose(f);
    CHECK(strstr(e.text, "[1 colour: unknown column") != NULL);
    CHECK(strstr(e.text, "[1 category: required column missing]") != NULL);
    f = mem("");
    CHECK(contact_import(db, v, &cli, f, &o, NULL, &rep, &err) == SR_EINVAL);
    fclose(f);
    f = mem("a,\"b\nc");
    CHECK(contact_import(db, v, &cli, f, &o, NULL, &rep, &err) == SR_EINVAL);
    fclose(f);
    CHECK(n_contacts(db, &cli) == 5);

    /* export: neutralised cells, identity columns only when asked by a
     * role that may see them, one audit row with the count */
    char path[] = "/tmp/siren-export-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    struct contact_filter all;
    memset(&all, 0, sizeof all);
    int64_t n = 0;
    char buf[8192];
    CHECK(contact_export(db, v, &cli, &all, 0, EXPORT_CSV, path, 7 * 3600, &n,
                         &err) == SR_OK);
    CHECK(n == 5);
    slurp(path, buf, sizeof buf);
    CHECK(strstr(buf, "\"code\",\"received_at\"") != NULL);
    CHECK(strstr(buf, "1111") == NULL && strstr(buf, "lines") == NULL);
    CHECK(strstr(buf, "caller_phone") == NULL);
    CHECK(strstr(buf, "\"debt;confinement\"") != NULL);
    CHECK(contact_export(db, v, &cli, &all, 1, EXPORT_CSV, path, 7 * 3600, &n,
                         &err) == SR_OK);
    slurp(path, buf, sizeof buf);
    CHECK(strstr(buf, "\"'+66810001111\"") != NULL); /* in E.164 */
    CHECK(strstr(buf, "\"'=1+1\"") != NULL);
    CHECK(strstr(buf, "\"two\nlines\"") != NULL);
    struct principal analyst = { .user_id = 7,
                                 .org_id = org_id,
                                 .role = ROLE_ANALYST };
    struct principal partner = { .user_id = 8,
                                 .org_id = org_id,
                                 .role = ROLE_PARTNER };
    CHECK(contact_export(db, v, &analyst, &all, 1, EXPORT_CSV, path, 0, &n,
                         &err) == SR_EPERM);
    CHECK(contact_export(db, v, &analyst, &all, 0, EXPORT_CSV, path, 0, &n,
                         &err) == SR_OK);
    CHECK(n == 5);
    slurp(path, buf, sizeof buf);
    CHECK(strstr(buf, "1111") == NULL && strstr(buf, "=1+1") == NULL);
    CHECK(contact_export(db, v, &partner, &all, 0, EXPORT_CSV, path, 0, &n,
                         &err) == SR_EPERM);
    CHECK(audit_count(db, "contact.export") == 3);
    CHECK(contact_export(db, v, &cli, &all, 1, EXPORT_XLSX, path, 0, &n,
                         &err) == SR_OK);
    slurp(path, buf, sizeof buf);
    CHECK(buf[0] == 'P' && buf[1] == 'K'); /* a zip container */
    unlink(path);

    /* the neutraliser itself */
    CHECK(export_is_risky("=SUM(A1)") && export_is_risky("+66") &&
          export_is_risky("-2") && export_is_risky("@x") &&
          export_is_risky("\tx") && export_is_risky("\rx"));
    CHECK(!export_is_risky("66") && !export_is_risky("") &&
          !export_is_risky("a=b"));

    sr_err_release(&err);
    db_close(db);
    vault_free(v);
    return TEST_DONE("test_contact_import");
}
