# earlier contacts by phone: the phone in the body, never the URL; only
# roles that may see identities; emergency partners by province
as t.hotline
POST /contacts
form csrf={csrf}&received_at=2026-11-02T09:00&channel=phone&language=my&caller_type=self&caller_phone=%2B66+81+555+0199&category=labour_rights
expect status 303
POST /contacts
form csrf={csrf}&received_at=2026-11-03T09:00&channel=sms&language=my&caller_type=self&caller_phone=%2B66-81-555-0199&category=documents
expect status 303
POST /api/v1/contacts/lookup
header X-CSRF-Token: {csrf}
type application/json
body {"phone": "+66 (81) 555-0199"}
expect status 200
expect body "contacts"
expect body "category":"labour_rights"
expect nobody 0199
POST /api/v1/contacts/lookup
form csrf={csrf}&phone=%2B66815550199
expect status 200
expect body "code":"C-
POST /api/v1/contacts/lookup
form csrf={csrf}&phone=not+a+phone
expect status 400
expect body phone
# without the token: refused
POST /api/v1/contacts/lookup
type application/json
body {"phone": "+66815550199"}
expect status 403

# another organisation's operator finds nothing from this number
as t.hotlineb
POST /api/v1/contacts/lookup
form csrf={csrf}&phone=%2B66815550199
expect status 200
expect nobody "code"

# roles without identity permission are refused
as t.analyst
POST /api/v1/contacts/lookup
form csrf={csrf}&phone=%2B66815550199
expect status 403
expect nobody C-
as t.investigator
POST /api/v1/contacts/lookup
form csrf={csrf}&phone=%2B66815550199
expect status 403
as t.admin
POST /api/v1/contacts/lookup
form csrf={csrf}&phone=%2B66815550199
expect status 403

# the no-JS check lists earlier contacts and saves nothing
as t.hotline
POST /contacts
form csrf={csrf}&check=1&caller_phone=%2B66815550199
expect status 200
expect body Earlier contacts from this number
expect body Documents and registration

# emergency partners of a province
GET /api/v1/orgs/emergency?province=TH-90
expect status 200
expect body "orgs"
expect body "province":"TH-90"
GET /api/v1/orgs/emergency?province=XX-1
expect status 400
expect body province
as t.analyst
GET /api/v1/orgs/emergency?province=TH-90
expect status 403
