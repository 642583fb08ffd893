#!/usr/bin/env bash
# CLI tests of the foundation: init, open refusals, passphrase, users, orgs,
# audit verify and list, demo, help, routes. Each refusal must change nothing.
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

export SIREN_PASSPHRASE='first passphrase for tests'
unset SIREN_WORKSPACE SIREN_NEW_PASSPHRASE SIREN_USER_PASSWORD
W="$T_TMP/ws"
FAST=(--kdf interactive)

# sums of every file in the workspace and, on PostgreSQL, of its
# database's rows, to show a refusal changed nothing
snapshot() {
    (cd "$W" && find . -type f | sort | xargs sha256sum)
    if on_pg; then pg_rows "$W" | sha256sum; fi
}

cli_init "$W" "${FAST[@]}"
expect_rc 0 "init"
expect_out "workspace created" "init"
# (siren.db, or the store named in siren.conf: cli_init's expect_store)
[ -f "$W/key" ] && [ -f "$W/siren.conf" ] && ok || not_ok "init files"
[ "$(stat -c %a "$W/key")" = 600 ] && ok || not_ok "key file mode"
[ "$(stat -c %a "$W")" = 700 ] && ok || not_ok "workspace mode"
expect_file_has 'wrapped-key' "key file format" "$W/key"
# the passphrase is not in the key file
expect_file_lacks 'first passphrase' "passphrase in key file" "$W/key"

cli_init "$W" "${FAST[@]}"
expect_rc 1 "init twice"
expect_err "already holds a workspace" "init twice"
run "$SIREN" init --kdf interactive
expect_rc 2 "init without a directory"
cli_init "$T_TMP/x" --kdf fastest
expect_rc 2 "bad kdf"
expect_err "--kdf" "bad kdf"

run "$SIREN" org add "Test Hotline" --kind hotline --country TH -w "$W"
expect_rc 0 "org add"
ORG=$OUT
[[ "$ORG" =~ ^O-[0-9A-Z]{4}-[0-9A-Z]{4}$ ]] && ok || not_ok "org code shape: $ORG"
run "$SIREN" org add "Bad Kind" --kind castle -w "$W"
expect_rc 1 "org bad kind"
expect_err "kind" "org bad kind"
run "$SIREN" org add "Bad Country" --kind ngo --country thailand -w "$W"
expect_rc 1 "org bad country"
expect_err "country" "org bad country"

# users: the password comes from a file, never the command line
printf 'amber-meadow-falcon-3\n' > "$T_TMP/pw"
run "$SIREN" user add anna.k --org "$ORG" --role hotline --password-file "$T_TMP/pw" -w "$W"
expect_rc 0 "user add"
run "$SIREN" user add anna.k --org "$ORG" --role hotline --password-file "$T_TMP/pw" -w "$W"
expect_rc 1 "user add twice"
expect_err "already taken" "user add twice"
run "$SIREN" user add bob --org "$ORG" --role wizard --password-file "$T_TMP/pw" -w "$W"
expect_rc 1 "user bad role"
expect_err "role" "user bad role"
run "$SIREN" user add bob --org O-0000-0000 --role hotline --password-file "$T_TMP/pw" -w "$W"
expect_rc 1 "user unknown org"
expect_err "org" "user unknown org"
printf 'short\n' > "$T_TMP/short"
run "$SIREN" user add bob --org "$ORG" --role hotline --password-file "$T_TMP/short" -w "$W"
expect_rc 1 "user short password"
expect_err "too short" "user short password"
printf '1qaz2wsx3edc\n' > "$T_TMP/common"
run "$SIREN" user add bob --org "$ORG" --role hotline --password-file "$T_TMP/common" -w "$W"
expect_rc 1 "user common password"
expect_err "too easy to guess" "user common password"
expect_no "1qaz2wsx3edc" "password echoed"
run "$SIREN" user list -w "$W"
expect_rc 0 "user list"
expect_out "anna.k" "user list"
expect_no "bob" "refused users were not written"
run "$SIREN" user role anna.k caseworker -w "$W"
expect_rc 0 "user role"
run "$SIREN" user disable anna.k -w "$W"
expect_rc 0 "user disable"
run "$SIREN" user list -w "$W"
expect_out "disabled" "user list shows disabled"
run "$SIREN" user enable anna.k -w "$W"
expect_rc 0 "user enable"
run "$SIREN" user disable nobody.here -w "$W"
expect_rc 1 "disable unknown user"
expect_err "no such user" "disable unknown user"
run "$SIREN" user passwd anna.k --password-file "$T_TMP/short" -w "$W"
expect_rc 1 "passwd short"
run "$SIREN" user frobnicate -w "$W"
expect_rc 2 "user usage"

# the audit log holds every write above, and verifies
run "$SIREN" audit verify -w "$W"
expect_rc 0 "audit verify"
expect_out "verified" "audit verify"
run "$SIREN" audit list --action user. -w "$W"
expect_rc 0 "audit list"
expect_out "user.add" "audit list"
expect_out "user.disable" "audit list"
expect_no "org.add" "audit list filter"
run "$SIREN" audit list --record-type org -w "$W"
expect_out "org.add" "audit list by record type"
run "$SIREN" audit list --from 2000-01-01 --to 2001-01-01 -w "$W"
expect_rc 0 "audit list old range"
[ "$(printf '%s' "$OUT" | grep -c .)" = 0 ] && ok || not_ok "old range is empty"
run "$SIREN" audit list --from yesterday -w "$W"
expect_rc 2 "audit bad date"
expect_err "--from" "audit bad date"
run "$SIREN" audit list --limit 0 -w "$W"
expect_rc 2 "audit bad limit"

# refusals that must change nothing
before=$(snapshot)
SIREN_PASSPHRASE='not the passphrase' run "$SIREN" audit verify -w "$W"
expect_rc 1 "wrong passphrase"
expect_err "wrong passphrase" "wrong passphrase"
[ "$(snapshot)" = "$before" ] && ok || not_ok "wrong passphrase changed files"

cp "$W/key" "$T_TMP/key.saved"
rm "$W/key"
run "$SIREN" audit verify -w "$W"
expect_rc 1 "missing key"
expect_err "missing key file" "missing key"
cp "$T_TMP/key.saved" "$W/key"

# a key file from another workspace
cli_init "$T_TMP/other" "${FAST[@]}"
cp "$T_TMP/other/key" "$W/key"
before=$(snapshot)
run "$SIREN" audit verify -w "$W"
expect_rc 1 "foreign key file"
expect_err "does not belong" "foreign key file"
[ "$(snapshot)" = "$before" ] && ok || not_ok "foreign key changed files"
cp "$T_TMP/key.saved" "$W/key"

# a database from a newer SIREN, and (SQLite) one not in WAL mode
schema=$(wsql "$W" 'PRAGMA user_version' 'SELECT max(version) FROM siren_schema')
[ "$schema" -ge 14 ] && ok || not_ok "schema version $schema"
wsql "$W" 'PRAGMA user_version=999' 'INSERT INTO siren_schema(version) VALUES (999)'
before=$(snapshot)
run "$SIREN" audit verify -w "$W"
expect_rc 1 "newer schema"
expect_err "newer" "newer schema"
[ "$(snapshot)" = "$before" ] && ok || not_ok "newer schema changed files"
run "$SIREN" migrate -w "$W"
expect_rc 1 "migrate refuses newer"
wsql "$W" "PRAGMA user_version=$schema" 'DELETE FROM siren_schema WHERE version = 999'
if ! on_pg; then # WAL is SQLite's; PostgreSQL has no journal mode to set
    wsql "$W" 'PRAGMA journal_mode=DELETE' >/dev/null
    before=$(snapshot)
    run "$SIREN" audit verify -w "$W"
    expect_rc 1 "not WAL"
    expect_err "WAL" "not WAL"
    [ "$(snapshot)" = "$before" ] && ok || not_ok "not-WAL open changed files"
    wsql "$W" 'PRAGMA journal_mode=WAL' >/dev/null
fi
run "$SIREN" migrate -w "$W"
expect_rc 0 "migrate"

# no workspace named
run "$SIREN" audit verify
expect_rc 2 "no workspace"
expect_err "no workspace" "no workspace"
SIREN_WORKSPACE="$W" run "$SIREN" audit verify
expect_rc 0 "SIREN_WORKSPACE"

# passphrase from a file, and re-wrapping
printf 'first passphrase for tests\n' > "$T_TMP/pass"
env -u SIREN_PASSPHRASE "$SIREN" audit verify -w "$W" --passphrase-file "$T_TMP/pass" >/dev/null 2>&1 && ok || not_ok "passphrase file"
printf 'second passphrase, longer\n' > "$T_TMP/newpass"
run "$SIREN" passphrase -w "$W" --new-passphrase-file "$T_TMP/newpass" "${FAST[@]}"
expect_rc 0 "passphrase change"
run "$SIREN" audit verify -w "$W"
expect_rc 1 "old passphrase refused"
SIREN_PASSPHRASE='second passphrase, longer' run "$SIREN" audit verify -w "$W"
expect_rc 0 "new passphrase works"
SIREN_PASSPHRASE='second passphrase, longer' run "$SIREN" audit list --action workspace. -w "$W"
expect_out "workspace.passphrase" "passphrase change audited"
export SIREN_PASSPHRASE='second passphrase, longer'

# tampering with the audit log is found and named by a full walk (rows
# 3 and 4 were verified above: plain `audit verify` reads only the rows
# after them, tests/cli/audit_verify.sh)
wsql "$W" "UPDATE audit SET detail='x' WHERE id=3"
run "$SIREN" audit verify --full -w "$W"
expect_rc 1 "tampered audit"
expect_err "broken at row 3" "tampered audit"
wsql "$W" "DELETE FROM audit WHERE id=3"
run "$SIREN" audit verify --full -w "$W"
expect_err "broken at row 4" "removed audit row"

# the demo workspace is labelled synthetic and has one user per role
D="$T_TMP/demo"
cli_demo "$D" --seed 7 "${FAST[@]}"
expect_rc 0 "demo"
expect_out "SYNTHETIC" "demo label"
for role in admin coordinator hotline caseworker investigator analyst partner; do
    expect_out "demo.$role" "demo user $role"
done
expect_file_has 'synthetic = 1' "demo config synthetic" "$D/siren.conf"
run "$SIREN" org list -w "$D"
expect_out "(synthetic)" "demo orgs labelled"

# serve on a port another program holds: the cause and what to do, not
# only "cannot listen"
PORT_FILE="$T_TMP/held-port"
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
time.sleep(30)' "$PORT_FILE" &
HOLDER=$!
for _ in $(seq 50); do [ -s "$PORT_FILE" ] && break; sleep 0.1; done
run timeout 20 "$SIREN" serve -w "$D" --listen "127.0.0.1:$(cat "$PORT_FILE")"
expect_rc 1 "serve on a busy port"
expect_err "already uses that port; choose another with --listen" "a busy port is named as the cause"
kill "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null
run timeout 20 "$SIREN" serve -w "$D" --listen 10.254.253.252:8080
expect_rc 1 "serve on an address the machine does not have"
expect_err "this machine has no such address" "an unknown address is named as the cause"
run "$SIREN" audit verify -w "$D"
expect_rc 0 "demo audit"
cli_demo "$D" "${FAST[@]}"
expect_rc 1 "demo over a workspace"
cli_demo "$T_TMP/d2" --seed many
expect_rc 2 "demo bad seed"

# help, version, routes, policy; unknown things
run "$SIREN" help
expect_rc 0 "help"
expect_out "serve" "help"
run "$SIREN" version
expect_out "siren " "version"
run "$SIREN" routes
expect_out '`/login`' "routes"
diff <("$SIREN" routes) docs/api.md >/dev/null && ok || not_ok "docs/api.md differs from 'siren routes'"
run "$SIREN" policy
expect_out "user.manage" "policy"
run "$SIREN" frobnicate
expect_rc 2 "unknown command"
run "$SIREN" user list --bogus 1
expect_rc 2 "unknown option"
expect_err "unknown option '--bogus'" "unknown option"
run "$SIREN" serve -w "$D" --threads 0
expect_rc 2 "bad threads"
run "$SIREN" serve -w "$D" --listen nowhere
expect_rc 1 "bad listen"
expect_err "listen" "bad listen"

done_testing cli_foundation
