# the network page: offenders joined through a shared case and a
# confirmed link, with their names for the investigator; the case file
# carries the same group by codes only; an offender outside it is not
# drawn, and an unknown code is not found
as t.caseworker
POST /cases
form csrf={csrf}&trafficking_status=actual&exploitation=forced_labour&exploit_province=TH-74
expect status 303
capture CASE Location: /cases/(K-[0-9A-Z]{4}-[0-9A-Z]{4})
as t.investigator
POST /entities
form csrf={csrf}&kind=person&name=Synthetic+Net+Alpha&country=TH&role=broker
expect status 303
capture ALPHA Location: /entities/(E-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /entities
form csrf={csrf}&kind=employer&name=Synthetic+Net+Beta&country=TH&role=employer
expect status 303
capture BETA Location: /entities/(E-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /entities
form csrf={csrf}&kind=person&name=Synthetic+Net+Gamma&country=TH&role=recruiter
expect status 303
capture GAMMA Location: /entities/(E-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /entities
form csrf={csrf}&kind=person&name=Synthetic+Net+Apart&country=TH&role=recruiter
expect status 303
capture APART Location: /entities/(E-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /entities/{ALPHA}/cases
form csrf={csrf}&case={CASE}&role=broker&source=investigation&confidence=high
expect status 303
POST /entities/{BETA}/cases
form csrf={csrf}&case={CASE}&role=employer&source=investigation&confidence=high
expect status 303
POST /entities/{BETA}/links
form csrf={csrf}&to={GAMMA}&kind=owns&source=investigation&confidence=high
expect status 303
GET /entities/{ALPHA}/network
expect status 200
expect body The group around {ALPHA}: 4 offenders and cases.
expect body Synthetic Net Alpha
expect body Synthetic Net Beta
expect body Synthetic Net Gamma
expect body {CASE}
expect nobody Synthetic Net Apart
expect nobody Only the nearest
GET /entities/{GAMMA}/network
expect status 200
expect body The group around {GAMMA}: 4 offenders and cases.
GET /entities/{APART}/network
expect status 200
expect body The group around {APART}: 1 offenders and cases.
expect nobody Synthetic Net Beta
GET /entities/{ALPHA}/casefile
expect status 200
expect body {GAMMA}
expect body {CASE}
expect nobody Synthetic Net
GET /entities/E-0000-0000/network
expect status 404
