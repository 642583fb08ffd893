/*
 * test_policy.c - the policy table: deny by default, scopes, identity
 * permission, and that every route and every command names an action of
 * the table.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/cli.h"
#include "cli/commands.h"
#include "harness.h"
#include "tally.h"
#include "web/http.h"
#include "base/policy.h"
#include "core/banned.h"

int
main(void)
{
    struct principal anon = { 0 };
    anon.role = ROLE_NONE;
    struct principal admin = { .user_id = 1, .org_id = 1, .role = ROLE_ADMIN };
    struct principal coord = { .user_id = 2,
                               .org_id = 1,
                               .role = ROLE_COORDINATOR };
    struct principal analyst = { .user_id = 3,
                                 .org_id = 2,
                                 .role = ROLE_ANALYST };
    struct principal partner = { .user_id = 4,
                                 .org_id = 3,
                                 .role = ROLE_PARTNER };

    /* deny by default */
    int loop_bad1 = 0;
    for (int a = ACT_SIGNED_IN; a < ACT__COUNT; a++) {
        TALLY(loop_bad1, !policy_allows(&anon, (enum action)a, 0, 0));
    }
    CHECK(loop_bad1 == 0);
    CHECK(policy_allows(&anon, ACT_PUBLIC, 0, 0));
    int loop_bad2 = 0;
    for (int r = 0; r < ROLE__COUNT; r++) {
        TALLY(loop_bad2, policy_scope((enum role)r, ACT_LOCAL) == SCOPE_NONE);
        TALLY(loop_bad2, role_parse(role_name((enum role)r)) == r);
    }
    CHECK(loop_bad2 == 0);
    CHECK(role_parse("root") == ROLE_NONE);
    CHECK(role_parse(NULL) == ROLE_NONE);

    /* scopes */
    CHECK(policy_allows(&admin, ACT_USER_MANAGE, 5, 9));
    CHECK(policy_allows(&coord, ACT_USER_READ, 1, 9));
    CHECK(!policy_allows(&coord, ACT_USER_READ, 2, 9));
    CHECK(!policy_allows(&coord, ACT_USER_MANAGE, 1, 9));
    CHECK(policy_allows(&analyst, ACT_STATS_RUN, 0, 0));
    CHECK(!policy_allows(&analyst, ACT_USER_READ, 2, 0));
    CHECK(!policy_allows(&analyst, ACT_AUDIT_READ, 0, 0));
    CHECK(policy_allows(&partner, ACT_ORG_READ, 3, 0));
    CHECK(!policy_allows(&partner, ACT_ORG_READ, 1, 0));
    CHECK(!policy_allows(&partner, ACT_STATS_RUN, 0, 0));

    /* identity fields: never for admin, analyst or partner */
    CHECK(!policy_can_see_identity(ROLE_ADMIN));
    CHECK(!policy_can_see_identity(ROLE_ANALYST));
    CHECK(!policy_can_see_identity(ROLE_PARTNER));
    CHECK(policy_can_see_identity(ROLE_CASEWORKER));
    CHECK(!policy_can_see_identity(ROLE_NONE));

    /* every route names a known action; state changes are POST + CSRF */
    int n_routes = 0;
    int loop_bad3 = 0;
    for (const struct route *r = http_routes; r->pattern != NULL; r++) {
        n_routes++;
        TALLY(loop_bad3, r->action >= 0 && r->action < ACT__COUNT);
        TALLY(loop_bad3, r->action != ACT_LOCAL);
        TALLY(loop_bad3, r->handler != NULL);
        if (r->methods & HTTP_POST) {
            TALLY(loop_bad3, r->flags & R_CSRF);
        }
        TALLY(loop_bad3, r->pattern[0] == '/');
    }
    CHECK(loop_bad3 == 0);
    CHECK(n_routes > 10);
    /* every command and subcommand names a known action and has a
     * handler, or is the head of its subcommands */
    int n_cmds = 0;
    int loop_bad4 = 0;
    for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
        n_cmds++;
        TALLY(loop_bad4, c->action >= 0 && c->action < ACT__COUNT);
        TALLY(loop_bad4, c->summary != NULL);
        if (c->run == NULL) {
            TALLY(loop_bad4, c->sub == NULL && c[1].name != NULL &&
                                 strcmp(c[1].name, c->name) == 0 &&
                                 c[1].sub != NULL);
        }
    }
    CHECK(loop_bad4 == 0);
    CHECK(n_cmds > 8);
    return TEST_DONE("test_policy");
}
