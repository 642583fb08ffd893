# /referrals and /referrals/inbox page by keyset and say how many match:
# seven referrals of our own from organisation A to B, shown three (or
# four) at a time with ?per=; every page holds exactly its rows, in order,
# none twice and none missing; the next link keeps the filter; the count
# line gives the number we made (never one taken from the code); users of
# organisations outside the referrals' scope see a count of 0 and none.
as t.admin
POST /users
form csrf={csrf}&username=pg.partnerb&org={org_b}&role=partner&password=quiet-river-lantern-88
expect status 303

as t.hotline
POST /contacts
form csrf={csrf}&received_at=2026-12-11T09:00&channel=phone&language=my&caller_type=self&category=trafficking&sector=fishing&n_affected=1&consent=ngo
expect status 303
capture C1 Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts/{C1}/refer
form csrf={csrf}&to={org_b}&service=legal_aid&urgency=normal
expect status 303
capture R1 Location: /referrals/(R-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts
form csrf={csrf}&received_at=2026-12-12T09:00&channel=phone&language=my&caller_type=self&category=trafficking&sector=fishing&n_affected=1&consent=ngo
expect status 303
capture C2 Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts/{C2}/refer
form csrf={csrf}&to={org_b}&service=legal_aid&urgency=normal
expect status 303
capture R2 Location: /referrals/(R-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts
form csrf={csrf}&received_at=2026-12-13T09:00&channel=phone&language=my&caller_type=self&category=trafficking&sector=fishing&n_affected=1&consent=ngo
expect status 303
capture C3 Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts/{C3}/refer
form csrf={csrf}&to={org_b}&service=legal_aid&urgency=normal
expect status 303
capture R3 Location: /referrals/(R-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts
form csrf={csrf}&received_at=2026-12-14T09:00&channel=phone&language=my&caller_type=self&category=trafficking&sector=fishing&n_affected=1&consent=ngo
expect status 303
capture C4 Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts/{C4}/refer
form csrf={csrf}&to={org_b}&service=legal_aid&urgency=normal
expect status 303
capture R4 Location: /referrals/(R-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts
form csrf={csrf}&received_at=2026-12-15T09:00&channel=phone&language=my&caller_type=self&category=trafficking&sector=fishing&n_affected=1&consent=ngo
expect status 303
capture C5 Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts/{C5}/refer
form csrf={csrf}&to={org_b}&service=legal_aid&urgency=normal
expect status 303
capture R5 Location: /referrals/(R-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts
form csrf={csrf}&received_at=2026-12-16T09:00&channel=phone&language=my&caller_type=self&category=trafficking&sector=fishing&n_affected=1&consent=ngo
expect status 303
capture C6 Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts/{C6}/refer
form csrf={csrf}&to={org_b}&service=legal_aid&urgency=normal
expect status 303
capture R6 Location: /referrals/(R-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts
form csrf={csrf}&received_at=2026-12-17T09:00&channel=phone&language=my&caller_type=self&category=trafficking&sector=fishing&n_affected=1&consent=ngo
expect status 303
capture C7 Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts/{C7}/refer
form csrf={csrf}&to={org_b}&service=legal_aid&urgency=normal
expect status 303
capture R7 Location: /referrals/(R-[0-9A-Z]{4}-[0-9A-Z]{4})

# the sender's list, three a page, newest first
GET /referrals?per=3
expect status 200
expect body id="match-count">7 matches<
expect body >{R7}<
expect body >{R6}<
expect body >{R5}<
expect nobody {R4}
expect nobody {R3}
expect nobody {R2}
expect nobody {R1}
expect nobody >First page<
capture AFTER rel="next" id="next-page" href="/referrals\?after=([0-9]+)&amp;per=3"
GET /referrals?after={AFTER}&per=3
expect status 200
expect body id="match-count">7 matches<
expect body >{R4}<
expect body >{R3}<
expect body >{R2}<
expect nobody {R7}
expect nobody {R6}
expect nobody {R5}
expect nobody {R1}
expect body href="/referrals?page=1&amp;per=3">First page<
capture AFTER rel="next" id="next-page" href="/referrals\?after=([0-9]+)&amp;per=3"
GET /referrals?after={AFTER}&per=3
expect status 200
expect body id="match-count">7 matches<
expect body >{R1}<
expect nobody {R7}
expect nobody {R6}
expect nobody {R5}
expect nobody {R4}
expect nobody {R3}
expect nobody {R2}
expect nobody id="next-page"
expect body >First page<
# a bad page size or cursor is refused
GET /referrals?per=0
expect status 400
GET /referrals?per=201
expect status 400
GET /referrals?after=R-0000
expect status 400

# the partner of B accepts one: the filter holds across pages
as pg.partnerb
POST /referrals/{R5}/answer
form csrf={csrf}&status=accepted
expect status 303
GET /referrals/inbox?per=3
expect status 200
expect body id="match-count">7 matches<
expect body >{R7}<
expect body >{R6}<
expect body >{R5}<
expect nobody {R4}
expect nobody {R3}
expect nobody {R2}
expect nobody {R1}
capture AFTER rel="next" id="next-page" href="/referrals/inbox\?after=([0-9]+)&amp;per=3"
GET /referrals/inbox?after={AFTER}&per=3
expect status 200
expect body >{R4}<
expect body >{R3}<
expect body >{R2}<
expect nobody {R7}
expect nobody {R6}
expect nobody {R5}
expect nobody {R1}
GET /referrals/inbox?status=accepted
expect status 200
expect body id="match-count">1 match<
expect body >{R5}<
expect nobody {R7}
expect nobody {R6}
expect nobody {R4}
expect nobody {R3}
expect nobody {R2}
expect nobody {R1}
expect nobody id="next-page"

as t.hotline
GET /referrals?status=sent&per=4
expect status 200
expect body id="match-count">6 matches<
expect body >{R7}<
expect body >{R6}<
expect body >{R4}<
expect body >{R3}<
expect nobody {R5}
expect nobody {R2}
expect nobody {R1}
capture AFTER rel="next" id="next-page" href="/referrals\?after=([0-9]+)&amp;per=4&amp;status=sent"
GET /referrals?after={AFTER}&per=4&status=sent
expect status 200
expect body id="match-count">6 matches<
expect body >{R2}<
expect body >{R1}<
expect nobody {R7}
expect nobody {R6}
expect nobody {R5}
expect nobody {R4}
expect nobody {R3}
expect nobody id="next-page"
expect body href="/referrals?page=1&amp;per=4&amp;status=sent">First page<

# outside the scope: B's coordinator lists what B sent (nothing), A's
# partner has nothing in its inbox
as t.coordb
GET /referrals
expect status 200
expect body id="match-count">0 matches<
expect nobody {R7}
expect nobody {R6}
expect nobody {R5}
expect nobody {R4}
expect nobody {R3}
expect nobody {R2}
expect nobody {R1}
expect nobody id="next-page"
as t.partner
GET /referrals/inbox
expect status 200
expect body id="match-count">0 matches<
expect nobody {R7}
expect nobody {R6}
expect nobody {R5}
expect nobody {R4}
expect nobody {R3}
expect nobody {R2}
expect nobody {R1}
expect nobody id="next-page"
