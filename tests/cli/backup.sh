#!/usr/bin/env bash
# CLI tests of backup and restore: an online backup, restored into a new
# directory, has every table as the original had it (digest of each
# table's rows) and its audit chain verifies; a changed byte, a truncated
# archive, a wrong passphrase, another workspace and a non-empty target
# are refused with their reason, changing nothing. On PostgreSQL (the
# archive holds siren.db) `siren backup` refuses the workspace, naming the
# server's tools, writes no archive and changes nothing.
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

export SIREN_PASSPHRASE='backup test passphrase'
unset SIREN_WORKSPACE SIREN_NEW_PASSPHRASE SIREN_USER_PASSWORD
W="$T_TMP/ws"
A="$T_TMP/ws.bak"
R="$T_TMP/restored"

cli_init "$W" --kdf interactive
expect_rc 0 "init"
run "$SIREN" org add "Backup Hotline" --kind hotline --country TH -w "$W"
ORG=$OUT
printf 'amber-meadow-falcon-3\n' > "$T_TMP/pw"
run "$SIREN" user add anna.k --org "$ORG" --role hotline --password-file "$T_TMP/pw" -w "$W"
expect_rc 0 "user add"
printf 'phone=+66 81 234 5678\nsummary=canary-backup-text\n' > "$T_TMP/ident"
run "$SIREN" contact add --org "$ORG" --channel phone --language my \
    --caller-type self --category trafficking --identity-file "$T_TMP/ident" -w "$W"
expect_rc 0 "contact add"
run "$SIREN" contact show "$OUT" --identity -w "$W"
expect_rc 0 "contact show (an audited identity read)"

if on_pg; then
    rows=$(pg_rows "$W") && [ -n "$rows" ] && ok || not_ok "the rows before: $(cat "$T_TMP/pg_dump.err")"
    files=$(ls -a "$W" "$T_TMP")
    run "$SIREN" backup "$A" -w "$W"
    expect_rc 1 "backup of a PostgreSQL workspace"
    expect_err "a PostgreSQL store is backed up by the database server (pg_dump or its replicas)" \
        "backup of a PostgreSQL workspace names the server's tools"
    [ ! -e "$A" ] && ok || not_ok "an archive was written"
    [ "$(ls -a "$W" "$T_TMP")" = "$files" ] && ok || not_ok "the refused backup made files"
    [ "$(pg_rows "$W")" = "$rows" ] && ok || not_ok "the refused backup changed the database"
    run "$SIREN" audit verify -w "$W"
    expect_rc 0 "audit verify after the refused backup"
    done_testing backup_cli
    exit
fi
run "$SIREN" backup "$A" -w "$W"
expect_rc 0 "backup"
expect_out "written to $A" "backup"
WSID=$(sed -n 's/^workspace: //p' "$A")
[[ "$WSID" =~ ^[0-9a-f]{32}$ ]] && ok || not_ok "archive names its workspace: $WSID"
[ "$(stat -c %a "$A")" = 600 ] && ok || not_ok "archive mode $(stat -c %a "$A")"
ls -a "$W" | grep -q '^\.backup-' && not_ok "temporary copy left in the workspace" || ok
# encrypted: neither the settings nor the schema nor the audit actions show
expect_file_lacks 'CREATE TABLE' "schema in clear in the archive" "$A"
expect_file_lacks 'contact.add' "audit rows in clear in the archive" "$A"
expect_file_lacks 'listen =' "settings in clear in the archive" "$A"
run "$SIREN" backup "$A" -w "$W"
expect_rc 1 "backup over an existing file"
expect_err "already exists" "backup over an existing file"

# the database as it stood when the backup was taken
lite "$W/siren.db" ".backup '$T_TMP/orig.db'"
# the workspace goes on changing after the backup
run "$SIREN" org add "Later Org" --kind ngo --country TH -w "$W"
expect_rc 0 "a write after the backup"

run "$SIREN" restore "$A" "$R"
expect_rc 0 "restore"
expect_out "restored workspace $WSID" "restore"
expect_out "audit chain verified" "restore"
run "$SIREN" audit verify -w "$R"
expect_rc 0 "audit verify on the restored workspace"
[ "$(stat -c %a "$R")" = 700 ] && ok || not_ok "restored directory mode"
for f in key siren.db siren.conf; do
    [ "$(stat -c %a "$R/$f")" = 600 ] && ok || not_ok "restored $f mode"
done

# every table: the restored rows are the rows of the moment of the backup
digest() { # digest DB TABLE; meta without the verification checkpoint
    # that `audit verify` on the restored workspace (above) wrote
    local where=""
    [ "$2" = meta ] && where="WHERE key <> 'audit_verified'"
    lite "$1" "SELECT * FROM \"$2\" $where ORDER BY 1, 2" | sha256sum | cut -d' ' -f1
}
tables=$(lite "$R/siren.db" "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
n_tables=0
differ=""
for t in $tables; do
    n_tables=$((n_tables + 1))
    [ "$(digest "$T_TMP/orig.db" "$t")" = "$(digest "$R/siren.db" "$t")" ] || differ+="$t "
done
[ "$n_tables" -ge 20 ] && ok || not_ok "only $n_tables tables compared"
[ -z "$differ" ] && ok || not_ok "tables differ after restore: $differ"
# and the comparison has teeth: the original today differs in org and audit
[ "$(digest "$W/siren.db" org)" != "$(digest "$R/siren.db" org)" ] && ok || not_ok "digest blind to a new org row"
[ "$(digest "$W/siren.db" audit)" != "$(digest "$R/siren.db" audit)" ] && ok || not_ok "digest blind to a new audit row"
run "$SIREN" contact list -w "$R"
expect_rc 0 "contact list on the restored workspace"
SQL=$(lite "$R/siren.db" "SELECT count(*) FROM contact")
[ "$SQL" = 1 ] && ok || not_ok "restored contacts: $SQL"

# refusals; each leaves the target and its parent as they were
listing() { ls -a "$T_TMP" | sort; }
before=$(listing)
refused() { # refused LABEL REASON ARCHIVE [DIR [ARGS...]]
    local label=$1 reason=$2 arc=$3 dir=${4:-$T_TMP/new}
    shift 4 2>/dev/null || shift $#
    run "$SIREN" restore "$arc" "$dir" "$@"
    expect_rc 1 "$label"
    expect_err "$reason" "$label"
    [ "$(listing)" = "$before" ] && ok || not_ok "$label: files changed: $(diff <(echo "$before") <(listing))"
}
refused "restore into a workspace" "not an empty directory" "$A" "$R"
before=$(listing)
mkdir "$T_TMP/full" && touch "$T_TMP/full/x"
before=$(listing)
refused "restore into a non-empty directory" "not an empty directory" "$A" "$T_TMP/full"
SIREN_PASSPHRASE='not the passphrase' refused "wrong passphrase" "wrong passphrase" "$A"
refused "another workspace" "archive is of workspace $WSID, not of workspace 0123456789abcdef0123456789abcdef" \
    "$A" "$T_TMP/new" --workspace-id 0123456789abcdef0123456789abcdef
size=$(stat -c %s "$A")
# a byte changed in the middle of the database blocks, in the header, in
# the key file, and in the last block
flip() { # flip OFFSET OUT
    python3 -c 'import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[int(sys.argv[2])] ^= 0x01
open(sys.argv[3], "wb").write(d)' "$A" "$1" "$2"
}
flip $((size / 2)) "$T_TMP/mid.bak"
before=$(listing)
refused "a changed byte" "damaged or altered: block" "$T_TMP/mid.bak"
flip $((size - 5)) "$T_TMP/end.bak"
before=$(listing)
refused "a changed last byte" "damaged or altered: block" "$T_TMP/end.bak"
sed 's/^created: 2/created: 1/' "$A" > "$T_TMP/hdr.bak"
cmp -s "$A" "$T_TMP/hdr.bak" && not_ok "header edit did nothing" || ok
before=$(listing)
refused "a changed header" "damaged or altered: block 1" "$T_TMP/hdr.bak"
head -c $((size - 40)) "$A" > "$T_TMP/short.bak"
before=$(listing)
refused "a truncated archive" "truncated" "$T_TMP/short.bak"
head -c $((size / 3)) "$A" > "$T_TMP/third.bak"
before=$(listing)
refused "a third of an archive" "truncated" "$T_TMP/third.bak"
cat "$A" "$A" > "$T_TMP/long.bak"
before=$(listing)
refused "bytes after the end" "after its end" "$T_TMP/long.bak"
printf 'hello\n\n' > "$T_TMP/junk.bak"
before=$(listing)
refused "not an archive" "not a SIREN backup archive" "$T_TMP/junk.bak"
sed 's/^siren-backup: 1/siren-backup: 9/' "$A" > "$T_TMP/v9.bak"
before=$(listing)
refused "a later version" "version 9 is not supported" "$T_TMP/v9.bak"
# an empty directory is a fine target
mkdir "$T_TMP/empty"
run "$SIREN" restore "$A" "$T_TMP/empty" --workspace-id "$WSID"
expect_rc 0 "restore into an empty directory"
run "$SIREN" audit verify -w "$T_TMP/empty"
expect_rc 0 "audit verify after restoring into an empty directory"

done_testing backup_cli
