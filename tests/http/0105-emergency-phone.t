# an emergency partner's phone: set on the directory profile (read in
# the organisation's country, stored E.164), shown as a tel: link beside
# the contact form to the roles that take calls, never to the analyst
as t.admin
POST /directory/{org_b}
form csrf={csrf}&provinces=TH-90&languages=th&services=rescue&emergency=1&emergency_phone=074+123+4567
expect status 303
GET /directory/{org_b}
expect status 200
expect body id="org-emergency-phone"><a href="tel:+66741234567">+66 74 123 4567</a>
expect body value="+66 74 123 4567"
# a bad phone is refused by name and changes nothing
POST /directory/{org_b}
form csrf={csrf}&provinces=TH-50&languages=th&services=rescue&emergency=1&emergency_phone=call+the+police
expect status 400
expect body emergency_phone
GET /directory/{org_b}
expect status 200
expect body tel:+66741234567
expect nobody Chiang Mai

# the operator: display form and E.164 in the API
as t.hotline
GET /api/v1/orgs/emergency?province=TH-90
expect status 200
expect body "name":"Org B"
expect body "phone":"+66 74 123 4567"
expect body "tel":"+66741234567"
# no partner with a phone elsewhere
GET /api/v1/orgs/emergency?province=TH-50
expect status 200
expect nobody "tel"
# the no-JS form lists the partner with its tel: link
POST /contacts
form csrf={csrf}&check=1&danger=1&problem_province=TH-90
expect status 200
expect body id="emergency-list"><li>Org B (
expect body <a class="tel" href="tel:+66741234567">+66 74 123 4567</a></li>
# and so does the saved contact's page
POST /contacts
form csrf={csrf}&received_at=2026-11-01T10:30&channel=phone&language=th&caller_type=self&problem_province=TH-90&category=trafficking&danger=1
expect status 303
capture CONTACT Location: (/contacts/C-[A-Z0-9-]+)
GET {CONTACT}
expect status 200
expect body <a class="tel" href="tel:+66741234567">+66 74 123 4567</a>

# the analyst: no API, and no phone on the directory page
as t.analyst
GET /api/v1/orgs/emergency?province=TH-90
expect status 403
expect nobody 4567
GET /directory/{org_b}
expect status 200
expect body Org B
expect nobody 4567
expect nobody tel:
