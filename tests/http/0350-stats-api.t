# tests/http/0350-stats-api.t - survey data sets and analyses through the
# JSON API: an analyst imports the 92-of-400 survey and runs prevalence;
# the answer carries EXPECTED.md's Wilson interval 0.191444 - 0.273693
# (0.1914438305 - 0.2736928084 to 10 digits, as `siren stats prevalence
# --x 92 --n 400`); the record can be read back; bad requests name the
# field and record nothing.
as t.analyst
GET /api/v1/datasets
expect status 200
expect body "datasets":[]
POST /api/v1/datasets
header X-CSRF-Token: {csrf}
type application/json
body {"name":"deportees","csv":"trafficked,sex\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n1,m\n1,f\n1,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n0,m\n0,m\n0,f\n","identifying":"drop"}
expect status 201
expect body "rows":400
expect body "columns":2
expect body "sha256":"
POST /api/v1/analyses
header X-CSRF-Token: {csrf}
type application/json
body {"method":"prevalence","dataset":"deportees","options":{"outcome":"trafficked"}}
expect status 201
expect body "method":"wilson"
expect body "lower":0.19144383
expect body "upper":0.27369280
expect body "x":92
expect body "n":400
expect body "seed":0
expect body "version":"
GET /api/v1/analyses/1
expect status 200
expect body "method":"prevalence"
expect body "options":{"outcome":"trafficked"}
expect body "lower":0.19144383
GET /api/v1/analyses/999
expect status 404
GET /api/v1/datasets
expect body "name":"deportees"
expect body "analyses":1

# bad requests: no JSON, unknown option, unknown column, unknown method,
# unknown data set; none is recorded
POST /api/v1/analyses
header X-CSRF-Token: {csrf}
type application/json
body not json
expect status 400
expect body body
POST /api/v1/analyses
header X-CSRF-Token: {csrf}
type application/json
body {"method":"prevalence","dataset":"deportees","options":{"outcome":"trafficked","colour":"red"}}
expect status 400
expect body colour
POST /api/v1/analyses
header X-CSRF-Token: {csrf}
type application/json
body {"method":"prevalence","dataset":"deportees","options":{"outcome":"nope"}}
expect status 400
expect body nope
POST /api/v1/analyses
header X-CSRF-Token: {csrf}
type application/json
body {"method":"astrology","dataset":"deportees"}
expect status 400
expect body method
POST /api/v1/analyses
header X-CSRF-Token: {csrf}
type application/json
body {"method":"prevalence","dataset":"nosuch","options":{"outcome":"trafficked"}}
expect status 404
GET /api/v1/analyses/2
expect status 404
# the CSRF token is required
POST /api/v1/analyses
type application/json
body {"method":"prevalence","dataset":"deportees","options":{"outcome":"trafficked"}}
expect status 403

# a partner, a hotline operator and nobody are refused (a partner account
# of our own: 0010-account.t changes t.partner's password)
as t.admin
POST /users
form csrf={csrf}&username=t.partner.stats&org={org_a}&role=partner&password=quiet-river-lantern-88
expect status 303
as t.partner.stats
GET /api/v1/datasets
expect status 403
POST /api/v1/analyses
header X-CSRF-Token: {csrf}
type application/json
body {"method":"prevalence","dataset":"deportees","options":{"outcome":"trafficked"}}
expect status 403
GET /api/v1/analyses/1
expect status 403
as t.hotline
GET /api/v1/analyses/1
expect status 403
as -
GET /api/v1/analyses/1
expect status 401
