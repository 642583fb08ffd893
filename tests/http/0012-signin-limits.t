# sign-in attempts are limited per account name (siren.conf defaults:
# 10 at once, then 10 a minute) and per client address (20, then 20 a
# minute); a limited attempt answers 429 with Retry-After and is not
# checked at all: no hash, no count toward the lockout
POST /login
form csrf={pre}&username=t.analyst&password=wrong-password-00
expect status 401
POST /login
form csrf={pre}&username=t.analyst&password=wrong-password-01
expect status 401
POST /login
form csrf={pre}&username=t.analyst&password=wrong-password-02
expect status 401
POST /login
form csrf={pre}&username=t.analyst&password=wrong-password-03
expect status 401
POST /login
form csrf={pre}&username=t.analyst&password=wrong-password-04
expect status 401
POST /login
form csrf={pre}&username=t.analyst&password=wrong-password-05
expect status 401
POST /login
form csrf={pre}&username=t.analyst&password=wrong-password-06
expect status 401
POST /login
form csrf={pre}&username=t.analyst&password=wrong-password-07
expect status 401
POST /login
form csrf={pre}&username=t.analyst&password=wrong-password-08
expect status 401
POST /login
form csrf={pre}&username=t.analyst&password=wrong-password-09
expect status 401
POST /login
form csrf={pre}&username=t.analyst&password=wrong-password-10
expect status 429
expect header Retry-After: 6
expect body Too many sign-in attempts
expect nobody Wrong username
# the right password is not even looked at
POST /login
form csrf={pre}&username=t.analyst&password=quiet-river-lantern-88
expect status 429
expect nobody siren_session
# one token comes back every 6 s
clock +5
POST /login
form csrf={pre}&username=t.analyst&password=wrong-password-11
expect status 429
expect header Retry-After: 1
clock +1
POST /login
form csrf={pre}&username=t.analyst&password=wrong-password-12
expect status 401
POST /login
form csrf={pre}&username=t.analyst&password=wrong-password-13
expect status 429

# per address: after a pause every bucket is full again; 20 names
# (none of them known) pass, the 21st is refused whatever its name
clock +600
POST /login
form csrf={pre}&username=nobody.00&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.01&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.02&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.03&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.04&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.05&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.06&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.07&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.08&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.09&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.10&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.11&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.12&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.13&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.14&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.15&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.16&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.17&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.18&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.19&password=wrong-password-xx
expect status 401
POST /login
form csrf={pre}&username=nobody.20&password=wrong-password-xx
expect status 429
expect header Retry-After: 3
# attempts refused by the limit are not checked: six wrong passwords
# for t.caseworker now would lock it, but they are never tried
POST /login
form csrf={pre}&username=t.caseworker&password=wrong-password-00
expect status 429
POST /login
form csrf={pre}&username=t.caseworker&password=wrong-password-01
expect status 429
POST /login
form csrf={pre}&username=t.caseworker&password=wrong-password-02
expect status 429
POST /login
form csrf={pre}&username=t.caseworker&password=wrong-password-03
expect status 429
POST /login
form csrf={pre}&username=t.caseworker&password=wrong-password-04
expect status 429
POST /login
form csrf={pre}&username=t.caseworker&password=wrong-password-05
expect status 429
POST /login
form csrf={pre}&username=t.caseworker&password=quiet-river-lantern-88
expect status 429
expect nobody siren_session
clock +600
POST /login
form csrf={pre}&username=t.caseworker&password=quiet-river-lantern-88
expect status 303
expect header Set-Cookie: siren_session=
