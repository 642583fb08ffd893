# every state change needs this session's CSRF token
as t.admin
POST /orgs
form name=No Token Org&kind=ngo&country=TH
expect status 403
expect body Your form has expired
POST /orgs
form csrf=ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff&name=Wrong Token Org&kind=ngo&country=TH
expect status 403
# another live session's token is not this session's
POST /orgs
form csrf={csrf_other}&name=Other Token Org&kind=ngo&country=TH
expect status 403
# the pre-session token is not a session token
POST /orgs
form csrf={pre}&name=Pre Token Org&kind=ngo&country=TH
expect status 403
# a GET cannot change state
GET /orgs?csrf={csrf}&name=Get Org&kind=ngo
expect status 200
expect nobody Get Org
# none of the refused forms wrote anything
GET /orgs
expect nobody Token Org
# the right token in the form, or in the header for the API style
POST /orgs
form csrf={csrf}&name=Right Token Org&kind=ngo&country=TH
expect status 303
POST /orgs
form name=Header Token Org&kind=ngo&country=TH
header X-CSRF-Token: {csrf}
expect status 303
GET /orgs
expect body Right Token Org
expect body Header Token Org
# a body that is neither a form nor JSON
POST /orgs
body name=x
type text/plain
expect status 415
