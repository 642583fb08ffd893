# the administrator lists and adds users; bad input names the field
as t.admin
GET /users
expect status 200
expect body t.coordb
expect body t.hotline
POST /users
form csrf={csrf}&username=Bad Name&org={org_a}&role=hotline&password=quiet-river-lantern-88
expect status 400
expect body username
POST /users
form csrf={csrf}&username=new.person&org={org_a}&role=overlord&password=quiet-river-lantern-88
expect status 400
expect body role
POST /users
form csrf={csrf}&username=new.person&org={org_a}&role=hotline&password=qwerty
expect status 400
expect body password too short
POST /users
form csrf={csrf}&username=new.person&org={org_a}&role=hotline&password=1q2w3e4r5t6y
expect status 400
expect body common
POST /users
form csrf={csrf}&username=t.hotline&org={org_a}&role=hotline&password=quiet-river-lantern-88
expect status 400
expect body already taken
GET /users
expect nobody new.person
POST /users
form csrf={csrf}&username=new.person&org={org_b}&role=analyst&password=amber-meadow-falcon-3
expect status 303
GET /users/{id:new.person}
expect status 200
expect body new.person
expect body Analyst

# the administrator changes a role and disables an account
POST /users/{id:new.person}
form csrf={csrf}&role=partner&status=disabled
expect status 303
GET /users/{id:new.person}
expect body Partner organisation
expect body id="user-status">Disabled
POST /users/{id:new.person}
form csrf={csrf}&role=partner&status=maybe
expect status 400

# a coordinator sees the users of their organisation only
as t.coordinator
GET /users
expect status 200
expect body t.hotline
expect nobody t.coordb
expect nobody t.hotlineb
GET /users/{id:t.hotline}
expect status 200
GET /users/{id:t.hotlineb}
expect status 404
GET /users/999999
expect status 404
GET /users/abc
expect status 404
# and cannot add users
POST /users
form csrf={csrf}&username=sneaky.one&org={org_a}&role=admin&password=amber-meadow-falcon-3
expect status 403
GET /api/v1/users
expect status 200
expect body t.hotline
expect nobody t.hotlineb

# roles without user.read are refused
as t.hotline
GET /users
expect status 403
GET /api/v1/users
expect status 403
expect header Content-Type: application/json
