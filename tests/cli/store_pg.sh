#!/usr/bin/env bash
# CLI tests of the PostgreSQL store, on a throwaway server (tests/pg/cluster):
# a workspace made on it keeps its key and settings in its directory and no
# identity in the database server; addresses with a password, databases
# with another collation and non-empty databases are refused, changing
# nothing; `siren store copy` moves a demo workspace from SQLite into
# PostgreSQL and back, and the same commands then print the same bytes on
# both stores as on the original.
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

export SIREN_PASSPHRASE='store test passphrase'
unset SIREN_WORKSPACE SIREN_NEW_PASSPHRASE SIREN_USER_PASSWORD PGPASSWORD
CL=$(mktemp -d /tmp/siren-pg.XXXXXX)
trap 'tests/pg/cluster stop "$CL"; rm -rf "$CL" "$T_TMP"' EXIT
cd "$(dirname "$0")/../.."
if ! tests/pg/cluster start "$CL" 2>"$T_TMP/cluster.err"; then
    echo "SKIPPED: store_pg: no PostgreSQL server: $(head -c 300 "$T_TMP/cluster.err")"
    not_ok "a PostgreSQL server for the tests"
    done_testing store_pg
    exit 1
fi
url() { tests/pg/cluster url "$CL" "$1"; }
PSQL=(psql -h "$CL" -U postgres -qAt)

# ---- refusals: nothing made ----------------------------------------------
U1=$(url ws1)
run "$SIREN" init "$T_TMP/pw" --kdf interactive \
    --store "postgresql://postgres:secret@/ws1?host=$CL"
expect_rc 1 "init with a password in the address"
expect_err "holds a password" "init with a password in the address"
expect_no "secret" "the password is not echoed"
[ ! -e "$T_TMP/pw/key" ] && ok || not_ok "a refused init leaves no key file"
"${PSQL[@]}" -c "CREATE DATABASE wrongsort TEMPLATE template0 ENCODING 'UTF8' LOCALE 'en_US.UTF-8'" \
    >/dev/null 2>&1 || "${PSQL[@]}" -c "CREATE DATABASE wrongsort TEMPLATE template0 ENCODING 'SQL_ASCII' LOCALE 'C'" >/dev/null
run "$SIREN" init "$T_TMP/wrong" --kdf interactive --store "postgresql:///wrongsort?host=$CL&user=postgres"
expect_rc 1 "init on a database that does not sort by bytes or is not UTF-8"
expect_err "LOCALE 'C'" "the message says how to make the database"
"${PSQL[@]}" -d ws1 -c "CREATE TABLE other_app (x int)"
run "$SIREN" init "$T_TMP/other" --kdf interactive --store "$U1"
expect_rc 1 "init on a database holding another application's table"
expect_err "not empty" "init on a non-empty database"
[ "$("${PSQL[@]}" -d ws1 -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 1 ] &&
    ok || not_ok "the refused init made no table"

# ---- a workspace on PostgreSQL -------------------------------------------
U2=$(url ws2)
W="$T_TMP/ws"
run "$SIREN" init "$W" --kdf interactive --store "$U2"
expect_rc 0 "init --store"
[ -s "$W/key" ] && [ ! -e "$W/siren.db" ] && ok || not_ok "key in the directory, no siren.db"
expect_file_has "^store = postgresql:///ws2" "siren.conf names the store" "$W/siren.conf"
# the schema the migrations make is the golden one (SIREN_WRITE_GOLDEN=1
# writes it anew); pg_dump's own comments and settings left out
pg_dump -h "$CL" -U postgres -d ws2 --schema-only --no-owner --no-privileges |
    grep -vE '^(--|SET |SELECT pg_catalog|\\(un)?restrict )' | cat -s >"$T_TMP/schema-pg.sql"
if [ -n "${SIREN_WRITE_GOLDEN:-}" ]; then cp "$T_TMP/schema-pg.sql" tests/golden/schema-pg.sql; fi
cmp -s "$T_TMP/schema-pg.sql" tests/golden/schema-pg.sql && ok ||
    not_ok "PostgreSQL schema differs from tests/golden/schema-pg.sql: $(diff tests/golden/schema-pg.sql "$T_TMP/schema-pg.sql" | head -6)"
run "$SIREN" init "$T_TMP/again" --kdf interactive --store "$U2"
expect_rc 1 "a second workspace in the same database"
expect_err "already holds a SIREN workspace" "a second workspace in the same database"
run "$SIREN" org add "Store Hotline" --kind hotline --country TH -w "$W"
expect_rc 0 "org add"
ORG=$OUT
printf 'amber-meadow-falcon-3\n' > "$T_TMP/upw"
run "$SIREN" user add canary.keeper --org "$ORG" --role hotline --password-file "$T_TMP/upw" -w "$W"
expect_rc 0 "user add"
run "$SIREN" user add canary.keeper --org "$ORG" --role hotline --password-file "$T_TMP/upw" -w "$W"
expect_rc 1 "a user name taken"
expect_err "already taken" "a user name taken"
printf 'phone=+66 81 234 5678\ncaller_place=Zawcanary Htunmarker village\nsummary=canary-pg-summary\n' > "$T_TMP/ident"
run "$SIREN" contact add --org "$ORG" --channel phone --language my \
    --caller-type self --category trafficking --identity-file "$T_TMP/ident" -w "$W"
expect_rc 0 "contact add"
C1=$OUT
run "$SIREN" contact show "$C1" --identity -w "$W"
expect_rc 0 "contact show --identity"
expect_out "Zawcanary Htunmarker" "the identity decrypts from PostgreSQL"
run "$SIREN" audit verify -w "$W"
expect_rc 0 "audit verify on PostgreSQL"
# the database server holds no identity and no key
"${PSQL[@]}" -d ws2 -c "COPY (SELECT 1) TO STDOUT" >/dev/null
pg_dump -h "$CL" -U postgres -d ws2 -f "$T_TMP/ws2.sql" && ok || not_ok "pg_dump of the workspace"
expect_file_has "CREATE TABLE public.contact" "the dump holds the tables" "$T_TMP/ws2.sql"
expect_file_lacks "Zawcanary" "a name in clear on the server" "$T_TMP/ws2.sql"
expect_file_lacks "Htunmarker" "a name in clear on the server" "$T_TMP/ws2.sql"
expect_file_lacks "234 5678" "a phone in clear on the server" "$T_TMP/ws2.sql"
expect_file_lacks "canary-pg-summary" "a summary in clear on the server" "$T_TMP/ws2.sql"
expect_file_lacks "store test passphrase" "the passphrase on the server" "$T_TMP/ws2.sql"

# ---- moving a demo workspace: SQLite -> PostgreSQL -> SQLite --------------
D="$T_TMP/demo"
"$SIREN" demo "$D" --seed 3 --kdf interactive >/dev/null 2>&1 && ok || not_ok "demo"
cp -a "$D" "$T_TMP/demo-lite"
cmds=("contact list" "case list" "referral list" "org list" "entity list"
      "report hotline --from 2025-01 --to 2026-12 --format csv"
      "report funnel --format json" "audit list --action user." "dup list"
      "contact export --format csv" "user list")
snapshot() { # snapshot WORKSPACE FILE: the commands' outputs, in one file
    local c
    : >"$2"
    for c in "${cmds[@]}"; do
        # shellcheck disable=SC2086
        { echo "== $c"; "$SIREN" $c -w "$1" 2>&1; echo "rc=$?"; } >>"$2"
    done
    # log lines carry the time and a duration
    sed -i -E 's/^ts=[^ ]+ //; s/ ms=[0-9]+//' "$2"
}
snapshot "$D" "$T_TMP/before"
U3=$(url ws3)
run "$SIREN" store copy -w "$D" --to "$U2"
expect_rc 1 "copy into a database that holds a workspace"
expect_err "already holds a SIREN workspace" "copy into a used database"
run "$SIREN" store copy -w "$D" --to "$U3"
expect_rc 0 "store copy --to postgresql"
expect_out "audit chain:" "the copy verifies the audit chain"
expect_out "contact " "the copy lists each table"
expect_file_has "^store = postgresql:///ws3" "siren.conf now names the store" "$D/siren.conf"
snapshot "$D" "$T_TMP/on-pg"
cmp -s "$T_TMP/before" "$T_TMP/on-pg" && ok ||
    not_ok "outputs differ on PostgreSQL: $(diff "$T_TMP/before" "$T_TMP/on-pg" | head -5)"
[ "$(grep -c '^rc=0$' "$T_TMP/on-pg")" = "${#cmds[@]}" ] && ok ||
    not_ok "every command ran on PostgreSQL: $(grep -B3 '^rc=[1-9]' "$T_TMP/on-pg" | head -8)"
# writes go on after the copied rows: ids and the audit chain continue
DORG=$("$SIREN" org list -w "$D" 2>/dev/null | awk 'NR == 2 { print $1; exit }')
run "$SIREN" contact add --org "$DORG" --channel phone --language my \
    --caller-type self --category trafficking --identity-file "$T_TMP/ident" -w "$D"
expect_rc 0 "a new contact on the moved workspace"
run "$SIREN" org add "After The Move" --kind ngo --country TH -w "$D"
expect_rc 0 "a new organisation on the moved workspace (its id follows the copied ones)"
run "$SIREN" audit verify -w "$D"
expect_rc 0 "audit verify after writing on PostgreSQL"
# a key rotation on PostgreSQL: every identity reads back the same
run "$SIREN" contact export --format csv --identity -w "$D"
IDS_BEFORE=$OUT
run "$SIREN" rekey -w "$D" --kdf interactive
expect_rc 0 "siren rekey on a PostgreSQL workspace"
run "$SIREN" contact export --format csv --identity -w "$D"
[ -n "$IDS_BEFORE" ] && [ "$OUT" = "$IDS_BEFORE" ] && ok ||
    not_ok "identities differ after the rotation on PostgreSQL"
run "$SIREN" audit verify -w "$D"
expect_rc 0 "audit verify after the rotation on PostgreSQL"
snapshot "$D" "$T_TMP/on-pg2"
run "$SIREN" store copy -w "$D" --to "$U3"
expect_rc 1 "copy to the store it is already on"
expect_err "already on PostgreSQL" "copy to the same kind"
run "$SIREN" store copy -w "$D" --to sqlite
expect_rc 1 "copy back while the old siren.db is still there"
expect_err "already exists" "copy back onto an existing siren.db"
mv "$D/siren.db" "$T_TMP/old.db"
rm -f "$D/siren.db-wal" "$D/siren.db-shm"
run "$SIREN" store copy -w "$D" --to sqlite
expect_rc 0 "store copy --to sqlite"
[ -s "$D/siren.db" ] && ok || not_ok "siren.db made again"
grep -q '^store' "$D/siren.conf" && not_ok "siren.conf still names PostgreSQL" || ok
snapshot "$D" "$T_TMP/back"
cmp -s "$T_TMP/on-pg2" "$T_TMP/back" && ok ||
    not_ok "outputs differ after the way back: $(diff "$T_TMP/on-pg2" "$T_TMP/back" | head -5)"
cmp -s "$T_TMP/before" "$T_TMP/back" && not_ok "the writes on PostgreSQL came back" || ok
run "$SIREN" audit verify -w "$D"
expect_rc 0 "audit verify after the way back"
run "$SIREN" store copy -w "$D" --to "mysql://x/y"
expect_rc 1 "a target that is neither"
expect_err "postgresql:// address or 'sqlite'" "a target that is neither"

done_testing store_pg
