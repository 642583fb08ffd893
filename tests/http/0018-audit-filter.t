# the audit log is filtered by a user's name, not a number, and a filter
# it cannot read is refused by its label with nothing listed, the value
# kept in the form
as t.coordinator
GET /audit
expect status 200
as t.admin
GET /audit?username=t.coordinator&action=auth.login
expect status 200
expect body auth.login
expect body t.coordinator</td>
expect nobody t.admin</td>
expect body name="username" type="text" value="t.coordinator"
GET /audit?username=t.nobody
expect status 400
expect body Check the filter field: User
expect body 0 matches
expect nobody auth.login
GET /audit?from=2026-13-45
expect status 400
expect body Check the filter field: From
expect body value="2026-13-45"
expect nobody user.add
GET /audit?to=yesterday
expect status 400
expect body Check the filter field: To
# an empty field is no filter
GET /audit?username=&from=&to=
expect status 200
expect body user.add
