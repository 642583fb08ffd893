# offenders: an investigator adds one (the name is encrypted and shown
# only to roles that may see identities); analysts see counts only;
# other roles are refused; bad input names the field
as t.investigator
POST /entities
form csrf={csrf}&kind=person&name=Synthetic+Broker+Zaw&country=TH&role=broker&id_kind=phone&id_value=%2B66+81+555+0101
expect status 303
GET /entities
expect status 200
expect body id="entities"
POST /entities
form csrf={csrf}&kind=gang&name=x
expect status 400
expect body kind: unknown kind of entity
POST /entities
form csrf={csrf}&kind=person&name=Synthetic+Two&id_kind=phone&id_value=no+digits
expect status 400
expect body identifier: a phone needs digits
expect nobody no digits
GET /reports/funnel
expect status 200
expect body Median days between stages
GET /reports/funnel?period=month
expect status 400
expect body period: must be half, quarter or year
GET /reports/funnel.json?period=quarter&by=legal_aid
expect status 200
expect body "period":"quarter"
as t.analyst
GET /reports/network
expect status 200
expect body id="network-counts"
expect nobody Synthetic Broker Zaw
expect nobody E-
GET /reports/network.json
expect status 200
expect body "entities":1
expect nobody Zaw
GET /reports/funnel.csv
expect status 200
expect body section,period,group,measure,value
GET /entities
expect status 403
as t.hotline
GET /reports/network
expect status 403
GET /reports/funnel
expect status 403
GET /entities
expect status 403
