# a partner organisation sees only the referrals sent to it: the funnel,
# offenders, networks and network statistics are refused (403), reads
# and writes alike. t.partner's password is changed by 0010-account.t,
# so this file makes a partner of its own (with the fixture password).
as t.admin
POST /users
form csrf={csrf}&username=j.partner&org={org_b}&role=partner&password=quiet-river-lantern-88
expect status 303
as j.partner
GET /reports/funnel
expect status 403
expect nobody Median days
GET /reports/funnel.csv
expect status 403
expect nobody section,period
GET /reports/funnel.json?period=year&by=exploitation
expect status 403
expect nobody "period"
GET /entities
expect status 403
GET /entities/new
expect status 403
POST /entities
form csrf={csrf}&kind=person&name=Synthetic+Partner+Entry&country=TH
expect status 403
GET /reports/offenders
expect status 403
GET /reports/network
expect status 403
GET /reports/network.json
expect status 403
GET /entities/E-0000-0000/network
expect status 403
GET /entities/E-0000-0000/casefile
expect status 403
# the investigator, for contrast, reads all of them
as t.investigator
GET /reports/funnel.json?period=year&by=exploitation
expect status 200
expect body "by":"exploitation"
GET /reports/offenders
expect status 200
GET /entities
expect status 200
expect nobody Synthetic Partner Entry
