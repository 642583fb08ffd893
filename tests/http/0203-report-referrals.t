# referral outcomes in the report: exact for the coordinator of the
# sending organisation, counts of 1 to 4 suppressed (and their medians
# left out) in the analyst's report across organisations
as t.hotline
POST /contacts
form csrf={csrf}&received_at=2027-01-15T09:00&channel=phone&language=my&caller_type=self&category=trafficking&sector=fishing&n_affected=1&consent=ngo
expect status 303
capture CODE Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts/{CODE}/refer
form csrf={csrf}&to={org_b}&service=legal_aid&urgency=normal
expect status 303

as t.coordinator
GET /reports/hotline.json?from=2027-01&to=2027-12
expect status 200
expect body "suppressed":false
expect body "sent":1,
expect body "trafficking_referred":1,

as t.analyst
GET /reports/hotline.json?from=2027-01&to=2027-12
expect status 200
expect body "suppressed":true
expect body "sent":null,
expect body "trafficking_referred":null,
expect body "trafficking_action_taken":0
expect nobody "sent":1,
GET /reports/hotline?from=2027-01&to=2027-12
expect status 200
expect body referred: &lt;5.
GET /reports/hotline.csv?from=2027-01&to=2027-12
expect status 200
expect body referral,trafficking,referred,<5
