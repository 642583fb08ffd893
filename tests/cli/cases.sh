#!/usr/bin/env bash
# CLI tests of cases and people: open a case, add people with identities
# from a file and from stdin (never argv), a duplicate by phone is
# suggested and merged, consent, bad input refused naming the field and
# changing nothing, a case referred with `siren referral send K-...` only
# when every victim consented (a police-sharing decline blocks the
# police, naming the person's code), identities not in the database file
# in clear.
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

export SIREN_PASSPHRASE='cases cli test passphrase'
unset SIREN_WORKSPACE
W="$T_TMP/ws"
cli_init "$W" --kdf interactive
expect_rc 0 "init"
cli_unlock "$W"
run "$SIREN" org add "Case Org" --kind ngo --country TH -w "$W"
ORG=$OUT

run "$SIREN" case open --org "$ORG" --trafficking-status actual \
    --exploitation forced_labour,forced_criminality --industry A \
    --exploit-province TH-90 -w "$W"
expect_rc 0 "case open"
K=$OUT
[[ "$K" =~ ^K-[0-9A-Z]{4}-[0-9A-Z]{4}$ ]] && ok || not_ok "case code shape: $K"

count_cases() { wsql "$W" 'SELECT count(*) FROM case_file'; }
run "$SIREN" case open --org "$ORG" --industry Z -w "$W"
expect_rc 1 "bad industry"
expect_err "industry" "bad industry names the field"
run "$SIREN" case open --org "$ORG" --exploitation slavery,cooking -w "$W"
expect_rc 1 "bad exploitation"
expect_err "exploitation" "bad exploitation names the field"
run "$SIREN" case open --org "$ORG" --contacts C-0000-0000 -w "$W"
expect_rc 1 "unknown contact"
expect_err "contacts" "unknown contact names the field"
[ "$(count_cases)" = 1 ] && ok || not_ok "refusals changed nothing"
run "$SIREN" case open -w "$W"
expect_rc 2 "case open without --org"

printf 'name=Hnin Synthetic\nphone=+95 9 555 0101\nbirth_date=1994-02-03\n' >"$T_TMP/id"
run "$SIREN" person add "$K" --role victim --identity-file "$T_TMP/id" --citizenship MM -w "$W"
expect_rc 0 "person add from a file"
P1=$OUT
[[ "$P1" =~ ^P-[0-9A-Z]{4}-[0-9A-Z]{4}$ ]] && ok || not_ok "person code shape: $P1"
OUT=$(printf 'phone=+959 555 0101\n' | "$SIREN" person add "$K" --role caller --identity-file - -w "$W" 2>"$T_TMP/err") && RC=0 || RC=$?
ERR=$(cat "$T_TMP/err")
expect_rc 0 "person add from stdin"
expect_err "possible duplicate" "phone duplicate reported"
P2=$OUT
run "$SIREN" person add "$K" --role boss -w "$W"
expect_rc 1 "bad role"
expect_err "role" "bad role names the field"

run "$SIREN" dup list -w "$W"
expect_rc 0 "dup list"
expect_out "phone" "dup list shows the phone match"
expect_out "$P1" "dup list shows the earlier person"
ID=$(echo "$OUT" | awk 'NR == 2 { print $1 }')
run "$SIREN" dup confirm "$ID" -w "$W"
expect_rc 0 "dup confirm"
run "$SIREN" dup confirm "$ID" -w "$W"
expect_rc 1 "dup confirm twice"
expect_err "already decided" "dup confirm twice"
run "$SIREN" person show "$P2" -w "$W"
expect_out "merged into" "merged person shows it"

run "$SIREN" consent set "$P1" --purpose research --state declined -w "$W"
expect_rc 0 "consent set"
run "$SIREN" consent set "$P1" --purpose research --state maybe -w "$W"
expect_rc 1 "bad consent state"
expect_err "state" "bad state names the field"
run "$SIREN" consent show "$P1" -w "$W"
expect_out "research" "consent show"
expect_out "declined" "consent show state"

run "$SIREN" case status "$K" closed -w "$W"
expect_rc 1 "closing without a reason"
expect_err "close_reason" "closing needs a reason"
run "$SIREN" case status "$K" closed --reason services_completed -w "$W"
expect_rc 0 "close"
run "$SIREN" case list --status closed -w "$W"
expect_out "$K" "case list by status"
run "$SIREN" case show "$K" -w "$W"
expect_out "forced_criminality" "case show exploitation"
expect_no "Hnin" "case show prints no names"
run "$SIREN" person show "$P1" --identity -w "$W"
expect_out "Hnin Synthetic" "person show --identity"

# referring a case: every victim's consent for the receiving kind
run "$SIREN" org add "Case Police" --kind police --country TH -w "$W"
POLICE=$OUT
run "$SIREN" org add "Case Shelter" --kind shelter --country TH -w "$W"
SHELTER=$OUT
count_refs() { wsql "$W" 'SELECT count(*) FROM referral'; }
run "$SIREN" referral send "$K" --to "$SHELTER" --service shelter --urgency high -w "$W"
expect_rc 1 "no consent to share with NGOs yet"
expect_err "share_ngo" "the refusal names the consent"
expect_err "$P1" "the refusal names the person's code"
expect_no "Hnin" "the refusal names no one"
run "$SIREN" consent set "$P1" --purpose share_ngo --state given -w "$W"
run "$SIREN" consent set "$P1" --purpose share_police --state declined -w "$W"
run "$SIREN" referral send "$K" --to "$POLICE" --service rescue --urgency emergency -w "$W"
expect_rc 1 "police sharing declined"
expect_err "share_police" "the police refusal names the consent"
expect_err "$P1" "the police refusal names the person's code"
[ "$(count_refs)" = 0 ] && ok || not_ok "refusals sent nothing"
run "$SIREN" referral send "$K" --to "$SHELTER" --service shelter --urgency high -w "$W"
expect_rc 0 "case referred to the shelter"
[[ "$OUT" =~ ^R-[0-9A-Z]{4}-[0-9A-Z]{4}$ ]] && ok || not_ok "referral code shape: $OUT"
[ "$(wsql "$W" "SELECT subject_type || ' ' || subject_code FROM referral")" = "case $K" ] && ok || not_ok "the referral's subject is the case"
run "$SIREN" referral send K-0000-0000 --to "$SHELTER" --service shelter --urgency high -w "$W"
expect_rc 1 "unknown case"
expect_err "case" "unknown case named"

# identities never in the database file in clear
db_lacks 'Hnin Synthetic' "name in clear" "$W"
db_lacks '555 0101' "phone in clear" "$W"
run "$SIREN" audit verify -w "$W"
expect_rc 0 "audit chain"
run "$SIREN" audit list --action person. -w "$W"
expect_out "person.merge" "merge audited"
expect_out "person.view_identity" "identity view audited"

done_testing cases_cli
