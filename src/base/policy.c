/*
 * policy.c - the policy table: for each role, which actions on which
 * record scope, and whether identity fields may be seen.
 *
 * Owns roles and actions. Deny by default: a (role, action) pair absent
 * from the table is SCOPE_NONE. The route and command tables name an
 * action from here; a test checks that every route and command does.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/policy.h"

#include <stddef.h>
#include <string.h>

#include "core/i18n.h"

#include "core/banned.h"

struct role_info {
    const char *name;     /* stored in user.role */
    const char *label;    /* msgid shown to people */
    int can_see_identity; /* 1: identity fields, each view audited */
};

static const struct role_info roles[ROLE__COUNT] = {
    [ROLE_ADMIN] = { "admin", N_("Administrator"), 0 },
    [ROLE_COORDINATOR] = { "coordinator", N_("Coordinator"), 1 },
    [ROLE_HOTLINE] = { "hotline", N_("Hotline operator"), 1 },
    [ROLE_CASEWORKER] = { "caseworker", N_("Case worker"), 1 },
    [ROLE_INVESTIGATOR] = { "investigator", N_("Investigator"), 1 },
    [ROLE_ANALYST] = { "analyst", N_("Analyst"), 0 },
    [ROLE_PARTNER] = { "partner", N_("Partner organisation"), 0 },
};

static const char *const action_names[ACT__COUNT] = {
    [ACT_PUBLIC] = "public",
    [ACT_SIGNED_IN] = "signed_in",
    [ACT_LOCAL] = "local",
    [ACT_USER_READ] = "user.read",
    [ACT_USER_MANAGE] = "user.manage",
    [ACT_ORG_READ] = "org.read",
    [ACT_ORG_MANAGE] = "org.manage",
    [ACT_AUDIT_READ] = "audit.read",
    [ACT_AUDIT_VERIFY] = "audit.verify",
    [ACT_STATS_RUN] = "stats.run",
    [ACT_CONTACT_CREATE] = "contact.create",
    [ACT_CONTACT_READ] = "contact.read",
    [ACT_CONTACT_EXPORT] = "contact.export",
    [ACT_CONTACT_IMPORT] = "contact.import",
    [ACT_REFERRAL_SEND] = "referral.send",
    [ACT_REFERRAL_READ] = "referral.read",
    [ACT_REFERRAL_ANSWER] = "referral.answer",
    [ACT_REPORT_READ] = "report.read",
    [ACT_EVENT_MANAGE] = "event.manage",
    [ACT_SURVEY_MANAGE] = "survey.manage",
    [ACT_CASE_CREATE] = "case.create",
    [ACT_CASE_READ] = "case.read",
    [ACT_CASE_UPDATE] = "case.update",
    [ACT_GLASS_BREAK] = "case.break_glass",
    [ACT_GLASS_REVIEW] = "case.review_glass",
    [ACT_DEDUP_DECIDE] = "person.dedup",
    [ACT_JUSTICE_RECORD] = "justice.record",
    [ACT_FUNNEL_READ] = "funnel.read",
    [ACT_ENTITY_READ] = "entity.read",
    [ACT_ENTITY_MANAGE] = "entity.manage",
    [ACT_NETWORK_STATS] = "network.stats",
    /* contacts */
    [ACT_CONTACT_DELETE] = "contact.delete",
};

struct policy_rule {
    enum role role;
    enum action action;
    enum scope scope;
};

/*
 * The policy table. ACT_PUBLIC and ACT_SIGNED_IN are decided in
 * policy_allows(); ACT_LOCAL is never granted to a role.
 */
static const struct policy_rule rules[] = {
    { ROLE_ADMIN, ACT_USER_READ, SCOPE_ALL },
    { ROLE_ADMIN, ACT_USER_MANAGE, SCOPE_ALL },
    { ROLE_ADMIN, ACT_ORG_READ, SCOPE_ALL },
    { ROLE_ADMIN, ACT_ORG_MANAGE, SCOPE_ALL },
    { ROLE_ADMIN, ACT_AUDIT_READ, SCOPE_ALL },
    { ROLE_ADMIN, ACT_AUDIT_VERIFY, SCOPE_ALL },
    { ROLE_COORDINATOR, ACT_USER_READ, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_ORG_READ, SCOPE_ALL },
    { ROLE_COORDINATOR, ACT_AUDIT_READ, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_STATS_RUN, SCOPE_ALL },
    { ROLE_HOTLINE, ACT_ORG_READ, SCOPE_ALL },
    { ROLE_CASEWORKER, ACT_ORG_READ, SCOPE_ALL },
    { ROLE_INVESTIGATOR, ACT_ORG_READ, SCOPE_ALL },
    { ROLE_ANALYST, ACT_ORG_READ, SCOPE_ALL },
    { ROLE_ANALYST, ACT_STATS_RUN, SCOPE_ALL },
    { ROLE_PARTNER, ACT_ORG_READ, SCOPE_ORG },
    /* the hotline and its referral network */
    { ROLE_COORDINATOR, ACT_CONTACT_CREATE, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_CONTACT_READ, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_CONTACT_EXPORT, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_CONTACT_IMPORT, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_REFERRAL_SEND, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_REFERRAL_READ, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_REPORT_READ, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_EVENT_MANAGE, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_SURVEY_MANAGE, SCOPE_ALL },
    { ROLE_HOTLINE, ACT_CONTACT_CREATE, SCOPE_ORG },
    { ROLE_HOTLINE, ACT_CONTACT_READ, SCOPE_ORG },
    { ROLE_HOTLINE, ACT_REFERRAL_SEND, SCOPE_ORG },
    { ROLE_HOTLINE, ACT_REFERRAL_READ, SCOPE_ORG },
    { ROLE_HOTLINE, ACT_REPORT_READ, SCOPE_ORG },
    { ROLE_CASEWORKER, ACT_CONTACT_CREATE, SCOPE_ORG },
    { ROLE_CASEWORKER, ACT_CONTACT_READ, SCOPE_ORG },
    { ROLE_CASEWORKER, ACT_REFERRAL_SEND, SCOPE_ORG },
    { ROLE_CASEWORKER, ACT_REFERRAL_READ, SCOPE_ORG },
    { ROLE_ANALYST, ACT_CONTACT_EXPORT, SCOPE_ALL },
    { ROLE_ANALYST, ACT_REPORT_READ, SCOPE_ALL },
    { ROLE_ANALYST, ACT_SURVEY_MANAGE, SCOPE_ALL },
    { ROLE_PARTNER, ACT_REFERRAL_READ, SCOPE_ORG },
    { ROLE_PARTNER, ACT_REFERRAL_ANSWER, SCOPE_ORG },
    /* cases, victims, the justice funnel and offender networks */
    { ROLE_COORDINATOR, ACT_CASE_CREATE, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_CASE_READ, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_CASE_UPDATE, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_GLASS_REVIEW, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_DEDUP_DECIDE, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_JUSTICE_RECORD, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_FUNNEL_READ, SCOPE_ORG },
    { ROLE_COORDINATOR, ACT_ENTITY_READ, SCOPE_ORG },
    { ROLE_CASEWORKER, ACT_CASE_CREATE, SCOPE_ORG },
    { ROLE_CASEWORKER, ACT_CASE_READ, SCOPE_ORG },
    { ROLE_CASEWORKER, ACT_CASE_UPDATE, SCOPE_OWN },
    { ROLE_CASEWORKER, ACT_GLASS_BREAK, SCOPE_ALL },
    { ROLE_CASEWORKER, ACT_DEDUP_DECIDE, SCOPE_ORG },
    { ROLE_CASEWORKER, ACT_JUSTICE_RECORD, SCOPE_OWN },
    { ROLE_HOTLINE, ACT_CASE_CREATE, SCOPE_ORG },
    { ROLE_INVESTIGATOR, ACT_CASE_READ, SCOPE_ORG },
    { ROLE_INVESTIGATOR, ACT_JUSTICE_RECORD, SCOPE_ORG },
    { ROLE_INVESTIGATOR, ACT_FUNNEL_READ, SCOPE_ALL },
    { ROLE_INVESTIGATOR, ACT_ENTITY_READ, SCOPE_ALL },
    { ROLE_INVESTIGATOR, ACT_ENTITY_MANAGE, SCOPE_ALL },
    { ROLE_ANALYST, ACT_FUNNEL_READ, SCOPE_ALL },
    { ROLE_ANALYST, ACT_NETWORK_STATS, SCOPE_ALL },
    /* contacts */
    { ROLE_COORDINATOR, ACT_CONTACT_DELETE, SCOPE_ORG },
};

const char *
role_name(enum role r)
{
    return r >= 0 && r < ROLE__COUNT ? roles[r].name : NULL;
}

const char *
role_label(enum role r)
{
    return r >= 0 && r < ROLE__COUNT ? roles[r].label : "";
}

enum role
role_parse(const char *name)
{
    for (int r = 0; name != NULL && r < ROLE__COUNT; r++) {
        if (strcmp(roles[r].name, name) == 0) {
            return (enum role)r;
        }
    }
    return ROLE_NONE;
}

const char *
action_name(enum action a)
{
    return a >= 0 && a < ACT__COUNT ? action_names[a] : "unknown";
}

enum scope
policy_scope(enum role r, enum action a)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (rules[i].role == r && rules[i].action == a) {
            return rules[i].scope;
        }
    }
    return SCOPE_NONE;
}

int
policy_can_see_identity(enum role r)
{
    return r >= 0 && r < ROLE__COUNT && roles[r].can_see_identity;
}

int
policy_allows(const struct principal *p, enum action a, int64_t obj_org_id,
              int64_t obj_owner_id)
{
    if (a == ACT_PUBLIC) {
        return 1;
    }
    if (p != NULL && p->is_local) {
        return 1;
    }
    if (p == NULL || p->user_id <= 0 || p->role < 0 || p->role >= ROLE__COUNT) {
        return 0;
    }
    if (a == ACT_SIGNED_IN) {
        return 1;
    }
    switch (policy_scope(p->role, a)) {
    case SCOPE_ALL:
        return 1;
    case SCOPE_ORG:
        return obj_org_id == 0 || obj_org_id == p->org_id;
    case SCOPE_OWN:
        return (obj_org_id == 0 && obj_owner_id == 0) ||
               obj_owner_id == p->user_id;
    default:
        return 0;
    }
}
