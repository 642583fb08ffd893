# /health answers anyone, as JSON, with the security headers
GET /health
expect status 200
expect header Content-Type: application/json
expect body {"status":"ok"}
expect header Cache-Control: no-store

# unknown paths and wrong methods
GET /no/such/page
expect status 404
DELETE /health
expect status 405
POST /health
expect status 405
