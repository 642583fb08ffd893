# referral pages without data: scope, methods, CSRF and the role checks
# (the full flow with contacts runs in tests/test_referral.c)
# a partner account of this file's own
as t.admin
POST /users
form csrf={csrf}&username=r.partner&org={org_a}&role=partner&password=quiet-river-lantern-88
expect status 303
as r.partner
GET /referrals/inbox
expect status 200
expect body id="referrals-empty"
GET /referrals
expect status 303
expect header Location: /referrals/inbox
GET /referrals/R-0000-0000
expect status 404
# GET never changes state
GET /referrals/R-0000-0000/answer
expect status 405
POST /referrals/R-0000-0000/answer
form status=accepted
expect status 403
POST /referrals/R-0000-0000/answer
form csrf={csrf}&status=accepted
expect status 404
POST /referrals/R-0000-0000/answer
form csrf={csrf_other}&status=accepted
expect status 403
GET /api/v1/referrals?box=inbox
expect status 200
expect body "referrals":[]
GET /api/v1/referrals?box=elsewhere
expect status 400
expect body box
GET /api/v1/referrals?status=lost
expect status 400
POST /contacts/C-0000-0000/refer
form csrf={csrf}&to={org_b}&service=legal_aid&urgency=normal
expect status 403
GET /referrals/inbox?status=lost
expect status 400

as t.hotline
GET /referrals
expect status 200
expect body id="referrals-empty"
GET /contacts/C-0000-0000/refer
expect status 404
POST /contacts/C-0000-0000/refer
form csrf={csrf}&to={org_b}&service=legal_aid&urgency=normal
expect status 404
POST /referrals/R-0000-0000/answer
form csrf={csrf}&status=accepted
expect status 403
POST /referrals/R-0000-0000/close
form csrf={csrf}&status=closed
expect status 404

as t.analyst
GET /referrals
expect status 403
GET /referrals/inbox
expect status 403
GET /api/v1/referrals
expect status 403

# the dashboard card for roles with referral.read
as t.coordinator
GET /dashboard
expect body id="referrals-awaiting"
expect body Referrals awaiting answer
as t.admin
GET /dashboard
expect nobody Referrals awaiting answer
as -
GET /referrals
expect status 303
expect header Location: /login
