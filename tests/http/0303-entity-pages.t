# /entities pages by code (keyset: the next page starts after the last
# code shown) and says how many offenders the reader may see: five of our
# own, two a page (?per=2). The codes sort in an order the file cannot
# know, so each page's first and last rows are captured as it comes and
# every page is asked for again at the end: no code shows on two pages,
# and five distinct codes over three pages of 2, 2 and 1 rows are all
# five. A coordinator of another organisation sees a count of 0.
as t.investigator
GET /entities
expect status 200
expect body id="match-count">0 matches<
POST /entities
form csrf={csrf}&kind=person&name=Synthetic+Pager+1&country=TH&role=broker
expect status 303
POST /entities
form csrf={csrf}&kind=person&name=Synthetic+Pager+2&country=TH&role=broker
expect status 303
POST /entities
form csrf={csrf}&kind=person&name=Synthetic+Pager+3&country=TH&role=broker
expect status 303
POST /entities
form csrf={csrf}&kind=person&name=Synthetic+Pager+4&country=TH&role=broker
expect status 303
POST /entities
form csrf={csrf}&kind=person&name=Synthetic+Pager+5&country=TH&role=broker
expect status 303
GET /entities
expect status 200
expect body id="match-count">5 matches<
expect nobody id="next-page"
GET /entities?per=2
expect status 200
expect body id="match-count">5 matches<
expect nobody >First page<
capture A1 <td><a href="/entities/(E-[0-9A-Z]{4}-[0-9A-Z]{4})">
capture B1 <td><a href="/entities/E-.*<td><a href="/entities/(E-[0-9A-Z]{4}-[0-9A-Z]{4})">
capture AFTER1 rel="next" id="next-page" href="/entities\?after=([-0-9A-Z]+)&amp;per=2"
GET /entities?after={AFTER1}&per=2
expect status 200
expect body id="match-count">5 matches<
expect body href="/entities?page=1&amp;per=2">First page<
expect nobody {A1}
expect nobody {B1}
capture A2 <td><a href="/entities/(E-[0-9A-Z]{4}-[0-9A-Z]{4})">
capture B2 <td><a href="/entities/E-.*<td><a href="/entities/(E-[0-9A-Z]{4}-[0-9A-Z]{4})">
capture AFTER2 rel="next" id="next-page" href="/entities\?after=([-0-9A-Z]+)&amp;per=2"
GET /entities?after={AFTER2}&per=2
expect status 200
expect body id="match-count">5 matches<
expect nobody {A1}
expect nobody {B1}
expect nobody {A2}
expect nobody {B2}
capture A3 <td><a href="/entities/(E-[0-9A-Z]{4}-[0-9A-Z]{4})">
expect nobody id="next-page"
# the earlier pages again: none holds a later page's code
GET /entities?per=2
expect body >{A1}<
expect body >{B1}<
expect nobody {A2}
expect nobody {B2}
expect nobody {A3}
GET /entities?after={AFTER1}&per=2
expect body >{A2}<
expect body >{B2}<
expect nobody {A3}
# every code on the one page of all
GET /entities
expect body >{A1}<
expect body >{B1}<
expect body >{A2}<
expect body >{B2}<
expect body >{A3}<
GET /entities?per=0
expect status 400

as t.coordb
GET /entities
expect status 200
expect body id="match-count">0 matches<
expect nobody {A1}
expect nobody {A3}
as t.coordinator
GET /entities
expect status 200
expect body id="match-count">5 matches<
