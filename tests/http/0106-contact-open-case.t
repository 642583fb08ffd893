# a case opens from a contact's page: the button carries the contact's
# code (never an identity) into the case form, and the case lists it
as t.hotline
POST /contacts
form csrf={csrf}&received_at=2026-11-06T09:00&channel=phone&language=my&caller_type=self&category=trafficking
expect status 303
capture CONTACT Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
GET /contacts/{CONTACT}
expect status 200
expect body id="open-case" href="/cases/new?contact_codes={CONTACT}"
GET /cases/new?contact_codes={CONTACT}
expect status 200
expect body value="{CONTACT}"
as t.coordinator
GET /contacts/{CONTACT}
expect status 200
expect body id="open-case" href="/cases/new?contact_codes={CONTACT}"
POST /cases
form csrf={csrf}&contact_codes={CONTACT}&trafficking_status=possible
expect status 303
capture CASE Location: /cases/(K-[0-9A-Z]{4}-[0-9A-Z]{4})
GET /cases/{CASE}
expect status 200
expect body {CONTACT}
# a role that may not open cases has no button
as t.analyst
GET /contacts/{CONTACT}
expect nobody open-case
