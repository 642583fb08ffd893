#!/usr/bin/env bash
# CLI tests of the audit chain's anchor and signed export: the newest rows
# deleted together with the database's own seal are reported by `audit
# verify` (and any open) with both ends named; an export verifies, and a
# changed byte or another workspace is refused.
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

export SIREN_PASSPHRASE='anchor test passphrase'
unset SIREN_WORKSPACE SIREN_NEW_PASSPHRASE SIREN_USER_PASSWORD
W="$T_TMP/ws"

cli_init "$W" --kdf interactive
expect_rc 0 "init"
expect_file_has '^rows: 1$' "anchor written at init" "$W/audit.head"
[ "$(stat -c %a "$W/audit.head")" = 600 ] && ok || not_ok "anchor mode"
for i in 1 2 3; do "$SIREN" org add "Org $i" --kind ngo -w "$W" >/dev/null; done
expect_file_has '^rows: 4$' "anchor follows each commit" "$W/audit.head"
SEAL4=$(wsql "$W" "SELECT hex(value) FROM meta WHERE key = 'audit_head'" \
    "SELECT encode(value, 'hex') FROM meta WHERE key = 'audit_head'")
[ -n "$SEAL4" ] && ok || not_ok "the seal of row 4"

run "$SIREN" audit export -w "$W"
expect_rc 0 "export"
expect_out "rows: 4" "export names the last row"
expect_out "public-key: " "export carries its public key"
printf '%s\n' "$OUT" > "$T_TMP/head.txt"
expect_no "Org 1" "export has no names"
run "$SIREN" audit check "$T_TMP/head.txt" -w "$W"
expect_rc 0 "check a fresh export"
expect_out "still holds row 4" "check a fresh export"

for i in 4 5; do "$SIREN" org add "Org $i" --kind ngo -w "$W" >/dev/null; done
run "$SIREN" audit check "$T_TMP/head.txt" -w "$W"
expect_rc 0 "an old export still holds after appends"
sed 's/^rows: 4$/rows: 3/' "$T_TMP/head.txt" > "$T_TMP/edited.txt"
run "$SIREN" audit check "$T_TMP/edited.txt" -w "$W"
expect_rc 1 "an edited export"
expect_err "signature does not verify" "an edited export"

# the attack: rows 5 and 6 deleted, the seal of row 4 put back
ws_copy "$W" "$T_TMP/copy"
wsql "$T_TMP/copy" "DELETE FROM audit WHERE id > 4;
    UPDATE meta SET value = X'$SEAL4' WHERE key = 'audit_head';" \
    "DELETE FROM audit WHERE id > 4;
    UPDATE meta SET value = decode('$SEAL4', 'hex') WHERE key = 'audit_head';"
run "$SIREN" audit verify -w "$T_TMP/copy"
expect_rc 1 "audit verify after the newest rows were removed"
expect_err "behind its anchor: the database ends at row 4 but the anchor records row 6" "audit verify names both ends"
# the same database with its anchor taken away as well opens (the anchor
# is rewritten) and the witness's export is what remains: it still holds
rm "$T_TMP/copy/audit.head"
run "$SIREN" audit verify -w "$T_TMP/copy"
expect_rc 0 "without the anchor file the database alone verifies"
"$SIREN" org add "Org 6" --kind ngo -w "$W" >/dev/null
run "$SIREN" audit export -w "$W"
printf '%s\n' "$OUT" > "$T_TMP/head7.txt"
run "$SIREN" audit check "$T_TMP/head7.txt" -w "$T_TMP/copy"
expect_rc 1 "a witness's later export shows the rollback"
expect_err "behind" "a witness's later export shows the rollback"

# another workspace
cli_init "$T_TMP/other" --kdf interactive
run "$SIREN" audit check "$T_TMP/head.txt" -w "$T_TMP/other"
expect_rc 1 "an export of another workspace"
expect_err "is of workspace" "an export of another workspace"

done_testing audit_anchor_cli
