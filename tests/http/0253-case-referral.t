# referral of a case: the refer form, consent checked for every victim
# (a police-sharing decline blocks a referral to a police unit, naming the
# person's code and never a name; a case without victims is refused), the
# referral's pages for the sender and the partner (who never sees the
# case's code nor any identity), and an analyst and a partner never see a
# name, phone, ID number or address in any page or API answer they reach.
# Accounts of our own (c2.r*).
as t.admin
POST /orgs
form csrf={csrf}&name=C2+Police+Unit&kind=police&country=TH
expect status 303
GET /orgs
capture POLICE <td>(O-[0-9A-Z]{4}-[0-9A-Z]{4})</td><td>C2 Police Unit<
POST /users
form csrf={csrf}&username=c2.rworker&org={org_a}&role=caseworker&password=quiet-river-lantern-88
expect status 303
POST /users
form csrf={csrf}&username=c2.rpartner&org={org_b}&role=partner&password=quiet-river-lantern-88
expect status 303
POST /users
form csrf={csrf}&username=c2.ranalyst&org={org_a}&role=analyst&password=quiet-river-lantern-88
expect status 303
POST /users
form csrf={csrf}&username=c2.rhotline&org={org_a}&role=hotline&password=quiet-river-lantern-88
expect status 303

as c2.rworker
POST /cases
form csrf={csrf}&trafficking_status=actual&exploitation=forced_labour&exploit_province=TH-74
expect status 303
capture CASE Location: /cases/(K-[0-9A-Z]{4}-[0-9A-Z]{4})
GET /cases/{CASE}/refer
expect status 200
expect body id="refer-form"
expect body action="/cases/{CASE}/refer"
expect body Refer a case
expect body Victims: 0
expect body No consent to share
# no victim yet: refused, nothing sent
POST /cases/{CASE}/refer
form csrf={csrf}&to={org_b}&service=legal_aid&urgency=high
expect status 400
expect body Refused: this case has no victim yet.
expect body id="refer-error"

# a victim who shares with NGOs but declined sharing with the police
POST /cases/{CASE}/people
form csrf={csrf}&role=victim&name=Khin+Khin+Secretwin&phone=%2B66+89+777+1234&id_number=ID-44-5566&address=9+Unseen+Road+Samut+Sakhon&citizenship=MM&languages=my
expect status 303
capture VICTIM Location: /people/(P-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /people/{VICTIM}/consent
form csrf={csrf}&purpose=share_ngo&state=given
expect status 303
POST /people/{VICTIM}/consent
form csrf={csrf}&purpose=share_police&state=declined
expect status 303
# (an empty province and language widen the directory search to all)
GET /cases/{CASE}/refer?province=&language=
expect status 200
expect body Victims: 1
expect body Sharing with NGOs and services
expect body C2 Police Unit
expect body No consent for police and authorities
expect nobody Secretwin

# consent declined for police sharing blocks a referral to a police unit
POST /cases/{CASE}/refer
form csrf={csrf}&to={POLICE}&service=rescue&urgency=emergency
expect status 400
expect body Refused: a victim has not consented to sharing with police
expect body {VICTIM}
expect nobody Secretwin
expect nobody 777 1234
GET /api/v1/referrals?box=sent
expect status 200
expect nobody "{POLICE}"
expect nobody "{CASE}"

# bad input names the field and sends nothing
POST /cases/{CASE}/refer
form csrf={csrf}&to={org_b}&service=massage&urgency=high
expect status 400
expect body service: not one of the allowed values
POST /cases/{CASE}/refer
form csrf={csrf}&to=O-0000-0000&service=legal_aid&urgency=high
expect status 400
expect body to: no such organisation
POST /cases/{CASE}/refer
form csrf={csrf}&to={org_b}&service=legal_aid&urgency=someday
expect status 400
expect body urgency
POST /cases/{CASE}/refer
form to={org_b}&service=legal_aid&urgency=high
expect status 403
GET /api/v1/referrals?box=sent
expect nobody "{CASE}"

# the NGO consent covers organisation B (an NGO)
POST /cases/{CASE}/refer
form csrf={csrf}&to={org_b}&service=legal_aid&urgency=high&note=Please+meet+the+victim+at+the+shelter
expect status 303
expect header Location: /referrals/R-
capture REF Location: /referrals/(R-[0-9A-Z]{4}-[0-9A-Z]{4})
GET /referrals/{REF}
expect status 200
expect body href="/cases/{CASE}"
expect body Sharing with NGOs and services
expect body Trafficking
expect nobody Secretwin
GET /api/v1/referrals?box=sent
expect status 200
expect body "code":"{REF}"
expect body "case":"{CASE}"
expect nobody Secretwin
GET /cases/{CASE}
expect status 200
expect body id="refer-case"

# a hotline operator (no case.read) cannot refer the case
as c2.rhotline
GET /cases/{CASE}/refer
expect status 404
POST /cases/{CASE}/refer
form csrf={csrf}&to={org_b}&service=legal_aid&urgency=high
expect status 404

# the partner answers it without ever seeing the case or the victim
as c2.rpartner
GET /referrals
expect status 303
expect header Location: /referrals/inbox
GET /referrals/inbox
expect status 200
expect body {REF}
expect nobody {CASE}
expect nobody {VICTIM}
expect nobody Secretwin
expect nobody 777 1234
expect nobody ID-44-5566
expect nobody Unseen Road
GET /referrals/{REF}
expect status 200
expect body Please meet the victim at the shelter
expect nobody {CASE}
expect nobody {VICTIM}
expect nobody Secretwin
expect nobody 777 1234
expect nobody ID-44-5566
expect nobody Unseen Road
GET /api/v1/referrals
expect status 200
expect body "code":"{REF}"
expect nobody "case"
expect nobody {CASE}
expect nobody Secretwin
POST /referrals/{REF}/answer
form csrf={csrf}&status=accepted
expect status 303
GET /dashboard
expect status 200
expect nobody Secretwin
# and every case or person route is refused, showing nothing
GET /cases
expect status 403
expect nobody {CASE}
GET /cases/new
expect status 403
GET /cases/{CASE}
expect status 403
expect nobody Secretwin
GET /cases/{CASE}/edit
expect status 403
GET /cases/{CASE}/refer
expect status 403
GET /cases/{CASE}/people/new
expect status 403
GET /people/{VICTIM}
expect status 403
expect nobody Secretwin
expect nobody 777 1234
GET /duplicates
expect status 403
GET /glass
expect status 403
GET /api/v1/cases
expect status 403
expect nobody {CASE}
GET /api/v1/cases/{CASE}
expect status 403
expect nobody Secretwin
GET /api/v1/people/{VICTIM}
expect status 403
expect nobody Secretwin
expect nobody ID-44-5566
POST /people/{VICTIM}/glass
form csrf={csrf}&reason=I+would+like+to+see+who+this+is
expect status 403
expect nobody Secretwin
expect nobody Unseen Road

# the analyst: no case or person page, and no identity in what it reaches
as c2.ranalyst
GET /cases
expect status 403
GET /cases/new
expect status 403
GET /cases/{CASE}
expect status 403
expect nobody Secretwin
GET /cases/{CASE}/edit
expect status 403
GET /cases/{CASE}/refer
expect status 403
GET /cases/{CASE}/people/new
expect status 403
GET /people/{VICTIM}
expect status 403
expect nobody Secretwin
expect nobody 777 1234
GET /duplicates
expect status 403
GET /glass
expect status 403
GET /api/v1/cases
expect status 403
expect nobody {CASE}
GET /api/v1/cases/{CASE}
expect status 403
expect nobody Secretwin
GET /api/v1/people/{VICTIM}
expect status 403
expect nobody Secretwin
expect nobody ID-44-5566
POST /people/{VICTIM}/glass
form csrf={csrf}&reason=I+would+like+to+see+who+this+is
expect status 403
expect nobody Secretwin
GET /referrals/{REF}
expect status 403
expect nobody Secretwin
GET /dashboard
expect status 200
expect nobody Secretwin
expect nobody 777 1234
GET /reports/funnel
expect status 200
expect nobody Secretwin
expect nobody {VICTIM}
expect nobody 777 1234
expect nobody ID-44-5566
expect nobody Unseen Road
GET /reports/funnel.csv
expect status 200
expect nobody Secretwin
expect nobody {VICTIM}
expect nobody ID-44-5566
GET /reports/funnel.json
expect status 200
expect nobody Secretwin
expect nobody {VICTIM}
expect nobody 777 1234
GET /reports/network
expect status 200
expect nobody Secretwin
expect nobody {VICTIM}
GET /reports/network.json
expect status 200
expect nobody Secretwin
expect nobody {VICTIM}
GET /reports/hotline
expect status 200
expect nobody Secretwin
expect nobody 777 1234
