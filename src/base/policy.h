/*
 * policy.h - roles, actions, record scopes and identity permission: the
 * one policy table every CLI command and every route is checked against.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_POLICY_H
#define SR_POLICY_H

#include <stdbool.h>
#include <stdint.h>

enum role {
    ROLE_NONE = -1, /* anonymous */
    ROLE_ADMIN = 0,
    ROLE_COORDINATOR,
    ROLE_HOTLINE,
    ROLE_CASEWORKER,
    ROLE_INVESTIGATOR,
    ROLE_ANALYST,
    ROLE_PARTNER,
    ROLE__COUNT
};

/* How far an allowed action reaches. Ordered: a wider scope is larger. */
enum scope {
    SCOPE_NONE = 0, /* not allowed */
    SCOPE_OWN,      /* records the user created or is assigned */
    SCOPE_ORG,      /* records of the user's organisation */
    SCOPE_ALL       /* every record */
};

/*
 * Actions. ACT_PUBLIC needs no sign-in; ACT_SIGNED_IN any active account;
 * ACT_LOCAL is a command-line act of whoever holds the workspace
 * passphrase (there is no signed-in user on the command line).
 */
enum action {
    ACT_PUBLIC = 0,
    ACT_SIGNED_IN,
    ACT_LOCAL,
    ACT_USER_READ,
    ACT_USER_MANAGE,
    ACT_ORG_READ,
    ACT_ORG_MANAGE,
    ACT_AUDIT_READ,
    ACT_AUDIT_VERIFY,
    ACT_STATS_RUN,
    ACT_CONTACT_CREATE,  /* log a call, SMS, chat, walk-in */
    ACT_CONTACT_READ,    /* list and view contacts */
    ACT_CONTACT_EXPORT,  /* CSV/XLSX export (identities only with permission) */
    ACT_CONTACT_IMPORT,  /* import earlier records */
    ACT_REFERRAL_SEND,   /* refer a contact or case to an organisation */
    ACT_REFERRAL_READ,   /* see referrals sent by, or to, the organisation */
    ACT_REFERRAL_ANSWER, /* a partner answers the referrals sent to it */
    ACT_REPORT_READ,     /* the hotline's monthly report */
    ACT_EVENT_MANAGE,    /* record campaigns, broadcasts, registration rounds */
    ACT_SURVEY_MANAGE,   /* keep survey data sets in the workspace */
    ACT_CASE_CREATE,     /* open a case, add people to it */
    ACT_CASE_READ,       /* list and view cases (codes, attributes) */
    ACT_CASE_UPDATE,     /* change a case: status, plan, notes, consent */
    ACT_GLASS_BREAK,     /* emergency view of identities, with a reason */
    ACT_GLASS_REVIEW,    /* review emergency views */
    ACT_DEDUP_DECIDE,    /* confirm or reject possible duplicates; merge */
    ACT_JUSTICE_RECORD,  /* record justice events on a case */
    ACT_FUNNEL_READ,     /* the criminal-justice funnel report */
    ACT_ENTITY_READ,     /* offender and broker records and their network */
    ACT_ENTITY_MANAGE,   /* add and link offenders, brokers, businesses */
    ACT_NETWORK_STATS,   /* counts and network statistics only */
    /* contacts */
    ACT_CONTACT_DELETE, /* soft-delete a contact with a reason */
    ACT__COUNT
};

/*
 * Who is acting: built once by each front door, the web from the session
 * (session_load()), the command line with principal_local() (principal.h).
 */
struct principal {
    int64_t user_id; /* 0 = nobody signed in, or the command line */
    int64_t org_id;  /* the user's organisation; the command line's: 0 =
                        the whole workspace, else the one it acts for */
    enum role role;  /* ROLE_NONE when anonymous or the command line */
    bool is_local;   /* the command line's workspace holder: every record,
                        identities included; never set from a session */
    char username[64];
    char lang[8];  /* interface language code */
    char csrf[65]; /* session CSRF token, hex; "" when anonymous */
};

/* The role's name ("admin") or NULL when out of range. */
const char *role_name(enum role r);
/* The role's label msgid ("Administrator"). */
const char *role_label(enum role r);
/* Parse a role name; ROLE_NONE if unknown. */
enum role role_parse(const char *name);
/* The action's name ("user.read"). */
const char *action_name(enum action a);

/* The scope the policy table grants role r for action a. */
enum scope policy_scope(enum role r, enum action a);

/* Whether role r may see identity fields (names, phones, ...). */
int policy_can_see_identity(enum role r);

/*
 * Whether p may take action a on a record of organisation obj_org_id
 * created by obj_owner_id (0, 0 for no particular record: only the
 * action itself is checked). Deny by default. The command line's
 * workspace holder (p->is_local) may take every action.
 */
int policy_allows(const struct principal *p, enum action a, int64_t obj_org_id,
                  int64_t obj_owner_id);

#endif
