# Administrators see the open sessions (user, organisation, role, signed
# in, last seen; never a token) and end one: its user's next request
# goes to the sign-in page. The end is audited and needs the CSRF token.
# Nobody else may list or end sessions.
as t.coordinator
GET /dashboard
expect status 200
save COORD
as t.admin
GET /users/sessions
expect status 200
expect body t.coordinator
expect body t.admin
expect nobody {COORD}
capture SID t\.coordinator</a></td><td>[^<]*</td><td>[^<]*</td><td><time[^>]*>[^<]*</time></td><td><time[^>]*>[^<]*</time></td><td><form[^>]*><input[^>]*><input type="hidden" name="id" value="([0-9a-f]{16})"
# without the CSRF token nothing ends
POST /users/sessions
form id={SID}
expect status 403
# an id that is no open session
POST /users/sessions
form csrf={csrf}&id=0123456789abcdef
expect status 404
# a coordinator signs in twice (as the harness does): end both
POST /users/sessions
form csrf={csrf}&id={SID}
expect status 303
expect header Location: /users/sessions?done=ended
GET /users/sessions?done=ended
expect status 200
expect body Session ended.
expect nobody {SID}
capture SID2 t\.coordinator</a></td><td>[^<]*</td><td>[^<]*</td><td><time[^>]*>[^<]*</time></td><td><time[^>]*>[^<]*</time></td><td><form[^>]*><input[^>]*><input type="hidden" name="id" value="([0-9a-f]{16})"
POST /users/sessions
form csrf={csrf}&id={SID2}
expect status 303
GET /users/sessions
expect nobody t.coordinator
expect body t.admin
# ending it again finds nothing
POST /users/sessions
form csrf={csrf}&id={SID}
expect status 404
# audited
GET /audit
expect status 200
expect body auth.session_end
# the coordinator's next request goes to the sign-in page
restore COORD
GET /dashboard
expect status 303
expect header Location: /login
# a coordinator may neither list nor end sessions
as t.coordinator
GET /users/sessions
expect status 403
expect nobody t.admin
POST /users/sessions
form csrf={csrf}&id={SID}
expect status 403
as t.hotline
GET /users/sessions
expect status 403
as -
GET /users/sessions
expect status 303
expect header Location: /login
