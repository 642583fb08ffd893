# the administrator sees the audit log and its verification
as t.admin
GET /audit
expect status 200
expect body id="audit-status" class="flash ok"
expect body user.add
GET /audit?action=org.add
expect status 200
expect body org.add
expect nobody user.add
GET /api/v1/audit/verify
expect status 200
expect body "ok":true
# a coordinator sees entries of their own organisation's users only
as t.coordinator
GET /audit
expect status 200
expect body auth.login
GET /audit?user={id:t.coordb}
expect status 200
expect nobody auth.login
GET /api/v1/audit/verify
expect status 403
# others are refused
as t.analyst
GET /audit
expect status 403
