# Two-step sign-in (TOTP). Codes come from liboath in the harness
# (tests/totpfix.h) for the secret the page shows, never from totp.c.

# an administrator or coordinator without an authenticator: the right
# password leads only to enrolment (a QR code drawn inline, the key as
# text, a signed step token); no session until it is confirmed
POST /login
form csrf={pre}&username=t.coordb&password=quiet-river-lantern-88
expect status 200
expect body Set up two-step sign-in
expect body <svg class="qr"
expect body name="pending"
expect nobody siren_session=
expect nobody otpauth://
capture SECRET id="totp-secret" dir="ltr">([A-Z2-7 ]+)<
capture PENDING name="pending" value="([0-9a-f]+)"
GET /dashboard
expect status 303
expect header Location: /login
# a wrong code: the same secret shown again, still no session
POST /login/enrol
form csrf={pre}&pending={PENDING}&secret={SECRET}&code=000000
expect status 400
expect body Wrong code. Please try again.
expect body {SECRET}
expect nobody siren_session=
# a forged or missing step token: sign in again
POST /login/enrol
form csrf={pre}&pending={pre}&secret={SECRET}&code={totp:SECRET}
expect status 401
expect body Your sign-in has expired.
# the right code: the session, and ten recovery codes shown once
POST /login/enrol
form csrf={pre}&pending={PENDING}&secret={SECRET}&code={totp:SECRET}
expect status 200
expect header Set-Cookie: siren_session=
expect body id="recovery-codes"
capture REC1 <li><code dir="ltr">([0-9a-z-]{19})</code>
# the step token does not work twice for an enrolment
POST /login/enrol
form csrf={pre}&pending={PENDING}&secret={SECRET}&code={totp:SECRET}
expect nobody siren_session=
# the next sign-in asks for a code; the code just used is refused (replay)
clock +5
POST /login
form csrf={pre}&username=t.coordb&password=quiet-river-lantern-88
expect status 200
expect body action="/login/code"
expect nobody Set up two-step sign-in
capture PENDING name="pending" value="([0-9a-f]+)"
POST /login/code
form csrf={pre}&pending={PENDING}&code={totp:SECRET}
expect status 401
expect body Wrong code. Please try again.
expect nobody siren_session=
# a recovery code signs in once
POST /login/code
form csrf={pre}&pending={PENDING}&code={REC1}
expect status 303
expect header Location: /account?done=recovery
expect header Set-Cookie: siren_session=
POST /login/code
form csrf={pre}&pending={PENDING}&code={REC1}
expect status 401
expect nobody siren_session=
# the next step's code signs in
clock +30
POST /login/code
form csrf={pre}&pending={PENDING}&code={totp:SECRET}
expect status 303
expect header Location: /dashboard
# the step token is good for five minutes
clock +301
POST /login/code
form csrf={pre}&pending={PENDING}&code={totp:SECRET}
expect status 401
expect body Your sign-in has expired.

# the audit has the enrolment, the failed codes and the recovery code
as t.admin
GET /audit?action=auth.totp_enrol
expect status 200
expect body auth.totp_enrol
expect nobody {SECRET}
GET /audit?action=auth.totp_failed
expect body auth.totp_failed
GET /audit?action=auth.totp_recovery_used
expect body auth.totp_recovery_used
expect body 9 left
expect nobody {REC1}

# only an administrator resets another user's second factor; audited;
# the user then enrols again
as t.coordinator
POST /users/{id:t.coordb}/totp-reset
form csrf={csrf}
expect status 403
as t.hotline
POST /users/{id:t.coordb}/totp-reset
form csrf={csrf}
expect status 403
as t.admin
GET /users/{id:t.coordb}
expect status 200
expect body id="user-totp">On<
expect body /totp-reset
POST /users/{id:t.coordb}/totp-reset
form csrf={id:t.coordb}
expect status 403
POST /users/999999/totp-reset
form csrf={csrf}
expect status 404
POST /users/{id:t.coordb}/totp-reset
form csrf={csrf}
expect status 303
expect header Location: /users/{id:t.coordb}?done=totp
GET /users/{id:t.coordb}?done=totp
expect body Two-step sign-in was reset.
expect body id="user-totp">Off<
GET /audit?action=user.totp_reset
expect body user.totp_reset
as -
POST /login
form csrf={pre}&username=t.coordb&password=quiet-river-lantern-88
expect status 200
expect body Set up two-step sign-in

