# behind a TLS proxy the session cookie is Secure with the __Host- prefix
tls on
GET /login
cookies none
expect header Set-Cookie: Secure
POST /login
form csrf={pre}&username=t.caseworker&password=quiet-river-lantern-88
expect status 303
expect header Set-Cookie: __Host-siren_session=
expect header Set-Cookie: Secure
expect header Set-Cookie: HttpOnly
expect header Set-Cookie: SameSite=Strict
tls off
POST /login
form csrf={pre}&username=t.caseworker&password=quiet-river-lantern-88
expect status 303
expect nobody __Host-
# a wrong method says which ones are allowed
DELETE /users
expect status 405
expect header Allow: GET, HEAD, POST
PUT /login
expect status 405
expect header Allow: GET, HEAD, POST
