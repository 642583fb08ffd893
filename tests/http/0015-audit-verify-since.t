# the audit verification remembers how far it got: the first call walks
# every row, the next ones only the rows appended since
as t.admin
GET /api/v1/audit/verify
expect status 200
expect body "ok":true
expect body "verified_before":0
capture ROWS "rows":([0-9]+)
GET /api/v1/audit/verify
expect status 200
expect body "ok":true
expect body "checked":0
expect body "verified_before":{ROWS}
# a new sign-in appends its audit rows (`as` opens two sessions: two
# auth.login rows); those two alone are checked
as t.admin
GET /api/v1/audit/verify
expect status 200
expect body "ok":true
expect body "checked":2
expect body "verified_before":{ROWS}
capture ROWS2 "rows":([0-9]+)
# the page runs the same check from the same record, and moves it on
as t.admin
GET /audit
expect status 200
expect body id="audit-status" class="flash ok"
GET /api/v1/audit/verify
expect status 200
expect body "checked":0
expect nobody "verified_before":{ROWS2}
# a coordinator may not verify, nor ask for more
as t.coordinator
GET /api/v1/audit/verify
expect status 403
GET /api/v1/audit/verify?full=1
expect status 403
