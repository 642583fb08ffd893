# /cases pages by keyset and says how many cases match: five cases of
# our own (three actual victims, two possible), two a page (?per=2);
# each page holds exactly its rows, newest first, none twice and none
# missing; the filter is kept across pages; another organisation's
# coordinator sees a count of 0 and none of them.
as t.caseworker
POST /cases
form csrf={csrf}&trafficking_status=actual&exploitation=forced_labour&exploit_province=TH-90
expect status 303
capture K1 Location: /cases/(K-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /cases
form csrf={csrf}&trafficking_status=possible&exploitation=forced_labour&exploit_province=TH-90
expect status 303
capture K2 Location: /cases/(K-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /cases
form csrf={csrf}&trafficking_status=actual&exploitation=forced_labour&exploit_province=TH-90
expect status 303
capture K3 Location: /cases/(K-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /cases
form csrf={csrf}&trafficking_status=possible&exploitation=forced_labour&exploit_province=TH-90
expect status 303
capture K4 Location: /cases/(K-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /cases
form csrf={csrf}&trafficking_status=actual&exploitation=forced_labour&exploit_province=TH-90
expect status 303
capture K5 Location: /cases/(K-[0-9A-Z]{4}-[0-9A-Z]{4})
GET /cases
expect status 200
expect body id="match-count">5 matches<
expect body >{K5}<
expect body >{K4}<
expect body >{K3}<
expect body >{K2}<
expect body >{K1}<
expect nobody id="next-page"
GET /cases?per=2
expect status 200
expect body id="match-count">5 matches<
expect body >{K5}<
expect body >{K4}<
expect nobody {K3}
expect nobody {K2}
expect nobody {K1}
capture AFTER rel="next" id="next-page" href="/cases\?after=([0-9]+)&amp;per=2"
GET /cases?after={AFTER}&per=2
expect status 200
expect body >{K3}<
expect body >{K2}<
expect nobody {K5}
expect nobody {K4}
expect nobody {K1}
capture AFTER rel="next" id="next-page" href="/cases\?after=([0-9]+)&amp;per=2"
GET /cases?after={AFTER}&per=2
expect status 200
expect body id="match-count">5 matches<
expect body >{K1}<
expect nobody {K5}
expect nobody {K4}
expect nobody {K3}
expect nobody {K2}
expect nobody id="next-page"
expect body href="/cases?page=1&amp;per=2">First page<
# the filter across pages
GET /cases?trafficking_status=actual&per=2
expect status 200
expect body id="match-count">3 matches<
expect body >{K5}<
expect body >{K3}<
expect nobody {K4}
expect nobody {K2}
expect nobody {K1}
capture AFTER rel="next" id="next-page" href="/cases\?after=([0-9]+)&amp;per=2&amp;trafficking_status=actual"
GET /cases?after={AFTER}&per=2&trafficking_status=actual
expect status 200
expect body id="match-count">3 matches<
expect body >{K1}<
expect nobody {K5}
expect nobody {K4}
expect nobody {K3}
expect nobody {K2}
expect nobody id="next-page"
GET /cases?trafficking_status=not_victim
expect status 200
expect body id="match-count">0 matches<
GET /cases?per=500
expect status 400
GET /cases?after=K-0000
expect status 400

as t.coordb
GET /cases
expect status 200
expect body id="match-count">0 matches<
expect nobody {K5}
expect nobody {K4}
expect nobody {K3}
expect nobody {K2}
expect nobody {K1}
