# people in cases through the pages: a case worker adds a victim with her
# identity fields and records consent; a possible duplicate (same phone)
# is suggested; the case's attributes are edited after opening (bad input
# names the field and changes nothing); "break the glass" needs a reason,
# is recorded and the coordinator marks it reviewed; out-of-scope cases
# and people answer 404; every state change needs the CSRF token.
# Accounts of our own (c2.*), so other files cannot disturb them.
as t.admin
POST /users
form csrf={csrf}&username=c2.worker&org={org_a}&role=caseworker&password=quiet-river-lantern-88
expect status 303
POST /users
form csrf={csrf}&username=c2.worker2&org={org_a}&role=caseworker&password=quiet-river-lantern-88
expect status 303
POST /users
form csrf={csrf}&username=c2.coord&org={org_a}&role=coordinator&password=quiet-river-lantern-88
expect status 303
POST /users
form csrf={csrf}&username=c2.coordb&org={org_b}&role=coordinator&password=quiet-river-lantern-88
expect status 303

# organisation B's case and person: out of organisation A's scope
as c2.coordb
POST /cases
form csrf={csrf}&trafficking_status=possible&exploitation=forced_labour
expect status 303
capture BCASE Location: /cases/(K-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /cases/{BCASE}/people
form csrf={csrf}&role=victim&name=Thida+Outofscope&phone=%2B95+9+444+333+222&gender=female&citizenship=MM
expect status 303
capture BPERSON Location: /people/(P-[0-9A-Z]{4}-[0-9A-Z]{4})

# a case worker opens a case and adds a victim with every identity field
as c2.worker
POST /cases
form csrf={csrf}&trafficking_status=actual&exploitation=forced_labour&industry=A&exploit_province=TH-74
expect status 303
capture CASE Location: /cases/(K-[0-9A-Z]{4}-[0-9A-Z]{4})
GET /cases/{CASE}/people/new
expect status 200
expect body id="person-form"
POST /cases/{CASE}/people
form csrf={csrf}&role=victim&name=Nwe+Nwe+Zinmarker&aliases=Ma+Nwe&birth_date=1998-03-04&phone=%2B66+81+555+0101&id_number=MMID-778899&passport=MP4455667&address=12+Hidden+Lane+Mahachai&gender=female&citizenship=MM&languages=my,th&education=primary&age_trafficked=24
expect status 303
expect header Location: /people/P-
expect header Location: dups=0
capture VICTIM Location: /people/(P-[0-9A-Z]{4}-[0-9A-Z]{4})
# the case worker may see the identity (the read is audited)
GET /people/{VICTIM}
expect status 200
expect body Nwe Nwe Zinmarker
expect body MMID-778899
expect body 12 Hidden Lane Mahachai
GET /cases/{CASE}
expect status 200
expect body {VICTIM}
expect body Nwe Nwe Zinmarker
expect body id="edit-case"
expect body id="refer-case"
# the JSON API carries codes and attributes, never identities
GET /api/v1/people/{VICTIM}
expect status 200
expect body "{VICTIM}"
expect nobody Zinmarker
expect nobody 555 0101
expect nobody MMID-778899
expect nobody Hidden Lane
GET /api/v1/cases/{CASE}
expect status 200
expect body "{VICTIM}"
expect nobody Zinmarker
expect nobody 555 0101
# bad person input names the field and adds nobody
POST /cases/{CASE}/people
form csrf={csrf}&role=victim&name=Someone&phone=call+me
expect status 400
expect body phone
POST /cases/{CASE}/people
form csrf={csrf}&role=boss&name=Someone
expect status 400
expect body role
GET /api/v1/cases/{CASE}
expect body "people":1

# consent per purpose, with who recorded it
POST /people/{VICTIM}/consent
form csrf={csrf}&purpose=share_police&state=declined
expect status 303
expect header Location: /people/{VICTIM}
POST /people/{VICTIM}/consent
form csrf={csrf}&purpose=share_ngo&state=given
expect status 303
POST /people/{VICTIM}/consent
form csrf={csrf}&purpose=research&state=declined
expect status 303
GET /people/{VICTIM}
expect status 200
expect body Sharing with police
expect body Declined
expect body Given
expect body c2.worker
POST /people/{VICTIM}/consent
form csrf={csrf}&purpose=gossip&state=given
expect status 400
expect body purpose
POST /people/{VICTIM}/consent
form csrf={csrf}&purpose=services&state=maybe
expect status 400
expect body state

# a second person with the same phone: a possible duplicate
POST /cases/{CASE}/people
form csrf={csrf}&role=witness&name=N+Zinmarker&phone=%2B66815550101
expect status 303
expect header Location: dups=1
capture WITNESS Location: /people/(P-[0-9A-Z]{4}-[0-9A-Z]{4})
GET /people/{WITNESS}?dups=1
expect status 200
expect body id="dups"
GET /duplicates
expect status 200
expect body {VICTIM}
expect body {WITNESS}
expect body Same phone
capture DUP action="/duplicates/([0-9]+)"
# deciding needs the CSRF token
POST /duplicates/{DUP}
form decision=reject
expect status 403
POST /duplicates/{DUP}
form csrf={csrf}&decision=reject
expect status 303
GET /duplicates?state=rejected
expect status 200

# editing the case after opening: the form shows the stored values
GET /cases/{CASE}/edit
expect status 200
expect body id="case-edit-form"
expect body action="/cases/{CASE}"
expect body value="TH-74"
expect body value="forced_labour" checked
expect body value="A" selected
# bad input names the field, shows what was typed, changes nothing
POST /cases/{CASE}
form csrf={csrf}&trafficking_status=actual&industry=Z&exploit_province=TH-90
expect status 400
expect body industry: not one of the allowed values
expect body id="case-edit-form"
expect body value="TH-90"
POST /cases/{CASE}
form csrf={csrf}&trafficking_status=actual&exploit_from=2024-13
expect status 400
expect body exploit_from
GET /api/v1/cases/{CASE}
expect body "industry":"A"
expect body "exploit_province":"TH-74"
# a good change is saved
POST /cases/{CASE}
form csrf={csrf}&trafficking_status=actual&decided_by=ngo&exploitation=forced_labour&exploitation=forced_criminality&industry=C&exploit_province=TH-90&recruit_country=MM&recruit_province=MM-05&recruit_date=2024-02
expect status 303
expect header Location: /cases/{CASE}
GET /api/v1/cases/{CASE}
expect body "industry":"C"
expect body "exploit_province":"TH-90"
expect body "recruit_province":"MM-05"
expect body "forced_criminality"
GET /cases/{CASE}/edit
expect status 200
expect body value="MM-05"
expect body value="C" selected

# a colleague reads the case but may not change it; the coordinator may
as c2.worker2
GET /cases/{CASE}
expect status 200
expect nobody id="edit-case"
GET /cases/{CASE}/edit
expect status 403
POST /cases/{CASE}
form csrf={csrf}&trafficking_status=not_victim
expect status 403
as c2.coord
GET /cases/{CASE}/edit
expect status 200
expect body id="case-edit-form"

# out of scope: organisation B's case and person are not found
as c2.worker
GET /cases/{BCASE}
expect status 404
expect nobody Thida
GET /cases/{BCASE}/edit
expect status 404
GET /cases/{BCASE}/refer
expect status 404
GET /cases/{BCASE}/people/new
expect status 404
GET /api/v1/cases/{BCASE}
expect status 404
GET /api/v1/people/{BPERSON}
expect status 404
expect nobody Thida
as c2.coord
POST /cases/{BCASE}/notes
form csrf={csrf}&note=not+ours
expect status 404
POST /cases/{BCASE}/status
form csrf={csrf}&status=follow_up
expect status 404
POST /cases/{BCASE}
form csrf={csrf}&trafficking_status=actual
expect status 404
POST /cases/{BCASE}/people
form csrf={csrf}&role=victim&name=Intruder
expect status 404
POST /cases/{BCASE}/refer
form csrf={csrf}&to={org_a}&service=shelter&urgency=low
expect status 404

# break the glass: the person page of another organisation offers it
as c2.worker
GET /people/{BPERSON}
expect status 404
expect body Break the glass
expect nobody Thida
# breaking the glass asks for a fresh code of the user's authenticator:
# without one set up, it is refused and says so (the page of another
# organisation's person stays a 404 with the form)
POST /people/{BPERSON}/glass
form csrf={csrf}&reason=The+caller+is+in+danger+tonight&code=123456
expect status 404
expect body Set up two-step sign-in on your account page before breaking the glass.
expect nobody Thida
enrol c2.worker
# no code, or a wrong one: refused, nothing shown
POST /people/{BPERSON}/glass
form csrf={csrf}&reason=The+caller+is+in+danger+tonight
expect status 404
expect body Wrong code.
expect nobody Thida
POST /people/{BPERSON}/glass
form csrf={csrf}&reason=The+caller+is+in+danger+tonight&code=000000
expect status 404
expect nobody Thida
# no reason, or too short a reason: refused, nothing shown
POST /people/{BPERSON}/glass
form csrf={csrf}&code={code:c2.worker}
expect status 400
expect body reason
expect nobody Thida
POST /people/{BPERSON}/glass
form csrf={csrf}&reason=urgent&code={code:c2.worker}
expect status 400
expect body reason
expect nobody Thida
# a recovery code is for signing in, not for the glass
POST /people/{BPERSON}/glass
form csrf={csrf}&reason=The+caller+is+in+danger+tonight&code={recovery:c2.worker}
expect status 404
expect nobody Thida
# without the CSRF token: refused
POST /people/{BPERSON}/glass
form reason=The+caller+is+in+danger+tonight
expect status 403
expect nobody Thida
as c2.coord
GET /glass
expect status 200
expect nobody {BPERSON}
# with a reason: shown, recorded for review
as c2.worker
POST /people/{BPERSON}/glass
form csrf={csrf}&reason=The+caller+is+in+danger+tonight&code={code:c2.worker}
expect status 200
expect body Emergency view recorded for review.
expect body Thida Outofscope
# the same code again (replay): refused
POST /people/{BPERSON}/glass
form csrf={csrf}&reason=The+caller+is+in+danger+tonight&code={code:c2.worker:again}
expect status 404
expect nobody Thida
# organisation A's coordinator reviews it
as c2.coord
GET /glass
expect status 200
expect body {BPERSON}
expect body c2.worker
expect body The caller is in danger tonight
capture GLASS action="/glass/([0-9]+)"
POST /glass/{GLASS}
form decision=ok
expect status 403
POST /glass/{GLASS}
form csrf={csrf}
expect status 303
expect header Location: /glass
GET /glass
expect status 200
expect nobody {BPERSON}
expect body Nothing awaits review.
GET /glass?all=1
expect status 200
expect body {BPERSON}
expect body c2.coord
# organisation B recorded the person: its coordinator sees the emergency
# view on /glass and in the person's audit, with who broke the glass
as c2.coordb
GET /glass?all=1
expect status 200
expect body {BPERSON}
expect body c2.worker
expect body The caller is in danger tonight
GET /audit?type=person&record={BPERSON}
expect status 200
expect body case.break_glass
expect body c2.worker
# organisation A's coordinator gets no audit of B's person (only their
# own entries, of which there are none about it)
as c2.coord
GET /audit?type=person&record={BPERSON}
expect status 200
expect nobody case.break_glass
# a case worker does not review
as c2.worker
GET /glass
expect status 403

# every state change needs the CSRF token; none of these changed anything
as c2.worker
POST /cases
form trafficking_status=actual
expect status 403
POST /cases/{CASE}
form trafficking_status=not_victim
expect status 403
POST /cases/{CASE}/status
form status=closed&close_reason=services_completed
expect status 403
POST /cases/{CASE}/notes
form note=a+note+without+token
expect status 403
POST /cases/{CASE}/support
form service=shelter
expect status 403
POST /cases/{CASE}/people
form role=victim&name=Nobody+Added
expect status 403
POST /people/{VICTIM}/consent
form purpose=share_police&state=given
expect status 403
POST /cases/{CASE}/refer
form to={org_b}&service=legal_aid&urgency=low
expect status 403
# another session's token is refused too
POST /cases/{CASE}/notes
form csrf={csrf_other}&note=with+another+token
expect status 403
GET /api/v1/cases/{CASE}
expect body "status":"active"
expect body "trafficking_status":"actual"
expect body "people":2
expect nobody "support"
GET /people/{VICTIM}
expect body Declined
GET /cases/{CASE}
expect nobody without token
expect nobody Nobody Added
