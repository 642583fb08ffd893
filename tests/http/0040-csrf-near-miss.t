# A token that is nearly right is wrong: cut short, right only in its first
# 32 characters, one character off at the end, or right with more after
# it. Each is refused with 403 and writes nothing, in the form and in the
# X-CSRF-Token header. (The "first 32" and "last character" cases caught a
# check comparing only the first half of the token.)
as t.admin
POST /orgs
form csrf={csrf_cut}&name=Near Miss Cut&kind=ngo&country=TH
expect status 403
expect body Your form has expired
POST /orgs
form csrf={csrf_half}&name=Near Miss Half&kind=ngo&country=TH
expect status 403
expect body Your form has expired
POST /orgs
form csrf={csrf_last}&name=Near Miss Last&kind=ngo&country=TH
expect status 403
expect body Your form has expired
POST /orgs
form csrf={csrf_long}&name=Near Miss Long&kind=ngo&country=TH
expect status 403
expect body Your form has expired
POST /orgs
form name=Near Miss Header Cut&kind=ngo&country=TH
header X-CSRF-Token: {csrf_cut}
expect status 403
POST /orgs
form name=Near Miss Header Half&kind=ngo&country=TH
header X-CSRF-Token: {csrf_half}
expect status 403
POST /orgs
form name=Near Miss Header Last&kind=ngo&country=TH
header X-CSRF-Token: {csrf_last}
expect status 403
POST /orgs
form name=Near Miss Header Long&kind=ngo&country=TH
header X-CSRF-Token: {csrf_long}
expect status 403
# a near miss in the form is not saved by the right token in the header
POST /orgs
form csrf={csrf_half}&name=Near Miss Both&kind=ngo&country=TH
header X-CSRF-Token: {csrf}
expect status 403
# nothing was written
GET /orgs
expect status 200
expect nobody Near Miss
# control: the same form with the right token is written and listed
POST /orgs
form csrf={csrf}&name=Near Control Org&kind=ngo&country=TH
expect status 303
GET /orgs
expect body Near Control Org
expect nobody Near Miss
# the sign-in form's pre-session token ({pre}, signed by the workspace):
# near misses are refused and start no session
as -
POST /login
form csrf={pre_cut}&username=t.admin&password=quiet-river-lantern-88
expect status 403
POST /login
form csrf={pre_half}&username=t.admin&password=quiet-river-lantern-88
expect status 403
POST /login
form csrf={pre_last}&username=t.admin&password=quiet-river-lantern-88
expect status 403
POST /login
form csrf={pre_long}&username=t.admin&password=quiet-river-lantern-88
expect status 403
# control: the right pre-session token passes the password step (an
# administrator then enrols a second factor: a page, no session yet)
POST /login
form csrf={pre}&username=t.admin&password=quiet-river-lantern-88
expect status 200
expect body name="pending"
expect nobody siren_session
