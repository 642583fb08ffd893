# Two-step sign-in is optional for the other roles: set up and turned off
# from the account page, each time with a code of the authenticator.
as t.analyst
GET /account
expect status 200
expect body id="totp-state">Off:
POST /account/totp
form csrf={csrf}
expect status 200
expect body <svg class="qr"
expect nobody name="pending"
capture SECRET id="totp-secret" dir="ltr">([A-Z2-7 ]+)<
POST /account/totp/confirm
form csrf={csrf}&secret={SECRET}&code=000000
expect status 400
expect body Wrong code.
POST /account/totp/confirm
form csrf={csrf}&secret={SECRET}&code={totp:SECRET}
expect status 200
expect body id="recovery-codes"
GET /account
expect body id="totp-state">On:
# now the sign-in asks for the code
POST /login
form csrf={pre}&username=t.analyst&password=quiet-river-lantern-88
session none
expect status 200
expect body action="/login/code"
expect nobody siren_session=
# turning it off needs a right code, and ends every session
clock +30
POST /account/totp/off
form csrf={csrf}&code=000000
expect status 400
POST /account/totp/off
form csrf={csrf}&code={totp:SECRET}
expect status 303
expect header Location: /login
GET /dashboard
expect status 303
POST /login
form csrf={pre}&username=t.analyst&password=quiet-river-lantern-88
expect status 303
expect header Location: /dashboard
# administrators and coordinators cannot turn theirs off
as t.admin
GET /account
expect body Your role must keep it on.
POST /account/totp/off
form csrf={csrf}&code=000000
expect status 403
