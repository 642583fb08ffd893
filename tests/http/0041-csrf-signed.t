# The pre-sign-in token is signed by the workspace. A cookie and a form
# field that are equal but were not signed by it are refused with 403
# before the sign-in runs, so they write nothing: six of them with a
# wrong password would lock t.caseworker (0003-lockout.t), yet the right
# password still signs in afterwards.
as -
# the old unsigned double submit: any 64 hex digits, in cookie and form
POST /login
pre 5f0e1d2c3b4a59687766554433221100ffeeddccbbaa99887766554433221100
form csrf=5f0e1d2c3b4a59687766554433221100ffeeddccbbaa99887766554433221100&username=t.caseworker&password=bad-password-0001
expect status 403
expect body Your form has expired
# 112 hex digits that are not a token the workspace made
POST /login
pre 00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
form csrf=00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000&username=t.caseworker&password=bad-password-0002
expect status 403
# the right shape and a current time, MAC'd under another key
POST /login
pre {pre_forged}
form csrf={pre_forged}&username=t.caseworker&password=bad-password-0003
expect status 403
POST /login
pre {pre_forged}
form csrf={pre_forged}&username=t.caseworker&password=bad-password-0004
header X-CSRF-Token: {pre_forged}
expect status 403
# a signed token in the form does not make a forged cookie good
POST /login
pre {pre_forged}
form csrf={pre}&username=t.caseworker&password=bad-password-0005
expect status 403
# nor the other way round
POST /login
form csrf={pre_forged}&username=t.caseworker&password=bad-password-0006
expect status 403
# none of them reached the sign-in: the account is not locked
POST /login
form csrf={pre}&username=t.caseworker&password=quiet-river-lantern-88
expect status 303
expect header Location: /dashboard
# the sign-in page sets a signed cookie, and that pair signs in
GET /login
cookies none
expect status 200
expect header Set-Cookie: siren_pre=
expect header Set-Cookie: HttpOnly
expect header Set-Cookie: SameSite=Strict
capture FRESH siren_pre=([0-9a-f]+);
POST /login
pre {FRESH}
form csrf={FRESH}&username=t.analyst&password=quiet-river-lantern-88
expect status 303
expect header Location: /dashboard
# behind a TLS proxy the cookie is __Host-siren_pre, Secure
tls on
GET /login
cookies none
expect status 200
expect header Set-Cookie: __Host-siren_pre=
expect header Set-Cookie: Secure
expect header Set-Cookie: Path=/
capture HOSTPRE __Host-siren_pre=([0-9a-f]+);
POST /login
pre {HOSTPRE}
form csrf={HOSTPRE}&username=t.analyst&password=quiet-river-lantern-88
expect status 303
tls off
# a signed token is good for 12 hours, then refused
clock +43140
POST /login
form csrf={pre}&username=t.analyst&password=quiet-river-lantern-88
expect status 303
clock +120
POST /login
form csrf={pre}&username=t.analyst&password=quiet-river-lantern-88
expect status 403
