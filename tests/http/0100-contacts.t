# contacts: the form, errors naming the field with the input kept, saving,
# the list, hostile input escaped, and roles that may not see contacts
as t.hotline
GET /contacts/new
expect status 200
expect body id="contact-form"
expect body name="csrf"
expect body Time zone: Asia/Bangkok
expect body <option value="TH-90">
expect body /static/contact.js

# a missing channel is named, and what was typed stays
POST /contacts
form csrf={csrf}&received_at=2026-11-01T10:30&language=my&caller_type=self&category=labour_rights&summary=kept+text+here
expect status 400
expect body Check these fields:
expect body <li><a href="#channel">Channel</a>: Required.</li>
expect body <p class="field-error" id="err-channel">Required.</p>
expect nobody channel: required
expect body kept text here
expect body aria-invalid="true" aria-describedby="err-channel"

# an unknown province is named
POST /contacts
form csrf={csrf}&received_at=2026-11-01T10:30&channel=phone&language=my&caller_type=self&category=trafficking&problem_province=TH-99
expect status 400
expect body <li><a href="#problem_province">Problem province</a>: Not one of the allowed values.</li>

# a bad phone is named and never echoed in the message
POST /contacts
form csrf={csrf}&received_at=2026-11-01T10:30&channel=phone&language=my&caller_type=self&category=trafficking&caller_phone=call+me+maybe
expect status 400
expect body <li><a href="#caller_phone">Caller phone</a>: Not a phone number.</li>
expect nobody caller_phone: only digits

# a bad date is named
POST /contacts
form csrf={csrf}&received_at=2026-13-45T10:30&channel=phone&language=my&caller_type=self&category=trafficking
expect status 400
expect body <li><a href="#received_at">Date and time</a>: Must be a date and time.</li>
expect body value="2026-13-45T10:30"

# hostile text is escaped when the form comes back
POST /contacts
form csrf={csrf}&received_at=2026-11-01T10:30&language=my&caller_type=self&category=trafficking&summary=<script>alert(1)</script>&caller_place="><img src=x>
expect status 400
expect body &lt;script&gt;alert(1)&lt;/script&gt;
expect nobody <script>alert
expect nobody <img src=x>

# nothing was saved by any of these
GET /contacts
expect status 200
expect body id="no-contacts"

# without the CSRF token nothing is saved
POST /contacts
form received_at=2026-11-01T10:30&channel=phone&language=my&caller_type=self&category=trafficking
expect status 403

# a good contact is saved and listed
POST /contacts
form csrf={csrf}&received_at=2026-11-01T10:30&channel=line&language=my&caller_type=coworker&caller_phone=%2B66+81+555+0100&problem_province=TH-90&category=trafficking&issue=debt&issue=confinement&sector=fishing&n_affected=3&danger=1&summary=secret+summary+words&duration_min=7&consent=ngo
expect status 303
expect header Location: /contacts/C-
GET /contacts
expect status 200
expect body id="contacts"
expect body C-
expect body LINE
expect body Songkhla
expect body badge danger
expect nobody secret summary
expect nobody 555 0100
GET /contacts?category=trafficking&province=TH-90&danger=yes&from=2026-10-01&to=2026-11-30
expect status 200
expect body Songkhla
GET /contacts?category=labour_rights
expect status 200
expect body id="no-contacts"
GET /contacts?category=gossip
expect status 400
expect body category
GET /contacts?from=yesterday
expect status 400
expect body from
GET /contacts?after=notacursor
expect status 400

# the Burmese interface translates the form's labels and value lists
header Accept-Language: my
GET /contacts/new
expect status 200
expect body lang="my"

# roles without contact.read see no contact page at all
as t.analyst
GET /contacts
expect status 403
GET /contacts/new
expect status 403
as t.investigator
GET /contacts
expect status 403
as t.admin
GET /contacts
expect status 403
as -
GET /contacts
expect status 303
