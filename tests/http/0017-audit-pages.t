# /audit pages by keyset and says how many entries match: the five
# user.add entries of the accounts this file adds, two a page (?per=2),
# newest first; each page holds exactly its rows, none twice and none
# missing; the filter (action and user) is kept across pages; a
# coordinator of another organisation sees a count of 0 and none.
as t.admin
POST /users
form csrf={csrf}&username=pa.u1&org={org_a}&role=caseworker&password=quiet-river-lantern-88
expect status 303
POST /users
form csrf={csrf}&username=pa.u2&org={org_a}&role=caseworker&password=quiet-river-lantern-88
expect status 303
POST /users
form csrf={csrf}&username=pa.u3&org={org_a}&role=caseworker&password=quiet-river-lantern-88
expect status 303
POST /users
form csrf={csrf}&username=pa.u4&org={org_a}&role=caseworker&password=quiet-river-lantern-88
expect status 303
POST /users
form csrf={csrf}&username=pa.u5&org={org_a}&role=caseworker&password=quiet-river-lantern-88
expect status 303
GET /audit?action=user.add&user={id:t.admin}
expect status 200
expect body id="match-count">5 matches<
expect body <td>user.add</td><td>user</td><td>{id:pa.u5}</td>
expect body <td>user.add</td><td>user</td><td>{id:pa.u4}</td>
expect body <td>user.add</td><td>user</td><td>{id:pa.u3}</td>
expect body <td>user.add</td><td>user</td><td>{id:pa.u2}</td>
expect body <td>user.add</td><td>user</td><td>{id:pa.u1}</td>
expect nobody id="next-page"
GET /audit?action=user.add&user={id:t.admin}&per=2
expect status 200
expect body id="match-count">5 matches<
expect body <td>user.add</td><td>user</td><td>{id:pa.u5}</td>
expect body <td>user.add</td><td>user</td><td>{id:pa.u4}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u3}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u2}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u1}</td>
capture AFTER rel="next" id="next-page" href="/audit\?after=([0-9]+)&amp;per=2&amp;user={id:t.admin}&amp;action=user.add"
GET /audit?after={AFTER}&per=2&user={id:t.admin}&action=user.add
expect status 200
expect body id="match-count">5 matches<
expect body <td>user.add</td><td>user</td><td>{id:pa.u3}</td>
expect body <td>user.add</td><td>user</td><td>{id:pa.u2}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u5}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u4}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u1}</td>
capture AFTER rel="next" id="next-page" href="/audit\?after=([0-9]+)&amp;per=2&amp;user={id:t.admin}&amp;action=user.add"
GET /audit?after={AFTER}&per=2&user={id:t.admin}&action=user.add
expect status 200
expect body id="match-count">5 matches<
expect body <td>user.add</td><td>user</td><td>{id:pa.u1}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u5}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u4}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u3}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u2}</td>
expect nobody id="next-page"
expect body href="/audit?page=1&amp;per=2&amp;user={id:t.admin}&amp;action=user.add">First page<
GET /audit?action=user.add&user={id:t.admin}&record={id:pa.u3}
expect status 200
expect body id="match-count">1 match<
expect body <td>user.add</td><td>user</td><td>{id:pa.u3}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u5}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u4}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u2}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u1}</td>
GET /audit?per=1000
expect status 400

as t.coordb
GET /audit?action=user.add&user={id:t.admin}
expect status 200
expect body id="match-count">0 matches<
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u5}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u4}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u3}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u2}</td>
expect nobody <td>user.add</td><td>user</td><td>{id:pa.u1}</td>
