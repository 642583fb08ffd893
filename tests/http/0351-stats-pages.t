# tests/http/0351-stats-pages.t - the analysis pages: an analyst imports
# through the form (identifying columns refused, naming them; dropped on
# request), hostile names are escaped, a risk-factor analysis shows the
# forest plot, a coordinator may keep identifying columns yet the pages
# show no row of data; partners are refused; an over-cap import is 413.
as t.analyst
GET /stats
expect status 200
expect body id="datasets"
expect body action="/stats/datasets"
POST /stats/datasets
form csrf={csrf}&name=with-phones&csv=respondent_name%2Cphone%2Cage%0AAye%2C0812345678%2C23%0ABo%2C0899999999%2C31%0A&identifying=refuse
expect status 403
expect body &#39;respondent_name&#39;
expect body &#39;phone&#39;
expect nobody 0812345678
POST /stats/datasets
form csrf={csrf}&name=with-phones&csv=respondent_name%2Cphone%2Cage%0AAye%2C0812345678%2C23%0ABo%2C0899999999%2C31%0A&identifying=keep
expect status 403
GET /api/v1/datasets
expect nobody with-phones
# the analyst is not offered to keep them
GET /stats
expect nobody value="keep"
POST /stats/datasets
form csrf={csrf}&name=with-phones&csv=respondent_name%2Cphone%2Cage%0AAye%2C0812345678%2C23%0ABo%2C0899999999%2C31%0A&identifying=drop
expect status 303
GET /api/v1/datasets
expect body "name":"with-phones"
expect body "dropped":2

# hostile names are escaped everywhere they are shown
POST /stats/datasets
form csrf={csrf}&name=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&csv=%22%3Cb%3Ecol%22%0A1%0A
expect status 303
GET /stats
expect status 200
expect nobody <img src=x
expect body &lt;img src=x onerror=alert(1)&gt;
GET /stats/analyses/new
expect nobody <img src=x
expect body &lt;img src=x

# a risk-factor analysis through the form: odds ratio 30*180/(70*20)
POST /stats/datasets
form csrf={csrf}&name=brokers&csv=case%2Cbroker%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A1%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A0%2Cyes%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A1%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A0%2Cno%0A
expect status 303
capture BROKERS Location: /stats/datasets/([0-9]+)
POST /stats/analyses
form csrf={csrf}&method=risk&dataset=brokers&outcome=case&predictors=broker&ref=broker%3Dno
expect status 303
expect header Location: /stats/analyses/
capture ANALYSIS Location: /stats/analyses/([0-9]+)
GET /stats/analyses/{ANALYSIS}
expect status 200
expect body <svg class="forest"
expect body broker=yes
expect body 3.857
expect body id="forest-table"
expect body role="img"
# bad options name the option and record nothing
POST /stats/analyses
form csrf={csrf}&method=risk&dataset=brokers&outcome=case&predictors=nope
expect status 400
expect body nope
POST /stats/analyses
form csrf={csrf}&method=risk&dataset=&outcome=case&predictors=broker
expect status 400
POST /stats/analyses
form csrf={csrf}&method=voodoo&dataset=brokers
expect status 400
GET /api/v1/analyses/2
expect status 404
GET /stats/analyses/999
expect status 404
GET /stats/datasets/999
expect status 404
GET /stats/datasets/abc
expect status 404

# over the per-cell cap (4096 bytes): 413
POST /stats/datasets
form csrf={csrf}&name=huge&csv=a%0Axxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx%0A
expect status 413

# a coordinator may keep identifying columns; pages show no row of data
as t.coordinator
POST /stats/datasets
form csrf={csrf}&name=kept&csv=respondent_name%2Cphone%2Cage%0AAye%2C0812345678%2C23%0ABo%2C0899999999%2C31%0A&identifying=keep
expect status 303
GET /stats
expect body value="keep"
expect body kept
expect nobody 0812345678

# delete needs a reason; the analysis stays when its dataset goes
as t.analyst
POST /stats/datasets/{BROKERS}/delete
form csrf={csrf}&reason=
expect status 400
POST /stats/datasets/{BROKERS}/delete
form csrf={csrf}&reason=uploaded%20twice
expect status 303
GET /stats/datasets/{BROKERS}
expect status 404
GET /stats/analyses/{ANALYSIS}
expect status 200

# partners and hotline operators are refused
as t.admin
POST /users
form csrf={csrf}&username=t.partner.stats&org={org_a}&role=partner&password=quiet-river-lantern-88
expect status 303
as t.partner.stats
GET /stats
expect status 403
GET /stats/analyses/{ANALYSIS}
expect status 403
POST /stats/datasets
form csrf={csrf}&name=x&csv=a%0A1%0A
expect status 403
as t.hotline
GET /stats
expect status 403
as t.investigator
GET /stats/datasets/2
expect status 403
