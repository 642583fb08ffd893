# the sign-in page sets a pre-session CSRF cookie and escapes what it echoes
GET /login
cookies none
expect status 200
expect header Set-Cookie: siren_pre=
expect header Set-Cookie: HttpOnly
expect header Set-Cookie: SameSite=Strict
expect body name="csrf"
expect nobody Synthetic

# anonymous pages redirect to the sign-in page; the API answers 401
GET /dashboard
expect status 303
expect header Location: /login
GET /api/v1/me
expect status 401
expect header Content-Type: application/json

# wrong password: 401, a clear message, no session
POST /login
form csrf={pre}&username=t.hotline&password=not-the-password-1
expect status 401
expect body Wrong username or password.
expect nobody siren_session
# unknown user: the same answer
POST /login
form csrf={pre}&username=nobody.here&password=not-the-password-1
expect status 401
expect body Wrong username or password.

# hostile input is escaped where it is shown again
POST /login
form csrf={pre}&username=%3Cscript%3Ealert(1)%3C%2Fscript%3E&password=x
expect status 401
expect nobody <script>alert(1)
expect body &lt;script&gt;

# without the pre-session token the form is refused
POST /login
form username=t.hotline&password=quiet-river-lantern-88
expect status 403
POST /login
form csrf=0000000000000000000000000000000000000000000000000000000000000000&username=t.hotline&password=quiet-river-lantern-88
expect status 403

# right password: a new session cookie, HttpOnly and SameSite=Strict
POST /login
form csrf={pre}&username=t.hotline&password=quiet-river-lantern-88
expect status 303
expect header Location: /dashboard
expect header Set-Cookie: siren_session=
expect header Set-Cookie: SameSite=Strict

# a disabled account cannot sign in, and says so only after the password
POST /login
form csrf={pre}&username=t.disabled&password=quiet-river-lantern-88
expect status 401
expect body This account is disabled.
POST /login
form csrf={pre}&username=t.disabled&password=wrong-password-123
expect body Wrong username or password.
