#!/usr/bin/env bash
# CLI tests of contacts: add, list (filters, paging, formats), show with and
# without identities, import (every kind of bad row with its line, nothing
# written; --skip-invalid and the reject file; re-import adds nothing; HXL
# tags), export (CSV and XLSX, neutralised cells, identity columns only on
# request), delete; the bulk load killed half way changes nothing. Each
# refusal changes nothing.
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

export SIREN_PASSPHRASE='contacts cli test passphrase'
unset SIREN_WORKSPACE
W="$T_TMP/ws"
cli_init "$W" --kdf interactive
[ "$RC" = 0 ] || { not_ok "init: $ERR"; done_testing cli_contacts; exit 1; }
cli_unlock "$W"
ORG=$("$SIREN" org add "Test Hotline" --kind hotline --country TH -w "$W")
ORG2=$("$SIREN" org add "Other NGO" --kind ngo --country TH -w "$W")
count() { wsql "$W" "SELECT count(*) FROM contact WHERE deleted_at IS NULL"; }
audits() { wsql "$W" "SELECT count(*) FROM audit WHERE action = '$1'"; }

# add: every field; identity fields from a file, never the command line;
# the code is printed
cat > "$T_TMP/ident" <<'IDENT'
phone=081-234-5678
caller_place=near the pier
problem_place=boat
summary==HYPERLINK("x")
needs=rescue ‮gpj.exe
action_taken=called police
IDENT
run "$SIREN" contact add --org "$ORG" --at "2026-11-01 10:00" --channel phone \
    --language my --caller-type self --identity-file "$T_TMP/ident" \
    --caller-country TH --caller-province TH-90 \
    --problem-country TH --problem-province TH-90 \
    --category trafficking --issues "debt;confinement" --sector fishing \
    --affected 4 --danger yes --duration-s 300 --consent "ngo;police" -w "$W"
expect_rc 0 "add"
C1=$OUT
[[ "$C1" =~ ^C-[0-9A-Z]{4}-[0-9A-Z]{4}$ ]] && ok || not_ok "code shape: $C1"
run "$SIREN" contact add --org "$ORG" --channel pigeon --language my --caller-type self --category trafficking -w "$W"
expect_rc 1 "add bad channel"
expect_err "channel" "add bad channel"
printf 'phone=call me\n' > "$T_TMP/badphone"
run "$SIREN" contact add --org "$ORG" --channel phone --language my --caller-type self --category trafficking --identity-file "$T_TMP/badphone" -w "$W"
expect_rc 1 "add bad phone"
expect_err "caller_phone" "add bad phone"
expect_no "call me" "the phone is not echoed"
# an identity flag on the command line is refused, and so is an unknown key
run "$SIREN" contact add --org "$ORG" --channel phone --language my --caller-type self --category trafficking --phone "+66 81 999 0000" -w "$W"
expect_rc 2 "identity flags are refused"
expect_err "unknown option '--phone'" "identity flags are refused"
printf 'name=Somebody Real\n' > "$T_TMP/badkey"
run "$SIREN" contact add --org "$ORG" --channel phone --language my --caller-type self --category trafficking --identity-file "$T_TMP/badkey" -w "$W"
expect_rc 1 "unknown identity key"
expect_err "identity file line 1: unknown key" "unknown identity key"
expect_no "Somebody" "the value is not echoed"
run "$SIREN" contact add --channel phone --language my --caller-type self --category trafficking -w "$W"
expect_rc 2 "add without --org"
expect_err "missing option '--org'" "add without --org names the option"
run "$SIREN" contact add --org O-0000-0000 --channel phone --language my --caller-type self --category trafficking -w "$W"
expect_rc 1 "add for an unknown organisation"
expect_err "--org: no organisation with that code" "the unknown organisation is named as --org"
[ "$(count)" = 1 ] && ok || not_ok "only the good contact was added"

# show: no identity unless asked; asking is audited
run "$SIREN" contact show "$C1" -w "$W"
expect_rc 0 "show"
expect_out "TH-90" "show"
expect_no "5678" "show without --identity has no phone"
run "$SIREN" contact show "$C1" --identity -w "$W"
expect_out "+66812345678" "show --identity: the phone in E.164 (a Thai caller)"
expect_out "called police" "show --identity"
[ "$(audits contact.view_identity)" = 1 ] && ok || not_ok "identity read audited"
run "$SIREN" contact show "$C1" --org "$ORG2" -w "$W"
expect_rc 1 "show out of scope"
expect_err "not found" "show out of scope"

# import: a good file with an HXL row and a multi-line cell
cat > "$T_TMP/good.csv" <<'CSV'
received_at,channel,language,caller_type,caller_phone,problem_province,category,issues,sector,danger,summary
#date,#contact+channel,#language,#contact+type,#contact+phone,#adm1+code,#category,#issue,#sector,#severity+danger,#description
2026-10-01 09:00,phone,my,self,+66 81 000 1111,TH-90,labour_rights,unpaid_wages;excessive_hours,fishing,no,"two
lines"
2026-10-02 09:00,line,my,family,,TH-11,trafficking,,construction,yes,short
2026-10-03 09:00,sms,km,friend,,,documents,,,no,
CSV
run "$SIREN" contact import "$T_TMP/good.csv" --org "$ORG" -w "$W"
expect_rc 0 "import"
expect_out "imported 3" "import"
expect_out "HXL" "import"
[ "$(count)" = 4 ] && ok || not_ok "import added 3"
run "$SIREN" contact import "$T_TMP/good.csv" --org "$ORG" -w "$W"
expect_rc 0 "re-import"
expect_out "imported 0, already there 3" "re-import"
[ "$(count)" = 4 ] && ok || not_ok "re-import added nothing"

# every kind of bad row, each with its line and column; nothing written
cat > "$T_TMP/bad.csv" <<'CSV'
received_at,channel,language,caller_type,caller_phone,problem_province,category,issues,sector,danger,n_affected,duration_s,consent
2026-10-01 09:00,pigeon,my,self,,,labour_rights,,,no,1,0,
2026-10-01 09:00,phone,klingon,self,,,labour_rights,,,no,1,0,
2026-10-01 09:00,phone,my,alien,,,labour_rights,,,no,1,0,
2026-10-01 09:00,phone,my,self,call me,,labour_rights,,,no,1,0,
2026-10-01 09:00,phone,my,self,,TH-99,labour_rights,,,no,1,0,
2026-10-01 09:00,phone,my,self,,,gossip,,,no,1,0,
2026-10-01 09:00,phone,my,self,,,labour_rights,flying,,no,1,0,
2026-10-01 09:00,phone,my,self,,,labour_rights,,mining,no,1,0,
2026-10-01 09:00,phone,my,self,,,labour_rights,,,maybe,1,0,
2026-10-01 09:00,phone,my,self,,,labour_rights,,,no,-3,0,
2026-10-01 09:00,phone,my,self,,,labour_rights,,,no,1,99999,
2026-10-01 09:00,phone,my,self,,,labour_rights,,,no,1,0,everyone
31/12/2025,phone,my,self,,,labour_rights,,,no,1,0,
,phone,my,self,,,labour_rights,,,no,1,0,
2026-10-01 09:00,phone,my,self,,,labour_rights,,,no,1,0,,extra
2026-10-01 09:00,phone,my,self,,,documents,,,no,1,0,
CSV
before=$(audits contact.create)
run "$SIREN" contact import "$T_TMP/bad.csv" --org "$ORG" -w "$W"
expect_rc 1 "bad import"
expect_err "nothing imported" "bad import"
for want in "line 2, column channel" "line 3, column language" \
    "line 4, column caller_type" "line 5, column caller_phone" \
    "line 6, column problem_province" "line 7, column category" \
    "line 8, column issues" "line 9, column sector" "line 10, column danger" \
    "line 11, column n_affected" "line 12, column duration_s" \
    "line 13, column consent" "line 14, column received_at" \
    "line 15, column received_at: required" "line 16: more cells"; do
    expect_err "$want" "bad import reports '$want'"
done
expect_no "call me" "bad import does not echo a phone"
[ "$(count)" = 4 ] && ok || not_ok "bad import wrote nothing"
[ "$(audits contact.create)" = "$before" ] && ok || not_ok "bad import audited nothing"

# a wrong header: unknown or missing columns are named
printf 'received_at,channel,language,caller_type,colour\n2026-10-01 09:00,phone,my,self,red\n' > "$T_TMP/hdr.csv"
run "$SIREN" contact import "$T_TMP/hdr.csv" --org "$ORG" -w "$W"
expect_rc 1 "bad header"
expect_err "line 1, column colour: unknown column" "unknown column"
expect_err "column category: required column missing" "missing column"
printf 'received_at,channel\n"2026-10-01,phone\n' > "$T_TMP/quote.csv"
run "$SIREN" contact import "$T_TMP/quote.csv" --org "$ORG" -w "$W"
expect_rc 1 "malformed CSV"
expect_err "malformed CSV" "malformed CSV"

# --skip-invalid writes the valid row and rejects the others with reasons
run "$SIREN" contact import "$T_TMP/bad.csv" --org "$ORG" --skip-invalid --reject-file "$T_TMP/rej.csv" -w "$W"
expect_rc 0 "skip invalid"
expect_out "imported 1" "skip invalid"
expect_out "rejected 15" "skip invalid"
[ "$(count)" = 5 ] && ok || not_ok "skip invalid wrote the valid row"
[ "$(stat -c %a "$T_TMP/rej.csv")" = 600 ] && ok || not_ok "reject file mode"
[ "$(grep -c '^"' "$T_TMP/rej.csv")" = 16 ] && ok || not_ok "reject file: header + 15 rows"
expect_file_has '"2","channel: not one of the allowed values"' "reject reason with line" "$T_TMP/rej.csv"
expect_file_has '"reason"' "reject header" "$T_TMP/rej.csv"

# list: filters, formats, paging
run "$SIREN" contact list --category trafficking --danger yes -w "$W"
expect_out "$C1" "list filter"
expect_no "documents" "list filter"
run "$SIREN" contact list --province TH-11 --format csv -w "$W"
expect_out '"code","received_at"' "list csv"
expect_out "TH-11" "list csv"
expect_no "TH-90" "list csv filter"
run "$SIREN" contact list --format json --limit 2 -w "$W"
expect_out '"next": "' "json next cursor"
NEXT=$(printf '%s' "$OUT" | sed -n 's/.*"next": "\([^"]*\)".*/\1/p')
run "$SIREN" contact list --limit 2 --after "$NEXT" -w "$W"
expect_rc 0 "list next page"
run "$SIREN" contact list --category gossip -w "$W"
expect_rc 1 "list bad filter"
expect_err "category" "list bad filter"
run "$SIREN" contact list --format yaml -w "$W"
expect_rc 2 "list bad format"
run "$SIREN" contact list --org "$ORG2" -w "$W"
expect_no "C-" "another organisation's list is empty"

# export: CSV without identities by default; neutralised; XLSX
run "$SIREN" contact export -w "$W"
expect_rc 0 "export csv"
expect_no "5678" "export without identity"
expect_no "HYPERLINK" "export without identity has no summary"
run "$SIREN" contact export --identity -w "$W"
expect_out "'+66812345678" "phone neutralised (stored in E.164)"
expect_out "'=HYPERLINK" "formula neutralised"
[ "$(audits contact.export)" = 2 ] && ok || not_ok "exports audited"
wsql "$W" "SELECT detail FROM audit WHERE action='contact.export' ORDER BY id DESC LIMIT 1" | grep -q "rows=5 identity=yes" && ok || not_ok "export audit counts rows"
run "$SIREN" contact export --format xlsx --out "$T_TMP/c.xlsx" --identity -w "$W"
expect_rc 0 "export xlsx"
[ -s "$T_TMP/c.xlsx" ] && ok || not_ok "xlsx written"
[ "$(head -c 2 "$T_TMP/c.xlsx")" = PK ] && ok || not_ok "xlsx is a zip"
# the text cells of the sheet: the needs cell is there without its
# right-to-left override (the CSV export removes it the same way)
python3 - "$T_TMP/c.xlsx" > "$T_TMP/xlsx.txt" <<'PY' || not_ok "xlsx readable"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    sys.stdout.write(z.read("xl/sharedStrings.xml").decode("utf-8"))
PY
grep -q 'rescue gpj.exe' "$T_TMP/xlsx.txt" && ok || not_ok "xlsx needs cell without the override"
if grep -q "$(printf '\342\200\256')" "$T_TMP/xlsx.txt"; then not_ok "xlsx holds U+202E"; else ok; fi
run "$SIREN" contact export --identity -w "$W"
expect_out "rescue gpj.exe" "csv needs cell without the override"
run "$SIREN" contact export --format xlsx -w "$W"
expect_rc 1 "xlsx needs --out"
# delete: a reason is required; the contact leaves the list
run "$SIREN" contact delete "$C1" -w "$W"
expect_rc 1 "delete without reason"
expect_err "reason" "delete without reason"
run "$SIREN" contact delete "$C1" --reason "test entry" -w "$W"
expect_rc 0 "delete"
run "$SIREN" contact list -w "$W"
expect_no "$C1" "deleted contact not listed"
run "$SIREN" audit verify -w "$W"
expect_rc 0 "audit chain intact"

# bulk load: an import into an empty table runs in one transaction with the
# contact indexes set aside; killed half way, it leaves the workspace as it
# was (no contact, no audit row, every index there, the chain intact), and
# run again it completes
export SIREN_PASSPHRASE='contacts cli test passphrase'
W3="$T_TMP/ws3"
cli_init "$W3" --kdf interactive
[ "$RC" = 0 ] || not_ok "init ws3: $ERR"
ORG3=$("$SIREN" org add "Bulk Hotline" --kind hotline --country TH -w "$W3")
schema3() {
    wsql "$W3" "SELECT name, sql FROM sqlite_schema WHERE tbl_name = 'contact' ORDER BY name" \
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'contact' ORDER BY indexname"
}
# written3: how much of a write W3 holds: the size of its WAL file, or
# how much its database on the server grew since SIZE_BEFORE (rows of a
# transaction not yet committed count)
written3() {
    if on_pg; then
        echo $(($(wsql "$W3" "SELECT pg_database_size(current_database())") - SIZE_BEFORE))
    else
        stat -c %s "$W3/siren.db-wal" 2>/dev/null || echo 0
    fi
}
# integrity3: "ok" when W3's tables and indexes are sound: SQLite's
# integrity check, or amcheck's check of each index of contact (every row
# in the index, the index in order)
integrity3() {
    wsql "$W3" "PRAGMA integrity_check" \
        "CREATE EXTENSION IF NOT EXISTS amcheck;
         SELECT CASE WHEN count(bt_index_check(indexrelid, true)) > 1 THEN 'ok' END
           FROM pg_index WHERE indrelid = 'contact'::regclass"
}
SCHEMA_BEFORE=$(schema3)
AUDIT_BEFORE=$(wsql "$W3" "SELECT count(*) FROM audit")
SIZE_BEFORE=0
if on_pg; then SIZE_BEFORE=$(wsql "$W3" "SELECT pg_database_size(current_database())"); fi
awk 'BEGIN {
    print "received_at,channel,language,caller_type,caller_phone,category,summary";
    for (i = 0; i < 60000; i++)
        printf "2025-%02d-%02d 10:00,phone,my,self,+66 80 %07d,labour_rights,call %d\n", 1 + i % 12, 1 + i % 28, i, i;
}' > "$T_TMP/bulk.csv"
"$SIREN" contact import "$T_TMP/bulk.csv" --org "$ORG3" -w "$W3" >/dev/null 2>&1 &
PID=$!
# wait until the write transaction has put 2 MB in the WAL (on
# PostgreSQL: in the database), then kill it
for _ in $(seq 600); do
    [ "$(written3)" -gt 2000000 ] && break
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.005
done
kill -KILL "$PID" 2>/dev/null && ok || not_ok "bulk import ended before it could be killed"
wait "$PID" 2>/dev/null
[ "$(wsql "$W3" "SELECT count(*) FROM contact")" = 0 ] && ok || not_ok "killed bulk import left contacts"
[ "$(wsql "$W3" "SELECT count(*) FROM audit")" = "$AUDIT_BEFORE" ] && ok || not_ok "killed bulk import left audit rows"
[ "$(schema3)" = "$SCHEMA_BEFORE" ] && ok || not_ok "killed bulk import changed the indexes"
[ "$(integrity3)" = ok ] && ok || not_ok "integrity after kill"
run "$SIREN" audit verify -w "$W3"
expect_rc 0 "audit chain intact after a killed import"
run "$SIREN" contact import "$T_TMP/bulk.csv" --org "$ORG3" -w "$W3"
expect_rc 0 "bulk import after the kill"
expect_out "imported 60000" "bulk import after the kill"
[ "$(schema3)" = "$SCHEMA_BEFORE" ] && ok || not_ok "bulk import put every index back"
[ "$(wsql "$W3" "SELECT count(*) FROM contact INDEXED BY contact_phone WHERE caller_phone_idx IS NOT NULL" \
    "SET enable_seqscan = off; SELECT count(*) FROM contact WHERE caller_phone_idx IS NOT NULL")" = 60000 ] && ok || not_ok "rebuilt phone index holds every row"
[ "$(integrity3)" = ok ] && ok || not_ok "integrity after bulk import"
run "$SIREN" audit verify -w "$W3"
expect_rc 0 "audit chain intact after a bulk import"
# one contact.import audit row (count, the file's BLAKE2b-256, first and
# last contact) instead of 60,000 contact.create rows; the audit of any of its
# contacts shows it
[ "$(wsql "$W3" "SELECT count(*) FROM audit WHERE action = 'contact.create'")" = 0 ] && ok || not_ok "bulk import wrote contact.create rows"
[ "$(wsql "$W3" "SELECT count(*) FROM audit WHERE action = 'contact.import'")" = 1 ] && ok || not_ok "bulk import: one contact.import row"
MID=$(wsql "$W3" "SELECT code FROM contact WHERE id = 30000")
FIRST=$(wsql "$W3" "SELECT code FROM contact WHERE id = 1")
SUM=$(b2sum -l 256 "$T_TMP/bulk.csv" | cut -d' ' -f1)
run "$SIREN" audit list --record "$MID" -w "$W3"
expect_rc 0 "audit list of a bulk-imported contact"
expect_out "contact.import" "audit list of a bulk-imported contact"
expect_out "rows=60000 first=$FIRST first_id=1" "contact.import names the count and the first contact"
expect_out "last_id=60000 file=" "contact.import names the last contact and the file's fingerprint"
printf '%s\n' "$OUT" | grep -Eq 'file=[0-9a-f]{64}' && ok || not_ok "the fingerprint is 32 bytes of hex"
# keyed: never the plain hash of the file (which a guess of its phone
# numbers could confirm)
expect_no "$SUM" "the audit does not hold the file's plain BLAKE2b-256"
run "$SIREN" audit list --record "$MID" --record-type org -w "$W3"
expect_no "contact.import" "another record type does not follow the import"
run "$SIREN" contact import "$T_TMP/bulk.csv" --org "$ORG3" -w "$W3"
expect_out "imported 0, already there 60000" "re-import after a bulk import"

# phone_region: a number without + is read in the workspace's country
# when the caller's is not given; an unknown region is refused by name
sed -i 's/^phone_region = .*/phone_region = MM/' "$W/siren.conf"
printf 'phone=09 7812 3456\n' > "$T_TMP/mmphone"
run "$SIREN" contact add --org "$ORG" --channel phone --language my --caller-type self --category trafficking --identity-file "$T_TMP/mmphone" -w "$W"
expect_rc 0 "add with phone_region = MM"
run "$SIREN" contact show "$OUT" --identity -w "$W"
expect_out "+95978123456" "a Myanmar number (country code 95, trunk 0) in E.164"
sed -i 's/^phone_region = .*/phone_region = XX/' "$W/siren.conf"
run "$SIREN" contact list -w "$W"
expect_rc 1 "an unknown phone_region"
expect_err "bad or unknown setting 'phone_region'" "the setting is named"
sed -i 's/^phone_region = .*/phone_region = TH/' "$W/siren.conf"

done_testing cli_contacts
