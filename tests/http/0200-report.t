# the hotline report: a coordinator and a hotline operator see their own
# organisation's report; CSV and JSON give the same report
as t.coordinator
GET /reports/hotline?from=2025-01&to=2025-03
expect status 200
expect body id="chart-months"
expect body role="img"
expect body id="report-months"
expect body <th scope="row">2025-02</th>
expect body <th scope="row">2025-03</th>
expect body Org A ({org_a})
expect body Asia/Bangkok
expect body No contacts in these months.
expect nobody All organisations
expect nobody id="report-suppressed"
expect nobody <th scope="row">2025-04</th>
GET /reports/hotline.csv?from=2025-01&to=2025-02
expect status 200
expect header Content-Type: text/csv
expect body section,key,measure,value
expect body month,2025-01,contacts,0
expect body month,2025-02,trafficking,0
expect body report,organisation,code,{org_a}
expect body report,suppressed_below,contacts,0
GET /reports/hotline.json?from=2025-01&to=2025-02
expect status 200
expect header Content-Type: application/json
expect body "organisation":"{org_a}"
expect body "month":"2025-02"
expect body "suppressed":false
expect body "referrals":{"partners":[]

# without a range: the last 12 months up to this one (test clock: 2027-01-15)
GET /reports/hotline
expect status 200
expect body value="2026-02"
expect body value="2027-01"
expect body <th scope="row">2027-01</th>

# another organisation's report does not exist for a coordinator
GET /reports/hotline?org={org_b}
expect status 404
GET /reports/hotline.csv?org={org_b}
expect status 404
GET /reports/hotline?org=O-NONE-NONE
expect status 404

# bad input names the field
GET /reports/hotline?from=2025-13&to=2025-02
expect status 400
expect body from: month must be 01-12
GET /reports/hotline?from=2025-03&to=2025-02
expect status 400
expect body to: must not be before from
GET /reports/hotline.json?from=2025-03&to=2025-02
expect status 400
expect body to: must not be before from
GET /reports/hotline.csv?from=2000-01&to=2030-12
expect status 400
expect body at most 240 months

as t.hotline
GET /reports/hotline?from=2025-01&to=2025-02
expect status 200
expect body Org A ({org_a})
expect nobody Record an event

as t.coordb
GET /reports/hotline.csv?from=2025-01&to=2025-02
expect status 200
expect body report,organisation,code,{org_b}
