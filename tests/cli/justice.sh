#!/usr/bin/env bash
# CLI tests of justice events, the funnel report and offenders: events
# recorded and listed, every refusal naming its option and changing
# nothing, a small funnel computed by hand, two brokers sharing a phone
# suggested as linked, offenders' names only from files or stdin and
# never in clear in the database, the network as JSON without names.
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

export SIREN_PASSPHRASE='justice cli test passphrase'
unset SIREN_WORKSPACE
W="$T_TMP/ws"
cli_init "$W" --kdf interactive
expect_rc 0 "init"
cli_unlock "$W"
run "$SIREN" org add "Justice Org" --kind ngo --country TH -w "$W"
ORG=$OUT
run "$SIREN" org add "Legal Aid Org" --kind legal_aid --country TH -w "$W"
LA=$OUT
run "$SIREN" org add "Police Unit" --kind police --country TH -w "$W"
POL=$OUT
run "$SIREN" case open --org "$ORG" --legal-aid "$LA" -w "$W"
K1=$OUT
run "$SIREN" case open --org "$ORG" -w "$W"
K2=$OUT
[[ "$K1" =~ ^K- && "$K2" =~ ^K- ]] && ok || not_ok "cases opened: $K1 $K2"
count() { wsql "$W" "SELECT count(*) FROM $1"; }

# ---- offenders -----------------------------------------------------------
printf 'Ko Broker Synthetic\n' >"$T_TMP/name1"
printf '+66 81 555 0101\n' >"$T_TMP/phone1"
run "$SIREN" entity add --org "$ORG" --kind broker --name-file "$T_TMP/name1" \
    --phone-file "$T_TMP/phone1" --country MM -w "$W"
expect_rc 0 "entity add from files"
E1=$OUT
[[ "$E1" =~ ^E-[0-9A-Z]{4}-[0-9A-Z]{4}$ ]] && ok || not_ok "entity code: $E1"
# the second broker's name from stdin, the same phone in another format
printf '+66815550101\n' >"$T_TMP/phone2"
OUT=$(printf 'Nai Broker Synthetic\n' | "$SIREN" entity add --org "$ORG" \
    --kind broker --name-file - --phone-file "$T_TMP/phone2" -w "$W" \
    2>"$T_TMP/err") && RC=0 || RC=$?
ERR=$(cat "$T_TMP/err")
expect_rc 0 "entity add from stdin"
E2=$(echo "$OUT" | head -1)
expect_out "1 link(s) suggested" "shared phone suggests a link"
printf 'Golden Sea Synthetic Co.\n' >"$T_TMP/name3"
run "$SIREN" entity add --org "$ORG" --kind vessel --roles business_owner \
    --name-file "$T_TMP/name3" -w "$W"
expect_rc 0 "entity add vessel"
E3=$OUT

n_ent=$(count entity)
run "$SIREN" entity add --org "$ORG" --kind broker -w "$W"
expect_rc 2 "entity add without --name-file"
run "$SIREN" entity add --org "$ORG" --kind wizard --name-file "$T_TMP/name1" -w "$W"
expect_rc 1 "unknown kind"
expect_err "--kind" "unknown kind names the option"
run "$SIREN" entity add --org "$ORG" --kind vessel --roles pirate --name-file "$T_TMP/name1" -w "$W"
expect_rc 1 "unknown role"
expect_err "--roles" "unknown role names the option"
run "$SIREN" entity add --org "$ORG" --kind vessel --country XX1 --name-file "$T_TMP/name1" -w "$W"
expect_rc 1 "bad country"
expect_err "country" "bad country names the field"
: >"$T_TMP/empty"
run "$SIREN" entity add --org "$ORG" --kind vessel --name-file "$T_TMP/empty" -w "$W"
expect_rc 1 "empty name"
expect_err "name" "empty name names the field"
run "$SIREN" entity add --org O-0000-0000 --kind vessel --name-file "$T_TMP/name1" -w "$W"
expect_rc 1 "unknown organisation"
run "$SIREN" entity add --org "$ORG" --kind vessel --name-file "$T_TMP/nonexistent" -w "$W"
expect_rc 1 "missing name file"
expect_err "cannot read" "missing name file"
run "$SIREN" entity add --org "$ORG" --kind vessel --name-file - --phone-file - -w "$W" </dev/null
expect_rc 2 "name and phone both from stdin"
for i in 1 2 3 4 5 6 7 8 9; do echo "+66 81 555 010$i"; done >"$T_TMP/phones9"
run "$SIREN" entity add --org "$ORG" --kind vessel --name-file "$T_TMP/name1" --phone-file "$T_TMP/phones9" -w "$W"
expect_rc 1 "too many phones"
expect_err "--phone-file" "too many phones names the option"
[ "$(count entity)" = "$n_ent" ] && ok || not_ok "refused entity adds changed nothing"

run "$SIREN" entity show "$E2" -w "$W"
expect_rc 0 "entity show"
expect_out "suggested" "suggestion listed"
expect_out "$E1" "suggestion names the other broker"
expect_no "Broker Synthetic" "entity show prints no name"
LINK=$(echo "$OUT" | awk '/suggested/ { print $1 }')
run "$SIREN" entity confirm "$LINK" -w "$W"
expect_rc 0 "confirm the suggestion"
run "$SIREN" entity confirm "$LINK" -w "$W"
expect_rc 1 "confirm twice"
run "$SIREN" entity confirm abc -w "$W"
expect_rc 2 "confirm a bad id"
run "$SIREN" entity show "$E2" --identity -w "$W"
expect_out "Nai Broker Synthetic" "entity show --identity"

n_links=$(count entity_link)
run "$SIREN" entity link "$E1" "$E3" --kind recruits_for --source investigation --confidence high -w "$W"
expect_rc 0 "entity link"
run "$SIREN" entity link "$E1" "$E3" --kind marries --source investigation --confidence high -w "$W"
expect_rc 1 "bad link kind"
expect_err "kind" "bad link kind names the field"
run "$SIREN" entity link "$E1" "$E3" --kind owns --source gossip --confidence high -w "$W"
expect_rc 1 "bad source"
expect_err "source" "bad source names the field"
run "$SIREN" entity link "$E1" "$E3" --kind owns --source investigation --confidence total -w "$W"
expect_rc 1 "bad confidence"
expect_err "confidence" "bad confidence names the field"
run "$SIREN" entity link "$E1" "$E1" --kind owns --source investigation --confidence high -w "$W"
expect_rc 1 "link to itself"
run "$SIREN" entity link "$E1" E-0000-0000 --kind owns --source investigation --confidence high -w "$W"
expect_rc 1 "link to an unknown entity"
run "$SIREN" entity link "$E1" --kind owns -w "$W"
expect_rc 2 "link with one entity"
[ "$(count entity_link)" = $((n_links + 1)) ] && ok || not_ok "refused links changed nothing"

run "$SIREN" entity case "$E1" "$K1" --role broker --source victim_statement --confidence high -w "$W"
expect_rc 0 "link broker to case"
run "$SIREN" entity case "$E3" "$K1" --role business_owner --source investigation --confidence medium -w "$W"
expect_rc 0 "link owner to case"
run "$SIREN" entity case "$E3" "$K1" --role chef --source investigation --confidence medium -w "$W"
expect_rc 1 "bad case role"
expect_err "role" "bad case role names the field"
run "$SIREN" entity case "$E3" K-0000-0000 --role broker --source investigation --confidence medium -w "$W"
expect_rc 1 "link to an unknown case"
expect_err "case" "unknown case names it"

# ---- justice events --------------------------------------------------------
add() { run "$SIREN" justice add "$@" -w "$W"; }
add "$K1" --stage reported --date 2026-03-01 --agency "$POL"
expect_rc 0 "event reported"
add "$K1" --stage investigation_opened --date 2026-03-11 --agency "$POL"
add "$K1" --stage rescue --date 2026-03-21 --agency-kind police
add "$K1" --stage arrest --date 2026-03-22 --agency "$POL" --perpetrators "$E1"
expect_rc 0 "arrest naming the broker"
add "$K1" --stage bail --date 2026-03-25 --agency-kind court --perpetrators "$E1"
add "$K2" --stage reported --date 2026-03-01 --agency "$POL"
add "$K2" --stage investigation_opened --date 2026-03-31 --agency "$POL"
add "$K2" --stage rescue --date 2026-04-10 --agency "$POL"
add "$K2" --stage victim_declined --date 2026-04-20 --agency-kind social_welfare --reason shelter_stay
expect_rc 0 "victim declined with a reason"
n_ev=$(count justice_event)
[ "$n_ev" = 9 ] && ok || not_ok "nine events, got $n_ev"

add "$K1" --date 2026-03-01 --agency "$POL"
expect_rc 2 "no --stage"
add "$K1" --stage teatime --date 2026-03-01 --agency "$POL"
expect_rc 1 "unknown stage"
expect_err "--stage" "unknown stage names the option"
add "$K1" --stage arrest --date 2026-02-30 --agency "$POL"
expect_rc 1 "impossible date"
expect_err "date" "bad date names the field"
add "$K1" --stage arrest --date 2099-01-01 --agency "$POL"
expect_rc 1 "future date"
expect_err "future" "future date refused"
add "$K1" --stage arrest --date 2026-03-01
expect_rc 1 "no agency"
expect_err "agency" "no agency names the field"
add "$K1" --stage arrest --date 2026-03-01 --agency "$POL" --agency-kind police
expect_rc 1 "two agencies"
expect_err "agency" "two agencies names the field"
add "$K1" --stage arrest --date 2026-03-01 --agency O-0000-0000
expect_rc 1 "unknown agency"
expect_err "agency" "unknown agency names the field"
add "$K1" --stage arrest --date 2026-03-01 --agency-kind navy-seals
expect_rc 1 "unknown agency kind"
expect_err "agency" "unknown agency kind names the field"
add "$K1" --stage case_dropped --date 2026-03-01 --agency-kind prosecutor
expect_rc 1 "dropped without a reason"
expect_err "reason" "missing reason names the field"
add "$K1" --stage arrest --date 2026-03-01 --agency "$POL" --reason fear
expect_rc 1 "reason on an arrest"
expect_err "reason" "stray reason names the field"
add "$K2" --stage arrest --date 2026-03-01 --agency "$POL" --perpetrators "$E1"
expect_rc 1 "perpetrator not linked to the case"
expect_err "perpetrators" "unlinked perpetrator names the field"
add K-0000-0000 --stage arrest --date 2026-03-01 --agency "$POL"
expect_rc 1 "unknown case"
expect_err "case" "unknown case names it"
[ "$(count justice_event)" = "$n_ev" ] && ok || not_ok "refused events changed nothing"

run "$SIREN" justice list "$K1" -w "$W"
expect_rc 0 "justice list"
expect_out "furthest stage arrested" "furthest stage"
expect_out "$E1" "events name the perpetrator"
expect_out "2026-03-25  bail" "bail listed"
run "$SIREN" justice list K-0000-0000 -w "$W"
expect_rc 1 "list an unknown case"
run "$SIREN" justice frobnicate -w "$W"
expect_rc 2 "unknown subcommand"

# ---- the funnel: hand-computed ----------------------------------------------
# Both cases identified this year. Reached: reported 2, investigated 2,
# rescued 2, arrested 1 (K1); rescue without arrest 1 (K2). Medians:
# reported->investigated (10 + 30) / 2 = 20 days; investigated->rescued
# 10 and 10 -> 10; rescued->arrested 1 (K1 only). Roles: the broker in
# one case, arrested there; the business owner in one, not arrested.
run "$SIREN" report funnel --period year --format csv -w "$W"
expect_rc 0 "funnel csv"
Y=$(date -u +%Y)
for want in "total,$Y,,identified,2" "total,$Y,,reported,2" \
    "total,$Y,,investigated,2" "total,$Y,,rescued,2" \
    "total,$Y,,arrested,1" "total,$Y,,charged,0" \
    "total,$Y,,rescue_without_arrest,1"; do
    expect_out "$want" "funnel $want"
done
run "$SIREN" report funnel --period year --by legal_aid --format json -w "$W"
expect_rc 0 "funnel json"
echo "$OUT" | python3 -c '
import json, sys
r = json.load(sys.stdin)
med = {(m["from"], m["to"]): m for m in r["medians"]}
assert med[("reported", "investigated")]["median_days"] == 20.0, med
assert med[("investigated", "rescued")]["median_days"] == 10.0, med
assert med[("rescued", "arrested")]["median_days"] == 1.0, med
assert med[("rescued", "arrested")]["cases"] == 1, med
roles = {x["role"]: x for x in r["roles"]}
assert roles["broker"]["in_cases"] == 1 and roles["broker"]["arrested"] == 1
assert roles["business_owner"]["arrested"] == 0
g = {x["group"]: x for x in r["groups"]}
assert set(g) == {"supported", "not_supported"}, g
' && ok || not_ok "funnel json medians, roles and legal-aid groups"
run "$SIREN" report funnel -w "$W"
expect_rc 0 "funnel text"
expect_out "median days between stages" "funnel text medians"
expect_out "broker" "funnel text roles"
run "$SIREN" report funnel --period month -w "$W"
expect_rc 1 "bad period"
expect_err "period" "bad period names the option"
run "$SIREN" report funnel --by colour -w "$W"
expect_rc 1 "bad split"
expect_err "by" "bad split names the option"
run "$SIREN" report funnel --format xml -w "$W"
expect_rc 1 "bad format"
expect_err "--format" "bad format names the option"
run "$SIREN" report funnel --from 2026-13-01 -w "$W"
expect_rc 1 "bad --from"
expect_err "--from" "bad from names the option"
run "$SIREN" report funnel --from 2026-05-01 --to 2026-04-01 -w "$W"
expect_rc 1 "--to before --from"
expect_err "--to" "to before from names the option"
run "$SIREN" report funnel --from 1990-01-01 --to 1990-12-31 --format csv -w "$W"
expect_rc 0 "empty period"
expect_no "total," "no cases before they were identified"

# ---- ranking and network -----------------------------------------------------
run "$SIREN" entity list --ranked -w "$W"
expect_rc 0 "entity list --ranked"
expect_out "   1 " "ranked list numbers"
run "$SIREN" entity list --limit 0 -w "$W"
expect_rc 1 "bad --limit"
expect_err "--limit" "bad limit names the option"
run "$SIREN" entity network "$E2" --format json -w "$W"
expect_rc 0 "network json"
echo "$OUT" | python3 -c '
import json, sys
g = json.load(sys.stdin)
codes = {n["code"] for n in g["nodes"]}
assert g["centre"] == sys.argv[1]
assert {sys.argv[1], sys.argv[2], sys.argv[3]} <= codes, codes
assert any(n["type"] == "case" for n in g["nodes"])
' "$E2" "$E1" "$K1" && ok || not_ok "network reaches the linked broker and its case"
expect_no "Synthetic" "network json carries no names"
run "$SIREN" entity network "$E2" --format xml -w "$W"
expect_rc 1 "network bad format"
run "$SIREN" entity network E-0000-0000 -w "$W"
expect_rc 1 "network of an unknown entity"
run "$SIREN" entity show E-0000-0000 -w "$W"
expect_rc 1 "show an unknown entity"

# identities never in the database file in clear; everything audited
db_lacks 'Broker Synthetic' "name in clear" "$W"
db_lacks '555 0101' "phone in clear" "$W"
run "$SIREN" audit verify -w "$W"
expect_rc 0 "audit chain"
run "$SIREN" audit list --action entity. -w "$W"
expect_out "entity.view_identity" "identity view audited"
run "$SIREN" audit list --action justice. -w "$W"
expect_out "justice.record" "events audited"

done_testing justice_cli
