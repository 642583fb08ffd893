/*
 * principal.c - the command line's principal and the one scope
 * condition: the only place that turns a role's policy scope into the
 * organisation and owner filters the domain modules bind.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/principal.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

#include "core/banned.h"

struct principal
principal_local(void)
{
    struct principal p;
    memset(&p, 0, sizeof p);
    p.user_id = 0;
    p.org_id = 0;
    p.role = ROLE_NONE;
    p.is_local = true;
    snprintf(p.username, sizeof p.username, "%s", "(command line)");
    snprintf(p.lang, sizeof p.lang, "%s", "en");
    return p;
}

static int
none(struct scope_filter *out)
{
    out->is_none = true;
    out->org_id = -1;
    out->owner_id = 0;
    return SR_EPERM;
}

int
principal_scope(const struct principal *p, enum action a,
                struct scope_filter *out)
{
    assert(p != NULL && out != NULL);
    out->is_none = false;
    out->org_id = 0;
    out->owner_id = 0;
    if (p->is_local) {
        out->org_id = p->org_id > 0 ? p->org_id : 0;
        return SR_OK;
    }
    enum scope sc = policy_scope(p->role, a);
    if (sc == SCOPE_ALL) {
        return SR_OK;
    }
    /* own records are records of the user's organisation too */
    if ((sc != SCOPE_ORG && sc != SCOPE_OWN) || p->org_id <= 0 ||
        (sc == SCOPE_OWN && p->user_id <= 0)) {
        return none(out);
    }
    out->org_id = p->org_id;
    out->owner_id = sc == SCOPE_OWN ? p->user_id : 0;
    return SR_OK;
}

int
principal_scope_either(const struct principal *p, enum action a, enum action b,
                       struct scope_filter *out)
{
    struct scope_filter fa, fb;
    int ra = principal_scope(p, a, &fa);
    int rb = principal_scope(p, b, &fb);
    if (ra != SR_OK) {
        *out = fb;
        return rb;
    }
    if (rb != SR_OK) {
        *out = fa;
        return ra;
    }
    /* both reach something: the wider of the two */
    int a_wider = (fa.org_id == 0 && fb.org_id != 0) ||
                  (fa.org_id == fb.org_id && fa.owner_id == 0);
    *out = a_wider ? fa : fb;
    return SR_OK;
}

int
scope_filter_admits(const struct scope_filter *f, int64_t org_id,
                    int64_t owner_id)
{
    assert(f != NULL);
    if (f->is_none) {
        return 0;
    }
    if (f->org_id != 0 && org_id != f->org_id) {
        return 0;
    }
    return f->owner_id == 0 || owner_id == f->owner_id;
}

int
principal_can_see_identity(const struct principal *p)
{
    assert(p != NULL);
    return p->is_local || policy_can_see_identity(p->role);
}
