# the directory: search by province, language, service and emergency;
# profiles edited only with org.manage, with CSRF, bad codes named
as t.admin
# a partner account of our own (0010 changes t.partner's password)
POST /users
form csrf={csrf}&username=r.partner&org={org_a}&role=partner&password=quiet-river-lantern-88
expect status 303
POST /directory/{org_b}
form csrf={csrf}&provinces=TH-90, TH-91&languages=my&languages=th&services=legal_aid&emergency=1
expect status 303
POST /directory/{org_b}
form csrf={csrf}&provinces=TH-99&languages=my&services=legal_aid
expect status 400
expect body provinces
POST /directory/{org_b}
form csrf={csrf}&provinces=TH-90&languages=klingon&services=legal_aid
expect status 400
expect body languages
POST /directory/{org_b}
form provinces=TH-50&languages=th&services=shelter
expect status 403
GET /directory/{org_b}
expect status 200
expect body id="org-provinces">Songkhla, Satun
expect body id="profile-form"
# the refused edits changed nothing
expect nobody Chiang Mai
GET /directory/O-0000-0000
expect status 404

# who serves Songkhla in Burmese with legal aid
as t.hotline
GET /directory?province=TH-90&language=my&service=legal_aid
expect status 200
expect body Org B
expect nobody Org A
GET /directory?province=TH-50
expect status 200
expect body id="directory-empty"
GET /directory?province=TH-90&emergency=1
expect body Org B
GET /directory/{org_b}
expect status 200
expect nobody id="profile-form"
POST /directory/{org_b}
form csrf={csrf}&provinces=TH-50&languages=th&services=shelter
expect status 403
GET /api/v1/directory?province=TH-90&language=my&service=legal_aid
expect status 200
expect header Content-Type: application/json
expect body "name":"Org B"
expect body "provinces":["TH-90","TH-91"]
GET /api/v1/directory?service=massage
expect status 400
expect body service
GET /api/v1/directory?province=TH-99
expect status 400
expect body province

# a partner sees its own organisation only
as r.partner
GET /directory
expect status 200
expect body Org A
expect nobody Org B
GET /directory/{org_b}
expect status 404
as -
GET /directory
expect status 303
GET /api/v1/directory
expect status 401
