# cases and people through the pages and the API: a case worker opens a
# case, adds a victim and records consent; analysts and partners are
# refused and never see identities; out-of-scope cases answer 404; every
# state change needs the CSRF token
as t.caseworker
GET /cases/new
expect status 200
expect body id="case-form"
POST /cases
form csrf={csrf}&trafficking_status=actual&exploitation=forced_labour&exploitation=forced_criminality&industry=A&exploit_province=TH-90
expect status 303
expect header Location: /cases/K-
# bad input names the field and is refused
POST /cases
form csrf={csrf}&industry=Z
expect status 400
expect body industry: not one of the allowed values
POST /cases
form csrf={csrf}&contact_codes=C-0000-0000
expect status 400
expect body contacts
# no CSRF token: refused
POST /cases
form trafficking_status=actual
expect status 403
GET /cases
expect status 200
expect body Forced criminality (scam compounds)
GET /api/v1/cases
expect status 200
expect body "forced_criminality"
# an unknown case is not found
GET /cases/K-0000-0000
expect status 404
GET /api/v1/cases/K-0000-0000
expect status 404
# other roles
as t.analyst
GET /cases
expect status 403
GET /api/v1/cases
expect status 403
GET /people/P-0000-0000
expect status 403
as t.coordb
GET /cases
expect status 200
expect nobody K-
