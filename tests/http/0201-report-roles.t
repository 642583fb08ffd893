# the analyst sees every organisation, with counts of 1 to 4 suppressed;
# roles without report.read are refused
as t.analyst
GET /reports/hotline?from=2025-01&to=2025-12
expect status 200
expect body All organisations
expect body id="report-suppressed"
expect body Counts from 1 to 4 are shown as &lt;5
expect body Counts shown as x are hidden
GET /reports/hotline?from=2025-01&to=2025-12&org={org_b}
expect status 200
expect body Org B ({org_b})
GET /reports/hotline.csv?from=2025-01&to=2025-12
expect status 200
expect body report,organisation,code,all
expect body report,suppressed_below,contacts,5
GET /reports/hotline.json?from=2025-01&to=2025-12&org={org_a}
expect status 200
expect body "organisation":"{org_a}"
expect body "suppressed":true
expect body "min_cell":5

# across organisations a report is one calendar year: a shorter or
# shifted range would let two reports be subtracted
GET /reports/hotline.json?from=2025-01&to=2025-02
expect status 400
expect body calendar year
GET /reports/hotline.csv?from=2025-04&to=2026-03
expect status 400
# the page opens on this year (the test clock is in January 2027)
GET /reports/hotline
expect status 200
expect body type="month" value="2027-01"
expect body type="month" value="2027-12"

# t.partner's password is changed by 0010-account.t: a partner of our own
as t.admin
POST /users
form csrf={csrf}&username=rp.partner&org={org_b}&role=partner&password=quiet-river-lantern-88
expect status 303
as rp.partner
GET /reports/hotline
expect status 403
GET /reports/hotline.csv
expect status 403
GET /reports/hotline.json
expect status 403

as t.caseworker
GET /reports/hotline
expect status 403
GET /reports/hotline.csv
expect status 403

as t.admin
GET /reports/hotline
expect status 403

as t.investigator
GET /reports/hotline.json
expect status 403

as -
GET /reports/hotline
expect status 303
expect header Location: /login
GET /reports/hotline.json
expect status 401
