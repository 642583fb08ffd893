# A state change whose Origin is not this server's scheme://Host is
# refused with 403 before any handler runs, whatever its CSRF token;
# "Origin: null" too. Without an Origin the Referer decides the same way;
# with neither, the CSRF token alone decides (0004-csrf.t).
as t.admin
# same origin: accepted
POST /orgs
header Host: siren.test
header Origin: http://siren.test
form csrf={csrf}&name=Same Origin Org&kind=ngo&country=TH
expect status 303
# the default port and upper case are the same origin
POST /orgs
header Host: siren.test
header Origin: HTTP://Siren.Test:80
form csrf={csrf}&name=Default Port Org&kind=ngo&country=TH
expect status 303
# another site, with the right token
POST /orgs
header Host: siren.test
header Origin: http://evil.test
form csrf={csrf}&name=Cross Site Org&kind=ngo&country=TH
expect status 403
expect body came from another site
# a look-alike that starts with our host
POST /orgs
header Host: siren.test
header Origin: http://siren.test.evil.test
form csrf={csrf}&name=Cross Prefix Org&kind=ngo&country=TH
expect status 403
# another port, another scheme
POST /orgs
header Host: siren.test
header Origin: http://siren.test:8080
form csrf={csrf}&name=Cross Port Org&kind=ngo&country=TH
expect status 403
POST /orgs
header Host: siren.test
header Origin: https://siren.test
form csrf={csrf}&name=Cross Scheme Org&kind=ngo&country=TH
expect status 403
# Origin: null (a sandboxed frame, a data: URL)
POST /orgs
header Host: siren.test
header Origin: null
form csrf={csrf}&name=Cross Null Org&kind=ngo&country=TH
expect status 403
# an Origin but no Host to compare it with
POST /orgs
header Origin: http://siren.test
form csrf={csrf}&name=Cross No Host Org&kind=ngo&country=TH
expect status 403
# no Origin: a Referer from another site is refused, ours accepted
POST /orgs
header Host: siren.test
header Referer: http://evil.test/siren.test/orgs
form csrf={csrf}&name=Cross Referer Org&kind=ngo&country=TH
expect status 403
POST /orgs
header Host: siren.test
header Referer: http://user@siren.test/orgs
form csrf={csrf}&name=Cross Userinfo Org&kind=ngo&country=TH
expect status 403
POST /orgs
header Host: siren.test
header Referer: http://siren.test/orgs/new?x=1
form csrf={csrf}&name=Referer Org&kind=ngo&country=TH
expect status 303
# the Origin decides over the Referer
POST /orgs
header Host: siren.test
header Origin: http://evil.test
header Referer: http://siren.test/orgs
form csrf={csrf}&name=Cross Both Org&kind=ngo&country=TH
expect status 403
# other methods: refused before routing, so not the 405 they would get
PUT /orgs
header Host: siren.test
header Origin: http://evil.test
expect status 403
DELETE /users
header Host: siren.test
header Origin: http://evil.test
expect status 403
DELETE /users
header Host: siren.test
header Origin: http://siren.test
expect status 405
# a GET is not a state change: an Origin does not matter
GET /orgs
header Host: siren.test
header Origin: http://evil.test
expect status 200
# nothing refused was written
expect nobody Cross
expect body Same Origin Org
expect body Default Port Org
expect body Referer Org
# signing out from another site does not end the session
POST /logout
header Host: siren.test
header Origin: http://evil.test
form csrf={csrf}
expect status 403
GET /dashboard
expect status 200
# behind a TLS proxy our origin is https
tls on
POST /orgs
header Host: siren.test
header Origin: http://siren.test
form csrf={csrf}&name=Cross Plain Org&kind=ngo&country=TH
expect status 403
POST /orgs
header Host: siren.test
header Origin: https://siren.test
form csrf={csrf}&name=Tls Origin Org&kind=ngo&country=TH
expect status 303
tls off
GET /orgs
expect body Tls Origin Org
expect nobody Cross
# the sign-in form: a cross-site sign-in with a good token is refused
as -
POST /login
header Host: siren.test
header Origin: http://evil.test
form csrf={pre}&username=t.admin&password=quiet-river-lantern-88
expect status 403
POST /login
header Host: siren.test
header Origin: http://siren.test
form csrf={pre}&username=t.admin&password=quiet-river-lantern-88
expect status 200
expect body name="pending"
