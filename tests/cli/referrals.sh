#!/usr/bin/env bash
# CLI tests of the referral network: directory profiles and search, sending
# with the consent check, listing with filters, answering through the state
# machine; every refusal names its field and changes nothing.
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

export SIREN_PASSPHRASE='referral passphrase for tests'
unset SIREN_WORKSPACE
W="$T_TMP/ws"
cli_init "$W" --kdf interactive
[ "$RC" = 0 ] || { not_ok "init: $ERR"; done_testing cli_referrals; exit 1; }
cli_unlock "$W"
A=$("$SIREN" org add "Test Hotline" --kind hotline --country TH -w "$W")
B=$("$SIREN" org add "Legal South" --kind legal_aid --country TH -w "$W")
C=$("$SIREN" org add "Shelter North" --kind shelter --country TH -w "$W")
P=$("$SIREN" org add "ATD Police" --kind police --country TH -w "$W")

# the number of rows of a table, to show a refusal wrote nothing
rows() { wsql "$W" "SELECT count(*) FROM $1"; }

# directory profiles
printf 'Focal person: synthetic, +66 00 000 0000\n' > "$T_TMP/cd"
run "$SIREN" org profile "$B" --provinces TH-90,TH-91 --languages my,th --services legal_aid,information --emergency 0 --contact-file "$T_TMP/cd" -w "$W"
expect_rc 0 "org profile"
run "$SIREN" org profile "$C" --provinces TH-50 --languages th --services shelter --emergency 1 -w "$W"
expect_rc 0 "org profile shelter"
run "$SIREN" org profile "$P" --provinces TH-90 --languages th --services rescue --emergency 1 -w "$W"
expect_rc 0 "org profile police"
wsql "$W" "SELECT count(*) FROM org WHERE contact_details LIKE '%Focal%'" | grep -qx 0 && ok || not_ok "contact details stored in clear"
run "$SIREN" org profile "$B" --provinces TH-99 -w "$W"
expect_rc 1 "bad province"
expect_err "provinces" "bad province names the field"
run "$SIREN" org profile "$B" --languages xx -w "$W"
expect_rc 1 "bad language"
expect_err "languages" "bad language names the field"
run "$SIREN" org profile "$B" --emergency maybe -w "$W"
expect_rc 1 "bad emergency"
expect_err "--emergency" "bad emergency names the option"
run "$SIREN" org profile O-0000-0000 --provinces TH-90 -w "$W"
expect_rc 1 "unknown org"

# an emergency phone: typed in the national form, stored in E.164 (the
# organisation's country, TH); a bad one is refused by name, not echoed,
# and changes nothing; "" removes it
run "$SIREN" org profile "$P" --provinces TH-90 --languages th --services rescue --emergency 1 --emergency-phone "074 123 4567" -w "$W"
expect_rc 0 "org profile --emergency-phone"
wsql "$W" "SELECT emergency_phone FROM org WHERE code = '$P'" | grep -qx '+66741234567' && ok || not_ok "emergency phone not stored as +66741234567"
run "$SIREN" org profile "$P" --provinces TH-91 --emergency 1 --emergency-phone "dial 1191 now" -w "$W"
expect_rc 1 "bad emergency phone"
expect_err "emergency_phone" "bad emergency phone names the field"
expect_no "dial 1191" "bad emergency phone not echoed"
wsql "$W" "SELECT emergency_phone FROM org WHERE code = '$P'" | grep -qx '+66741234567' && ok || not_ok "refused phone changed the stored one"
wsql "$W" "SELECT count(*) FROM org_province AS p JOIN org AS o ON o.id = p.org_id WHERE o.code = '$P' AND p.province = 'TH-91'" | grep -qx 0 && ok || not_ok "refused phone changed the provinces"
run "$SIREN" org profile "$C" --provinces TH-50 --languages th --services shelter --emergency 1 --emergency-phone "" -w "$W"
expect_rc 0 "org profile --emergency-phone ''"
wsql "$W" "SELECT count(*) FROM org WHERE code = '$C' AND emergency_phone IS NULL" | grep -qx 1 && ok || not_ok "empty emergency phone not removed"

# who serves Songkhla in Burmese with legal aid
run "$SIREN" org search --province TH-90 --language my --service legal_aid -w "$W"
expect_rc 0 "org search"
expect_out "Legal South" "search finds legal aid in Songkhla"
expect_no "Shelter North" "search leaves out other provinces"
run "$SIREN" org search --province TH-90 --emergency 1 -w "$W"
expect_out "ATD Police" "emergency search"
expect_no "Legal South" "emergency search leaves out non-emergency"
run "$SIREN" org search --service castle -w "$W"
expect_rc 1 "bad service"
expect_err "--service" "bad search service names the option"

# two contacts logged by the hotline (inserted directly: the contacts
# module's own commands are tested in its own file)
NOW=$(date +%s)
wsql "$W" "INSERT INTO contact(code, org_id, received_at, channel, language, caller_type, problem_country, problem_province, category, consent, created_at) VALUES
  ('C-TEST-0001', (SELECT id FROM org WHERE code = '$A'), $NOW - 7200, 'phone', 'my', 'self', 'TH', 'TH-90', 'trafficking', 1, $NOW),
  ('C-TEST-0002', (SELECT id FROM org WHERE code = '$A'), $NOW - 7200, 'line', 'my', 'friend', 'TH', 'TH-90', 'labour_rights', 0, $NOW)"

# sending: consent, fields, note file
printf 'Call back after 6pm, ask for the canary-note-4711\n' > "$T_TMP/note"
run "$SIREN" referral send C-TEST-0001 --to "$B" --service legal_aid --urgency high --note-file "$T_TMP/note" -w "$W"
expect_rc 0 "referral send"
R=$OUT
[[ "$R" =~ ^R-[0-9A-Z]{4}-[0-9A-Z]{4}$ ]] && ok || not_ok "referral code shape: $R"
wsql "$W" "SELECT count(*) FROM referral WHERE CAST(note AS TEXT) LIKE '%canary-note%'" \
    "SELECT count(*) FROM referral WHERE note LIKE '%canary-note%'" | grep -qx 0 && ok || not_ok "note stored in clear"
n=$(rows referral)
run "$SIREN" referral send C-TEST-0001 --to "$P" --service rescue --urgency emergency -w "$W"
expect_rc 1 "no police consent"
expect_err "police and authorities" "police consent named"
run "$SIREN" referral send C-TEST-0002 --to "$C" --service shelter --urgency normal -w "$W"
expect_rc 1 "no consent at all"
expect_err "NGOs and services" "NGO consent named"
run "$SIREN" referral send C-TEST-0001 --to "$B" --service legal_aid --urgency whenever -w "$W"
expect_rc 1 "bad urgency"
expect_err "urgency" "bad urgency named"
run "$SIREN" referral send C-TEST-0001 --to "$B" --service haircut --urgency low -w "$W"
expect_rc 1 "bad service"
expect_err "service" "bad service named"
run "$SIREN" referral send C-TEST-0001 --to O-0000-0000 --service legal_aid --urgency low -w "$W"
expect_rc 1 "unknown receiver"
expect_err "to:" "unknown receiver named"
run "$SIREN" referral send C-TEST-0001 --to "$A" --service legal_aid --urgency low -w "$W"
expect_rc 1 "refer to own org"
run "$SIREN" referral send C-NONE-0000 --to "$B" --service legal_aid --urgency low -w "$W"
expect_rc 1 "unknown contact"
expect_err "contact" "unknown contact named"
run "$SIREN" referral send C-TEST-0001 --to "$B" -w "$W"
expect_rc 2 "missing options"
head -c 5000 /dev/zero | tr '\0' 'x' > "$T_TMP/long-note"
run "$SIREN" referral send C-TEST-0001 --to "$B" --service legal_aid --urgency low --note-file "$T_TMP/long-note" -w "$W"
expect_rc 1 "note file over 4,000 bytes"
expect_err "too large" "an oversized note file is named"
expect_no "xxxxxxxx" "the note's text is not echoed"
run "$SIREN" referral send C-TEST-0001 --to "$B" --service legal_aid --urgency low --note-file "$T_TMP/no-such-note" -w "$W"
expect_rc 1 "missing note file"
expect_err "cannot read" "a missing note file is named"
[ "$(rows referral)" = "$n" ] && ok || not_ok "refusals wrote referrals"
run "$SIREN" referral send C-TEST-0001 --to "$C" --service shelter --urgency low --as-org "$A" -w "$W"
expect_rc 0 "send as org"
R2=$OUT

# listing and filters
run "$SIREN" referral list -w "$W"
expect_rc 0 "referral list"
expect_out "$R" "list shows the first"
expect_out "$R2" "list shows the second"
expect_no "canary-note" "the note is never printed"
run "$SIREN" referral list --org "$C" -w "$W"
expect_out "$R2" "list by org"
expect_no "$R " "list by org leaves out others"
run "$SIREN" referral list --overdue -w "$W"
expect_rc 0 "list overdue"
expect_no "$R" "nothing overdue yet"
run "$SIREN" referral list --status lost -w "$W"
expect_rc 1 "bad status filter"
expect_err "status" "bad status filter named"

# answering through the state machine
n=$(rows referral_event)
run "$SIREN" referral answer "$R" --status closed -w "$W"
expect_rc 1 "sent cannot close"
expect_err "cannot go from sent to closed" "refused transition named"
run "$SIREN" referral answer "$R" --status declined -w "$W"
expect_rc 1 "declined needs a reason"
expect_err "reason" "reason named"
run "$SIREN" referral answer "$R" --status accepted --reason no_capacity -w "$W"
expect_rc 1 "a reason only for declined and no_action"
[ "$(rows referral_event)" = "$n" ] && ok || not_ok "refused answers wrote events"
for s in acknowledged accepted; do
    run "$SIREN" referral answer "$R" --status $s -w "$W"
    expect_rc 0 "answer $s"
done
run "$SIREN" referral answer "$R" --status no_action --reason victim_declined -w "$W"
expect_rc 0 "answer no_action"
run "$SIREN" referral answer "$R" --status closed -w "$W"
expect_rc 0 "answer closed"
run "$SIREN" referral list --status closed -w "$W"
expect_out "$R" "closed listed"
run "$SIREN" referral answer R-NONE-0000 --status accepted -w "$W"
expect_rc 1 "unknown referral"
[ "$(wsql "$W" "SELECT count(*) FROM audit WHERE action LIKE 'referral.%'")" -ge 6 ] && ok || not_ok "referral steps audited"
run "$SIREN" audit verify -w "$W"
expect_rc 0 "audit chain whole"

# overdue: move the referral's deadline into the past
wsql "$W" "UPDATE referral SET due_at = $(date +%s) - 60 WHERE code = '$R2'"
run "$SIREN" referral list --overdue -w "$W"
expect_out "$R2" "overdue listed"
expect_out "OVERDUE" "overdue marked"

run "$SIREN" referral frobnicate -w "$W"
expect_rc 2 "unknown subcommand"
done_testing cli_referrals
