# changing one's own password needs the current one
as t.partner
GET /account
expect status 200
expect body Change password
POST /account/password
form csrf={csrf}&current=wrong-current-pass&new=silver-canyon-maple-5
expect status 400
expect body Wrong username or password.
POST /account/password
form csrf={csrf}&current=quiet-river-lantern-88&new=short
expect status 400
expect body password too short
POST /account/password
form csrf={csrf}&current=quiet-river-lantern-88&new=silver-canyon-maple-5
expect status 303
expect header Location: /login
# every session of the user has ended
GET /dashboard
expect status 303
POST /login
form csrf={pre}&username=t.partner&password=silver-canyon-maple-5
expect status 303
