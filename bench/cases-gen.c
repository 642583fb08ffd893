/*
 * bench/cases-gen.c - the part of bench/cases that needs the workspace's
 * key. Built by bench/cases against build/libsiren.a; not part of siren.
 *
 *   cases-gen people WS N FIRST_ID ORG_ID
 *       prints SQL inserting N people (ids FIRST_ID...) whose synthetic
 *       names all begin with "A" - one dense blocking-key block - with the
 *       names encrypted for their rows and the block's real blind index,
 *       and birth years spread over 1960-2009;
 *   cases-gen entities WS N FIRST_ID ORG_ID
 *       prints SQL inserting N offenders (ids FIRST_ID...) with encrypted
 *       synthetic names;
 *   cases-gen dupcheck WS CASE_CODE K [noyear]
 *       adds K new people to case CASE_CODE through person_add() (which
 *       runs the duplicate check) and prints the time of each kind of add,
 *       wall and CPU; noyear: only the adds without a birth year (for
 *       profiling).
 *
 * The passphrase comes from SIREN_PASSPHRASE. Synthetic names only.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases/case.h"
#include "core/clock.h"
#include "cases/person.h"
#include "base/vault.h"
#include "base/workspace.h"
#include "core/banned.h"

static const char *const first[] = { "Aung", "Aye",   "Ahmad", "Anan",
                                     "Arun", "Amara", "Ari",   "Akira" };
static const char *const more[] = { "Kyaw",  "Min",   "Thura", "Soe", "Lin",
                                    "Htet",  "Naing", "Zaw",   "Win", "Oo",
                                    "Myint", "Tun",   "Hla",   "Mon", "Khin" };

static unsigned long long rng_state = 20261128;

static unsigned
next(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng_state >> 33) % n);
}

static void
make_name(char *out, size_t size, long long i)
{
    snprintf(out, size, "%s %s %s %s Synthetic%lld", first[next(8)],
             more[next(15)], more[next(15)], more[next(15)], i % 97);
}

static void
print_hex(const unsigned char *p, size_t n)
{
    char hex[1024];
    while (n > 0) {
        size_t k = n > 500 ? 500 : n;
        vault_hex(p, k, hex);
        fputs(hex, stdout);
        p += k;
        n -= k;
    }
}

static int
gen_rows(struct ws *ws, int is_people, long long n, long long first_id,
         long long org_id)
{
    struct sr_err err = { 0 };
    struct sr_buf blob;
    sr_buf_init(&blob, 0);
    unsigned char block[32];
    if (vault_blind_index(ws->vault, "nameblk", "a", 1, block, &err) != SR_OK) {
        fprintf(stderr, "cases-gen: %s\n", sr_err_msg(&err));
        return 1;
    }
    long long now = (long long)sr_now();
    puts("BEGIN;");
    for (long long i = 0; i < n; i++) {
        long long id = first_id + i;
        char name[128];
        make_name(name, sizeof name, id);
        if (vault_encrypt(ws->vault, is_people ? "person" : "entity", "name",
                          id, name, strlen(name), &blob, &err) != SR_OK) {
            fprintf(stderr, "cases-gen: %s\n", sr_err_msg(&err));
            return 1;
        }
        if (is_people) {
            printf("INSERT INTO person(id, code, org_id, name, name_block,"
                   " birth_year, citizenship, gender, created_at)"
                   " VALUES (%lld, 'P-%04lld-%04lld', %lld, X'",
                   id, id / 10000, id % 10000, org_id);
            print_hex((const unsigned char *)blob.data, blob.len);
            printf("', X'");
            print_hex(block, 32);
            printf("', %u, 'MM', '%s', %lld);\n", 1960 + next(50),
                   next(2) ? "male" : "female", now);
        } else {
            static const char *const kinds[] = { "person",  "person",
                                                 "person",  "employer",
                                                 "factory", "vessel" };
            unsigned k = next(6);
            printf("INSERT INTO entity(id, code, org_id, kind, name, country,"
                   " roles, created_at) VALUES (%lld, 'E-%04lld-%04lld',"
                   " %lld, '%s', X'",
                   id, id / 10000, id % 10000, org_id, kinds[k]);
            print_hex((const unsigned char *)blob.data, blob.len);
            /* bit 2 broker; bit 8 business owner */
            printf("', 'TH', %d, %lld);\n", k < 3 ? 4 : 256, now);
        }
    }
    puts("COMMIT;");
    vault_buf_wipe(&blob);
    return 0;
}

static double
ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double
cpu_ms(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/*
 * Add k people of one shape; print median and max ms: wall, CPU of all
 * threads and CPU of the calling thread. On a busy machine the CPU times
 * are the steadier figures; the calling thread's is close to the wall
 * time on an idle one (the other thread scores while it reads).
 */
static int
time_adds(struct ws *ws, const char *case_code, int k, int shape,
          const char *what)
{
    struct principal who = principal_local();
    double *ms = calloc((size_t)k, sizeof *ms);
    double *cpu = calloc((size_t)k, sizeof *cpu);
    double *own = calloc((size_t)k, sizeof *own);
    if (ms == NULL || cpu == NULL || own == NULL) {
        free(ms);
        free(cpu);
        free(own);
        return 1;
    }
    long long n_dups_total = 0;
    for (int i = 0; i < k; i++) {
        struct person_input in;
        memset(&in, 0, sizeof in);
        char name[128], phone[32];
        make_name(name, sizeof name, 500000 + i);
        snprintf(phone, sizeof phone, "+95 9 555 %04d", 1000 + i);
        in.age_trafficked = -1;
        in.citizenship = "MM";
        if (shape == 0) {
            in.phone = phone; /* no name: the phone lookup only */
        } else {
            in.name = name;
            in.phone = phone;
            in.birth_year = shape == 1 ? 1960 + (int)next(50) : 0;
        }
        struct sr_err err = { 0 };
        char code[32];
        int n_dups = 0;
        struct timespec t0;
        double c0 = cpu_ms(CLOCK_PROCESS_CPUTIME_ID);
        double o0 = cpu_ms(CLOCK_THREAD_CPUTIME_ID);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int rc = person_add(ws->db, ws->vault, &who, case_code, "victim", &in,
                            code, NULL, &n_dups, &err);
        ms[i] = ms_since(&t0);
        cpu[i] = cpu_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
        own[i] = cpu_ms(CLOCK_THREAD_CPUTIME_ID) - o0;
        if (rc != SR_OK) {
            fprintf(stderr, "cases-gen: %s\n", sr_err_msg(&err));
            free(ms);
            free(cpu);
            free(own);
            return 1;
        }
        n_dups_total += n_dups;
    }
    qsort(ms, (size_t)k, sizeof *ms, cmp_double);
    qsort(cpu, (size_t)k, sizeof *cpu, cmp_double);
    qsort(own, (size_t)k, sizeof *own, cmp_double);
    printf("%s (%d adds, %lld suggestions): wall median %.1f ms, max %.1f ms,"
           " min %.1f ms; CPU median %.1f ms, max %.1f ms; this thread's CPU"
           " median %.1f ms, max %.1f ms\n",
           what, k, n_dups_total, ms[k / 2], ms[k - 1], ms[0], cpu[k / 2],
           cpu[k - 1], own[k / 2], own[k - 1]);
    if (shape != 0) {
        printf("  ratio of the max to the 200 ms goal: %.2f (wall), %.2f"
               " (this thread's CPU)\n",
               ms[k - 1] / 200.0, own[k - 1] / 200.0);
    }
    free(ms);
    free(cpu);
    free(own);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: cases-gen people|entities WS N FIRST_ID "
                        "ORG_ID | dupcheck WS CASE_CODE K [noyear]\n");
        return 2;
    }
    const char *pass = getenv("SIREN_PASSPHRASE");
    if (vault_init() != SR_OK || pass == NULL) {
        fprintf(stderr, "cases-gen: no libsodium or no SIREN_PASSPHRASE\n");
        return 1;
    }
    struct ws *ws;
    struct sr_err err = { 0 };
    if (ws_open(argv[2], pass, strlen(pass), 0, &ws, &err) != SR_OK) {
        fprintf(stderr, "cases-gen: %s\n", sr_err_msg(&err));
        return 1;
    }
    int rc = 2;
    long long a = 0, b = 0, c = 0;
    if ((strcmp(argv[1], "people") == 0 || strcmp(argv[1], "entities") == 0) &&
        argc == 6 && sr_parse_i64(argv[3], 1, 10000000, &a) == SR_OK &&
        sr_parse_i64(argv[4], 1, 100000000, &b) == SR_OK &&
        sr_parse_i64(argv[5], 1, 100000000, &c) == SR_OK) {
        rc = gen_rows(ws, argv[1][0] == 'p', a, b, c);
    } else if (strcmp(argv[1], "dupcheck") == 0 &&
               (argc == 5 || (argc == 6 && strcmp(argv[5], "noyear") == 0)) &&
               sr_parse_i64(argv[4], 1, 10000, &a) == SR_OK) {
        rc = 0;
        if (argc == 5) {
            rc = time_adds(ws, argv[3], (int)a, 0, "add, phone only (no name)");
        }
        if (rc == 0 && argc == 5) {
            rc = time_adds(ws, argv[3], (int)a, 1,
                           "add, name in the dense block + birth year");
        }
        if (rc == 0) {
            rc = time_adds(ws, argv[3], (int)a, 2,
                           "add, name in the dense block, no birth year");
        }
    } else {
        fprintf(stderr, "cases-gen: bad arguments\n");
    }
    ws_close(ws);
    return rc;
}
