# an offender's cases are links to the case for a reader who may open it
# (no dead end from the offender page to the case file)
as t.caseworker
POST /cases
form csrf={csrf}&trafficking_status=actual&exploitation=forced_labour&exploit_province=TH-74
expect status 303
capture CASE Location: /cases/(K-[0-9A-Z]{4}-[0-9A-Z]{4})
as t.investigator
POST /entities
form csrf={csrf}&kind=person&name=Synthetic+Link+Broker&country=TH&role=broker
expect status 303
capture BROKER Location: /entities/(E-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /entities/{BROKER}/cases
form csrf={csrf}&case={CASE}&role=broker&source=investigation&confidence=high
expect status 303
GET /entities/{BROKER}
expect status 200
expect body <a href="/cases/{CASE}">{CASE}</a>
GET /cases/{CASE}
expect status 200
expect body {CASE}
as t.coordinator
GET /entities/{BROKER}
expect status 200
expect body <a href="/cases/{CASE}">{CASE}</a>
