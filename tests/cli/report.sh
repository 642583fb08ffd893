#!/usr/bin/env bash
# CLI tests of the hotline report and events: siren event add|list,
# siren report hotline in text, CSV and JSON, scope by --org, month
# boundaries in the workspace zone (Asia/Bangkok, UTC+7), bad input named
# and changing nothing.
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

export SIREN_PASSPHRASE='report cli tests passphrase'
unset SIREN_WORKSPACE
W="$T_TMP/ws"
snapshot() { (cd "$W" && find . -type f ! -name '*-shm' | sort | xargs sha256sum); }

cli_init "$W" --kdf interactive
expect_rc 0 "init"
cli_unlock "$W"
run "$SIREN" org add "Hotline A" --kind hotline --country TH -w "$W"
A=$OUT
run "$SIREN" org add "NGO B" --kind ngo --country TH -w "$W"
B=$OUT
IDA=$(wsql "$W" "SELECT id FROM org WHERE code = '$A'")
IDB=$(wsql "$W" "SELECT id FROM org WHERE code = '$B'")

# contacts straight into the table (the report reads no identity column).
# 1735664400 = 2025-01-01 00:00 in Bangkok (2024-12-31 17:00 UTC);
# 1738342800 = 2025-02-01 00:00 in Bangkok.
ins() { # ins ORG TIME CATEGORY CHANNEL
    wsql "$W" "INSERT INTO contact(code, org_id, received_at,
        channel, language, caller_type, problem_province, category, created_at)
        VALUES ('C-CLI-$RANDOM$RANDOM', $1, $2, '$4', 'my', 'self', 'TH-90', '$3', $2)"
}
ins "$IDA" 1735664399 labour_rights phone   # 31 Dec 23:59:59 local: December
ins "$IDA" 1735664400 trafficking phone     # 1 Jan 00:00 local: January
ins "$IDA" 1738342799 labour_rights line    # 31 Jan 23:59:59 local: January
ins "$IDA" 1738342800 labour_rights phone   # 1 Feb 00:00 local: February
ins "$IDB" 1736000000 labour_rights sms     # January, organisation B
# rows written past the contact module: count them as the upgrade to
# migration 0016 (db/migrations/, db/pg/) counts the rows it finds
recount() { # the migration's own statement, in FILE
    echo "DELETE FROM contact_count;"
    sed -n '/^INSERT INTO contact_count/,/;$/p' "$1"
}
wsql "$W" "$(recount db/migrations/0016_contact_count.sql)" \
    "$(recount db/pg/0016_contact_count.sql)"

run "$SIREN" report hotline --from 2025-01 --to 2025-02 --format csv -w "$W"
expect_rc 0 "report csv"
expect_out "month,2025-01,contacts,3" "January, every organisation"
expect_out "month,2025-01,trafficking,1" "January trafficking"
expect_out "month,2025-02,contacts,1" "February"
expect_out "total,all,contacts,4" "total"
expect_out "channel,phone,contacts,2" "channel breakdown"
expect_out "report,organisation,code,all" "scope all"
# the command line holds the passphrase: nothing is suppressed
expect_out "report,suppressed_below,contacts,0" "no suppression"

run "$SIREN" report hotline --from 2025-01 --to 2025-02 --format csv --org "$A" -w "$W"
expect_rc 0 "report --org"
expect_out "month,2025-01,contacts,2" "January, organisation A"
expect_out "report,organisation,code,$A" "scope A"
expect_no "channel,sms" "B's channel not in A's report"

run "$SIREN" report hotline --from 2024-12 --to 2024-12 --format csv --org "$A" -w "$W"
expect_out "month,2024-12,contacts,1" "December holds 23:59:59 local"

run "$SIREN" report hotline --from 2025-01 --to 2025-02 --format json -w "$W"
expect_rc 0 "report json"
expect_out '"timezone": "Asia/Bangkok"' "json zone"
expect_out '"utc_offset_s": 25200' "json offset"
echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["months"][0]["contacts"] == 3 and d["total"]["contacts"] == 4' && ok || not_ok "json parses with the counts"

run "$SIREN" report hotline --from 2025-01 --to 2025-02 -w "$W"
expect_rc 0 "report text"
expect_out "2025-01" "text months"
expect_out "By channel" "text breakdown"
expect_out "Phone" "text labels"

# events
run "$SIREN" event add 2025-01-20 --kind broadcast --title "TV spot shows the number" --org "$A" -w "$W"
expect_rc 0 "event add"
expect_out "recorded" "event add"
run "$SIREN" event list -w "$W"
expect_rc 0 "event list"
expect_out "2025-01-20  broadcast" "event listed"
run "$SIREN" report hotline --from 2025-01 --to 2025-02 --format csv -w "$W"
expect_out "event,2025-01-20,broadcast,TV spot shows the number" "event in report"
run "$SIREN" audit list --action event. -w "$W"
expect_out "event.add" "event audited"

# bad input names the field and changes nothing
before=$(snapshot)
run "$SIREN" event add 2025-02-30 --kind broadcast --title T --org "$A" -w "$W"
expect_rc 1 "bad day"
expect_err "day:" "bad day"
run "$SIREN" event add 2025-02-03 --kind party --title T --org "$A" -w "$W"
expect_rc 1 "bad kind"
expect_err "kind:" "bad kind"
run "$SIREN" event add 2025-02-03 --kind campaign --title "" --org "$A" -w "$W"
expect_rc 1 "empty title"
expect_err "title:" "empty title"
run "$SIREN" event add 2025-02-03 --kind campaign --title T --org O-NONE-NONE -w "$W"
expect_rc 1 "unknown org"
expect_err "org" "unknown org"
run "$SIREN" event add 2025-02-03 --kind campaign --title T -w "$W"
expect_rc 2 "event add without --org"
run "$SIREN" event list --from 2025-13-01 -w "$W"
expect_rc 1 "event list bad --from"
expect_err "--from" "event list bad --from"
run "$SIREN" report hotline --from 2025-13 --to 2025-02 -w "$W"
expect_rc 1 "bad --from"
expect_err "--from: month must be" "bad --from"
run "$SIREN" report hotline --from 2025-03 --to 2025-02 -w "$W"
expect_rc 1 "to before from"
expect_err "to: must not be before from" "to before from"
run "$SIREN" report hotline --from 2025-01 --to 2025-02 --format xml -w "$W"
expect_rc 2 "bad format"
expect_err "--format" "bad format"
run "$SIREN" report hotline --from 2025-01 -w "$W"
expect_rc 2 "missing --to"
run "$SIREN" report weekly --from 2025-01 --to 2025-02 -w "$W"
expect_rc 2 "unknown report"
run "$SIREN" report hotline --from 2025-01 --to 2025-02 --org O-NONE-NONE -w "$W"
expect_rc 1 "unknown org"
sed -i 's/^timezone = .*/timezone = Europe\/London/' "$W/siren.conf"
run "$SIREN" report hotline --from 2025-01 --to 2025-02 -w "$W"
expect_rc 1 "zone with daylight saving"
expect_err "timezone:" "zone named"
sed -i 's/^timezone = .*/timezone = Asia\/Bangkok/' "$W/siren.conf"
after=$(snapshot)
[ "$before" = "$after" ] && ok || not_ok "refusals changed the workspace"
run "$SIREN" event list -w "$W"
[ "$(echo "$OUT" | grep -c broadcast)" = 1 ] && ok || not_ok "one event only"

# no identity ever appears: the report holds aggregates only
run "$SIREN" report hotline --from 2024-12 --to 2025-02 --format csv -w "$W"
expect_no "C-CLI-" "no contact code in the report"

# the demo has events within the last four years
D="$T_TMP/demo"
export SIREN_PASSPHRASE='report cli tests passphrase'
cli_demo "$D" --seed 3
expect_rc 0 "demo"
run "$SIREN" event list -w "$D"
[ "$(echo "$OUT" | grep -c 'synthetic')" -ge 8 ] && ok || not_ok "demo events: $OUT"
old=$(date -u -d '4 years ago' +%Y-%m-%d)
first=$(echo "$OUT" | head -1 | cut -c1-10)
[[ "$first" > "$old" ]] && ok || not_ok "demo events within four years: $first"

done_testing cli_report
