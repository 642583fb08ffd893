# Times on pages are the workspace's local time (the fixture's zone is
# Asia/Bangkok, UTC+7) with its label, and a <time> element whose datetime
# attribute is the same moment in UTC; dates are the local date. The
# clock starts at 2027-01-15 08:00 UTC; 9.5 hours on it is 17:30 UTC,
# already 2027-01-16 00:30 in Bangkok. JSON keeps unix seconds.
clock +34200
as t.hotline
# typed as local time: 00:10 in Bangkok is 17:10 UTC the day before
POST /contacts
form csrf={csrf}&received_at=2027-01-16T00:10&channel=phone&language=my&caller_type=self&category=trafficking&consent=ngo
expect status 303
capture CONTACT Location: /contacts/(C-[0-9A-Z]{4}-[0-9A-Z]{4})
GET /contacts/{CONTACT}
expect status 200
expect body <dd id="c-received"><time datetime="2027-01-15T17:10Z">2027-01-16 00:10 UTC+7</time></dd>
GET /contacts
expect status 200
expect body <td class="nowrap"><time datetime="2027-01-15T17:10Z">2027-01-16 00:10 UTC+7</time></td>
expect nobody 2027-01-15 17:10
# the form's own value stays local, without a label (datetime-local)
GET /contacts/new
expect status 200
expect body type="datetime-local" required value="2027-01-16T00:30"
# the no-JS check of earlier contacts from a number
POST /contacts
form csrf={csrf}&received_at=2027-01-16T00:20&channel=phone&language=my&caller_type=self&caller_phone=%2B66+81+555+0160&category=labour_rights
expect status 303
POST /contacts
form csrf={csrf}&check=1&caller_phone=%2B66815550160
expect status 200
expect body <time datetime="2027-01-15T17:20Z">2027-01-16 00:20 UTC+7</time>

# a referral sent now (17:30 UTC), urgency high: answer due in 24 hours
POST /contacts/{CONTACT}/refer
form csrf={csrf}&to={org_b}&service=legal_aid&urgency=high
expect status 303
capture REF Location: /referrals/(R-[0-9A-Z]{4}-[0-9A-Z]{4})
GET /referrals/{REF}
expect status 200
expect body <dt>Sent</dt><dd><time datetime="2027-01-15T17:30Z">2027-01-16 00:30 UTC+7</time></dd>
expect body <dt>Answer due</dt><dd><time datetime="2027-01-16T17:30Z">2027-01-17 00:30 UTC+7</time></dd>
expect nobody 2027-01-15 17:30
expect nobody 2027-01-16 17:30
# its history
expect body <tr><td class="nowrap"><time datetime="2027-01-15T17:30Z">2027-01-16 00:30 UTC+7</time></td>
GET /referrals
expect status 200
expect body <td class="nowrap"><time datetime="2027-01-15T17:30Z">2027-01-16 00:30 UTC+7</time></td><td class="nowrap"><time datetime="2027-01-16T17:30Z">2027-01-17 00:30 UTC+7</time></td>
# the JSON answer keeps unix seconds (1800034200 is 2027-01-15 17:30 UTC)
GET /api/v1/referrals?box=sent
expect status 200
expect body "sent_at":1800034200
expect body "due_at":1800120600

# the audit log shows the send at the same local time
as t.admin
GET /audit?action=referral.send
expect status 200
expect body <td><time datetime="2027-01-15T17:30Z">2027-01-16 00:30 UTC+7</time></td>
expect nobody 2027-01-15 17:30
# and the hotline operator's sign-in, at 17:30 UTC
GET /users/{id:t.hotline}
expect status 200
expect body <dt>Last sign-in</dt><dd><time datetime="2027-01-15T17:30Z">2027-01-16 00:30 UTC+7</time></dd>
# the audit log's day filter reads the same local days the rows show
GET /audit?action=referral.send&from=2027-01-16&to=2027-01-16
expect status 200
expect body <td><time datetime="2027-01-15T17:30Z">2027-01-16 00:30 UTC+7</time></td>
GET /audit?action=referral.send&to=2027-01-15
expect status 200
expect nobody datetime="2027-01-15T17:30Z"
expect body No records.
