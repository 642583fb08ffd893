# sessions end after 30 idle minutes
as t.caseworker
GET /dashboard
expect status 200
expect body Case worker
clock +1740
GET /dashboard
expect status 200
clock +1800
GET /dashboard
expect status 303
expect header Location: /login
expect header Set-Cookie: Max-Age=0
# a made-up token is no session
GET /dashboard
session stale
expect status 303

# sessions end after 12 hours even when used
as t.caseworker
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 200
clock +1500
GET /dashboard
expect status 303

# signing out ends the session
as t.analyst
POST /logout
form csrf={csrf}
expect status 303
expect header Location: /login
GET /dashboard
expect status 303
