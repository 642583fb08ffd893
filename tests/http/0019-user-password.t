# an administrator sets a new password for a user who forgot theirs: the
# user's page has the form; a weak password is refused with the page
# again; a good one ends the user's sessions, the old password no longer
# signs in and the new one does; one's own password is changed under
# Settings only; a coordinator has no such form
as t.admin
POST /users
form csrf={csrf}&username=pw.forgot&org={org_a}&role=caseworker&password=quiet-river-lantern-88
expect status 303
GET /users/{id:pw.forgot}
expect status 200
expect body id="user-password" action="/users/{id:pw.forgot}/password"
POST /users/{id:pw.forgot}/password
form csrf={csrf}&new=tiny-pw9
expect status 400
expect body id="user-password"
expect body password
expect nobody tiny-pw9
POST /users/{id:pw.forgot}/password
form csrf={csrf}&new=amber-harbour-violin-2026
expect status 303
expect header Location: /users/{id:pw.forgot}?done=password
GET /users/{id:pw.forgot}?done=password
expect body Password changed.
POST /users/{id:t.admin}/password
form csrf={csrf}&new=amber-harbour-violin-2027
expect status 403
GET /users/{id:t.admin}
expect nobody id="user-password"
as t.coordinator
GET /users/{id:t.hotline}
expect status 200
expect nobody id="user-password"
POST /users/{id:t.hotline}/password
form csrf={csrf}&new=amber-harbour-violin-2026
expect status 403
as -
POST /login
form csrf={pre}&username=pw.forgot&password=quiet-river-lantern-88
expect status 401
POST /login
form csrf={pre}&username=pw.forgot&password=amber-harbour-violin-2026
expect status 303
