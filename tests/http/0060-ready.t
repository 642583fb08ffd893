# /ready answers anyone without signing in, as JSON: each check by name,
# no path and no size
GET /ready
expect status 200
expect header Content-Type: application/json
expect body {"status":"ready"
expect body "database":"ok"
expect body "disk":"ok"
expect body "wal":"ok"
expect nobody /tmp
expect nobody siren.db
expect nobody failed
expect header Cache-Control: no-store

# the same for a signed-in user; a second answer comes from the cache
as t.hotline
GET /ready
expect status 200
expect body "database":"ok"

# only GET
as -
POST /ready
expect status 405
DELETE /ready
expect status 405
