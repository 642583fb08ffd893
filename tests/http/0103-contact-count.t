# /contacts says how many contacts match its filter over all pages, and
# its keyset pager keeps the filter: five trafficking contacts and two on
# labour rights of our own, two a page (?per=2); each page holds exactly
# its rows, newest first, none twice and none missing; another
# organisation's hotline sees a count of 0 and none of them.
as t.hotline
POST /contacts
form csrf={csrf}&received_at=2026-12-01T10:30&channel=phone&language=my&caller_type=self&category=trafficking
expect status 303
capture C1 Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts
form csrf={csrf}&received_at=2026-12-02T10:30&channel=phone&language=my&caller_type=self&category=labour_rights
expect status 303
capture C2 Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts
form csrf={csrf}&received_at=2026-12-03T10:30&channel=phone&language=my&caller_type=self&category=trafficking
expect status 303
capture C3 Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts
form csrf={csrf}&received_at=2026-12-04T10:30&channel=phone&language=my&caller_type=self&category=trafficking
expect status 303
capture C4 Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts
form csrf={csrf}&received_at=2026-12-05T10:30&channel=phone&language=my&caller_type=self&category=labour_rights
expect status 303
capture C5 Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts
form csrf={csrf}&received_at=2026-12-06T10:30&channel=phone&language=my&caller_type=self&category=trafficking
expect status 303
capture C6 Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /contacts
form csrf={csrf}&received_at=2026-12-07T10:30&channel=phone&language=my&caller_type=self&category=trafficking
expect status 303
capture C7 Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
GET /contacts
expect status 200
expect body id="match-count">7 matches<
expect body >{C7}<
expect body >{C6}<
expect body >{C5}<
expect body >{C4}<
expect body >{C3}<
expect body >{C2}<
expect body >{C1}<
expect nobody id="next-page"
GET /contacts?category=trafficking&per=2
expect status 200
expect body id="match-count">5 matches<
expect body >{C7}<
expect body >{C6}<
expect nobody {C5}
expect nobody {C4}
expect nobody {C3}
expect nobody {C2}
expect nobody {C1}
expect nobody >First page<
capture AFTER rel="next" id="next-page" href="/contacts\?after=([-0-9]+_[0-9]+)&amp;per=2&amp;category=trafficking"
GET /contacts?after={AFTER}&per=2&category=trafficking
expect status 200
expect body id="match-count">5 matches<
expect body >{C4}<
expect body >{C3}<
expect nobody {C7}
expect nobody {C6}
expect nobody {C5}
expect nobody {C2}
expect nobody {C1}
expect body href="/contacts?page=1&amp;per=2&amp;category=trafficking">First page<
capture AFTER rel="next" id="next-page" href="/contacts\?after=([-0-9]+_[0-9]+)&amp;per=2&amp;category=trafficking"
GET /contacts?after={AFTER}&per=2&category=trafficking
expect status 200
expect body id="match-count">5 matches<
expect body >{C1}<
expect nobody {C7}
expect nobody {C6}
expect nobody {C5}
expect nobody {C4}
expect nobody {C3}
expect nobody {C2}
expect nobody id="next-page"
GET /contacts?category=labour_rights
expect status 200
expect body id="match-count">2 matches<
expect body >{C5}<
expect body >{C2}<
expect nobody {C7}
expect nobody {C6}
expect nobody {C4}
expect nobody {C3}
expect nobody {C1}
GET /contacts?category=labour_rights&to=2026-12-03
expect status 200
expect body id="match-count">1 match<
expect body >{C2}<
expect nobody {C7}
expect nobody {C6}
expect nobody {C5}
expect nobody {C4}
expect nobody {C3}
expect nobody {C1}
# a bad page size names the field
GET /contacts?per=0
expect status 400
expect body Check the filter field: per
GET /contacts?per=many
expect status 400

# another organisation's hotline
as t.hotlineb
GET /contacts
expect status 200
expect body id="match-count">0 matches<
expect nobody {C7}
expect nobody {C6}
expect nobody {C5}
expect nobody {C4}
expect nobody {C3}
expect nobody {C2}
expect nobody {C1}
