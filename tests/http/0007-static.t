# static assets are public and cacheable
GET /static/app.css
expect status 200
expect header Content-Type: text/css
expect header Cache-Control: max-age
GET /static/logo.svg
expect status 200
expect header Content-Type: image/svg+xml
GET /static/../db/siren.db
expect status 404
GET /static/nothing.css
expect status 404
