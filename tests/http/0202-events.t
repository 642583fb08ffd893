# events: a coordinator records them for the organisation; they show on
# the report as numbered markers with a table; bad input names the field
# and records nothing
as t.coordinator
GET /events
expect status 200
expect body Record an event
expect body No records.
POST /events
form csrf={csrf}&day=2025-02-03&kind=broadcast&title=TV <spot> shows the number
expect status 303
expect header Location: /events
GET /events
expect status 200
expect body TV &lt;spot&gt; shows the number
expect body Broadcast
expect nobody <spot>
GET /reports/hotline?from=2025-01&to=2025-03
expect status 200
expect body id="report-events"
expect body class="marker"
expect body 2025-02-03
expect body TV &lt;spot&gt; shows the number
GET /reports/hotline?from=2025-03&to=2025-04
expect nobody TV &lt;spot&gt;
expect body No events recorded in these months.
GET /reports/hotline.csv?from=2025-01&to=2025-03
expect body event,2025-02-03,broadcast,TV <spot> shows the number
POST /events
form csrf={csrf}&day=2025-02-30&kind=broadcast&title=Never
expect status 400
expect body day: must be a date
POST /events
form csrf={csrf}&day=2025-02-03&kind=party&title=Never
expect status 400
expect body kind: must be
POST /events
form csrf={csrf}&day=2025-02-03&kind=campaign&title=
expect status 400
expect body title: must be 1 to 200 bytes
POST /events
form day=2025-02-03&kind=campaign&title=Never
expect status 403
GET /events
expect nobody Never

# events belong to the organisation
as t.coordb
GET /events
expect status 200
expect nobody TV &lt;spot&gt;
GET /reports/hotline?from=2025-01&to=2025-03
expect nobody TV &lt;spot&gt;

# the analyst sees it on the all-organisation report, but records none
as t.analyst
GET /reports/hotline?from=2025-01&to=2025-12
expect body TV &lt;spot&gt; shows the number
GET /events
expect status 403

as t.hotline
GET /events
expect status 403
POST /events
form csrf={csrf}&day=2025-02-04&kind=broadcast&title=Hotline try
expect status 403
as t.admin
POST /users
form csrf={csrf}&username=rp.partner&org={org_b}&role=partner&password=quiet-river-lantern-88
expect status 303
as rp.partner
GET /events
expect status 403
