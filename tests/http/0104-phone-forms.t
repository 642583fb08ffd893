# one caller, four ways of writing the number: stored in E.164 and found
# by any of them (the workspace's phone_region is TH); the phone only in
# bodies, never in a URL
as t.hotline
POST /contacts
form csrf={csrf}&received_at=2026-11-04T09:00&channel=phone&language=my&caller_type=self&caller_phone=081+555+7321&category=labour_rights
expect status 303
POST /contacts
form csrf={csrf}&received_at=2026-11-05T09:00&channel=sms&language=my&caller_type=self&caller_phone=66815557321&category=documents
expect status 303
POST /api/v1/contacts/lookup
header X-CSRF-Token: {csrf}
type application/json
body {"phone": "+66 81-555-7321"}
expect status 200
expect body "category":"labour_rights"
expect body "category":"documents"
expect body "received":"2026-11-04 09:00 UTC+7"
expect nobody 7321
POST /api/v1/contacts/lookup
form csrf={csrf}&phone=0815557321
expect status 200
expect body "category":"labour_rights"
expect body "category":"documents"
# the no-JS check on the form finds them from the national form
POST /contacts
form csrf={csrf}&check=1&caller_phone=081-555-7321
expect status 200
expect body Earlier contacts from this number
expect body Labour rights
expect body Documents and registration
# a caller in Myanmar: the same national digits are a Myanmar number, not
# these two
POST /contacts
form csrf={csrf}&check=1&caller_phone=0815557321&caller_country=MM
expect status 200
expect body No earlier contacts from this number.
