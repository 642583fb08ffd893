#!/usr/bin/env bash
# CLI test of `siren rekey` on a demo workspace: what the identity
# listings show is recorded first; the rotation is killed half way
# (SIREN_REKEY_KILL_AFTER, a SIGKILL after a committed batch); every other
# command refuses the workspace, naming `siren rekey`; run again, it
# finishes; then every listing is byte for byte what it was, the
# duplicate check and the shared-phone suggestion (blind indexes) find
# the same records as on a copy taken before, the audit chain verifies,
# and the old key file with the old passphrase decrypts nothing. A
# running server keeps a rotation from starting. No identity is written
# here: outputs are compared with each other.
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

export SIREN_PASSPHRASE='rekey cli test passphrase'
unset SIREN_WORKSPACE SIREN_NEW_PASSPHRASE SIREN_USER_PASSWORD SIREN_REKEY_KILL_AFTER
W="$T_TMP/ws"
SERVER=""
stop_server() { [ -n "$SERVER" ] && kill -TERM "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null; SERVER=""; }
trap 'stop_server; rm -rf "$T_TMP"' EXIT

cli_demo "$W" --seed 5 --kdf interactive
expect_rc 0 "demo workspace"
sql "$W" "SELECT code FROM person WHERE phone IS NOT NULL ORDER BY id LIMIT 6" && PEOPLE=$SQL
sql "$W" "SELECT code FROM entity ORDER BY id LIMIT 6" && ENTITIES=$SQL
sql "$W" "SELECT code FROM case_file ORDER BY id LIMIT 1" && CASE=$SQL
sql "$W" "SELECT code FROM org WHERE kind = 'police' LIMIT 1" && ORG=$SQL
sql "$W" "SELECT count(*) FROM contact" && N_CONTACTS=$SQL

# snapshot WS DIR: the decrypted listings an identity role sees
snapshot() {
    mkdir -p "$2"
    "$SIREN" contact export --identity -w "$1" > "$2/contacts.csv"
    for p in $PEOPLE; do "$SIREN" person show "$p" --identity -w "$1"; done > "$2/people.txt"
    for e in $ENTITIES; do "$SIREN" entity show "$e" --identity -w "$1"; done > "$2/entities.txt"
}
snapshot "$W" "$T_TMP/before"
[ "$(wc -l < "$T_TMP/before/contacts.csv")" = $((N_CONTACTS + 1)) ] && ok || not_ok "every contact exported before"
[ -n "$PEOPLE" ] && [ "$(grep -c '^phone ' "$T_TMP/before/people.txt")" = "$(wc -w <<< "$PEOPLE")" ] && ok || not_ok "each person's phone shown before"
cp "$W/key" "$T_TMP/old.key"
"$SIREN" audit export -w "$W" > "$T_TMP/head.txt"
ws_copy "$W" "$T_TMP/copy"  # the workspace as it was, for the blind-index checks

# a running server keeps a rotation from starting
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$SIREN" serve -w "$W" --listen "127.0.0.1:$PORT" 2>"$T_TMP/serve.err" &
SERVER=$!
for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/health" && break
    sleep 0.1
done
run "$SIREN" rekey -w "$W" --kdf interactive
expect_rc 1 "rekey while the server runs"
expect_err "is in use (a server or another command)" "rekey while the server runs"
[ ! -e "$W/key.next" ] && ok || not_ok "nothing begun while the server runs"
stop_server

# killed after its 4th batch of 500 rows: inside the contacts
SIREN_REKEY_KILL_AFTER=4 run "$SIREN" rekey -w "$W" --kdf interactive --batch 500
expect_rc 137 "rekey killed half way"
[ -e "$W/key.next" ] && ok || not_ok "the pending key is there"
sql "$W" "SELECT count(*) FROM meta WHERE key = 'rekey_progress'" && [ "$SQL" = 1 ] && ok || not_ok "progress recorded"
sql "$W" "SELECT sum(substr(caller_phone, 5, 1) = X'02') || ' ' || sum(substr(caller_phone, 5, 1) = X'01') FROM contact WHERE caller_phone IS NOT NULL" \
    "SELECT count(*) FILTER (WHERE substr(caller_phone, 5, 1) = '\\x02'::bytea) || ' ' ||
            count(*) FILTER (WHERE substr(caller_phone, 5, 1) = '\\x01'::bytea)
       FROM contact WHERE caller_phone IS NOT NULL"
read -r N_NEW N_OLD <<< "$SQL"
[ "$N_NEW" -gt 0 ] && [ "$N_OLD" -gt 0 ] && ok || not_ok "half way: $N_NEW new and $N_OLD old contact phones"
for cmd in "contact list" "audit verify" "backup $T_TMP/b.sbk" "serve --listen 127.0.0.1:$PORT"; do
    # shellcheck disable=SC2086
    run timeout 20 "$SIREN" $cmd -w "$W"
    expect_rc 1 "$cmd during a rotation"
    expect_err "was interrupted: run 'siren rekey' to finish it" "$cmd names the command"
done

run "$SIREN" rekey -w "$W" --kdf interactive --batch 500
expect_rc 0 "rekey run again"
expect_out "an interrupted rotation finished" "rekey run again"
expect_out "key version 2" "rekey run again"
[ ! -e "$W/key.next" ] && ok || not_ok "the pending key became the key"
sql "$W" "SELECT count(*) FROM meta WHERE key = 'rekey_progress'" && [ "$SQL" = 0 ] && ok || not_ok "progress record removed"
cmp -s "$W/key" "$T_TMP/old.key" && not_ok "key file unchanged" || ok
grep -q '^key-version: 2$' "$W/key" && ok || not_ok "the key file holds key version 2"

# every value decrypts as before
snapshot "$W" "$T_TMP/after"
for f in contacts.csv people.txt entities.txt; do
    cmp -s "$T_TMP/before/$f" "$T_TMP/after/$f" && ok || not_ok "$f differs after the rotation"
done
sql "$W" "SELECT count(*) FROM contact WHERE substr(caller_phone, 2, 4) != X'00000002' OR substr(summary, 2, 4) != X'00000002'" \
    "SELECT count(*) FROM contact WHERE substr(caller_phone, 2, 4) != '\\x00000002'::bytea OR substr(summary, 2, 4) != '\\x00000002'::bytea" && [ "$SQL" = 0 ] && ok || not_ok "every contact field under key version 2"
sql "$W" "SELECT count(*) FROM person WHERE substr(name, 2, 4) != X'00000002'" \
    "SELECT count(*) FROM person WHERE substr(name, 2, 4) != '\\x00000002'::bytea" && [ "$SQL" = 0 ] && ok || not_ok "every name under key version 2"

run "$SIREN" audit verify -w "$W"
expect_rc 0 "audit verify after the rotation"
run "$SIREN" audit check "$T_TMP/head.txt" -w "$W"
expect_rc 1 "an export from before the rotation"
expect_err "or before a key rotation (siren rekey)" "an export from before the rotation"
run "$SIREN" audit list --action workspace. -w "$W"
expect_out "workspace.rekey_start" "the start is audited"
[ "$(grep -c 'workspace.rekey ' <<< "$OUT")" = 1 ] && ok || not_ok "the end is audited once: $OUT"

# the blind indexes find the same records: the same person and the same
# entity added to the copy taken before and to the rotated workspace
name=$(sed -n 's/^name  *//p' "$T_TMP/before/people.txt" | head -1)
phone=$(sed -n 's/^phone  *//p' "$T_TMP/before/people.txt" | head -1)
printf 'name=%s\nphone=%s\n' "$name" "$phone" > "$T_TMP/identity"
sed -n 's/^name  *//p' "$T_TMP/before/entities.txt" | head -1 > "$T_TMP/ename"
sed -n 's/^phone: //p' "$T_TMP/before/entities.txt" | head -1 > "$T_TMP/ephone"
[ -s "$T_TMP/ephone" ] && [ -n "$phone" ] && ok || not_ok "values to search for"
for ws in "$T_TMP/copy" "$W"; do
    code=$("$SIREN" person add "$CASE" --role witness --identity-file "$T_TMP/identity" -w "$ws" 2>/dev/null | grep -o 'P-[0-9A-Z]*-[0-9A-Z]*' | head -1)
    "$SIREN" dup list -w "$ws" | awk -v c="$code" '$3 == c { print $2, $4, $5 }' | sort > "$ws.dups"
    ecode=$("$SIREN" entity add --org "$ORG" --kind broker --name-file "$T_TMP/ename" --phone-file "$T_TMP/ephone" -w "$ws" | grep -o 'E-[0-9A-Z]*-[0-9A-Z]*' | head -1)
    "$SIREN" entity show "$ecode" -w "$ws" | grep 'shares_phone' | awk '{ print $3, $4, $5 }' | sort > "$ws.links"
done
[ -s "$W.dups" ] && cmp -s "$T_TMP/copy.dups" "$W.dups" && ok || not_ok "duplicate check differs: $(cat "$T_TMP/copy.dups") / $(cat "$W.dups")"
grep -q ' phone ' "$W.dups" && ok || not_ok "the phone's blind index found the person"
[ -s "$W.links" ] && cmp -s "$T_TMP/copy.links" "$W.links" && ok || not_ok "shared-phone links differ: $(cat "$T_TMP/copy.links") / $(cat "$W.links")"

# the old key file with the old passphrase: refused, and even with the
# old key check put back and no anchor, no field decrypts
ws_copy "$W" "$T_TMP/old"
cp "$T_TMP/old.key" "$T_TMP/old/key"
run "$SIREN" contact list -w "$T_TMP/old"
expect_rc 1 "the old key file opens nothing"
expect_err "does not belong to this workspace" "the old key file opens nothing"
sql "$T_TMP/copy" "SELECT hex(value) FROM meta WHERE key = 'key_check'" \
    "SELECT encode(value, 'hex') FROM meta WHERE key = 'key_check'" && check=$SQL
wsql "$T_TMP/old" "UPDATE meta SET value = X'$check' WHERE key = 'key_check'" \
    "UPDATE meta SET value = decode('$check', 'hex') WHERE key = 'key_check'"
rm -f "$T_TMP/old/audit.head"
run "$SIREN" contact export --identity -w "$T_TMP/old"
expect_rc 1 "no field decrypts with the old key"
[ "$(grep -c '^"C-' <<< "$OUT")" = 0 ] && ok || not_ok "old key exported rows"
expect_no "$phone" "no phone with the old key"

done_testing cli_rekey
