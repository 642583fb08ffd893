# the interface language follows Accept-Language, then the user's choice
GET /login
header Accept-Language: my-MM,my;q=0.9,en;q=0.5
expect status 200
expect body <html lang="my">
GET /login
header Accept-Language: fr
expect body <html lang="en">
# switching language before sign-in sets a cookie and goes back
POST /lang
form csrf={pre}&lang=my&next=/login
expect status 303
expect header Location: /login
expect header Set-Cookie: siren_lang=my
POST /lang
form csrf={pre}&lang=xx&next=/login
expect status 400
# an off-site next is ignored
POST /lang
form csrf={pre}&lang=km&next=//evil.example/
expect status 303
expect header Location: /
# a signed-in user's choice is kept with the account
as t.hotline
POST /lang
form csrf={csrf}&lang=my&next=/dashboard
expect status 303
GET /dashboard
expect body <html lang="my">
POST /lang
form csrf={csrf}&lang=en&next=/dashboard
expect status 303
GET /dashboard
expect body <html lang="en">
