#!/usr/bin/env bash
# CLI tests of `siren audit verify` that remembers how far it got: without
# --full it checks only the rows appended since the last verification
# (the count is printed), so a row altered behind that point is found by
# --full alone; a row altered after it is found at once; an altered
# checkpoint is refused, left as it is, and replaced only by a --full that
# finds the chain whole (still failing, saying so); a key rotation carries
# the checkpoint over to the new key.
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

export SIREN_PASSPHRASE='audit verify test passphrase'
unset SIREN_WORKSPACE SIREN_NEW_PASSPHRASE SIREN_USER_PASSWORD SIREN_REKEY_KILL_AFTER
W="$T_TMP/ws"
checkpoint() {
    wsql "$W" "SELECT hex(value) FROM meta WHERE key = 'audit_verified'" \
        "SELECT upper(encode(value, 'hex')) FROM meta WHERE key = 'audit_verified'"
}

cli_init "$W" --kdf interactive
expect_rc 0 "init"
for i in 1 2 3; do "$SIREN" org add "Org $i" --kind ngo -w "$W" >/dev/null; done
[ -z "$(checkpoint)" ] && ok || not_ok "no checkpoint before the first verification"

run "$SIREN" audit verify -w "$W"
expect_rc 0 "first verification"
expect_out "verified: 4 rows (every row checked)" "first verification walks every row"
[ "$(checkpoint | cut -c1-16)" = 0000000000000004 ] && ok || not_ok "checkpoint at row 4: $(checkpoint)"
run "$SIREN" audit verify -w "$W"
expect_out "verified: 4 rows (0 checked now; rows 1 to 4 were checked before" "nothing new: nothing checked"
for i in 4 5; do "$SIREN" org add "Org $i" --kind ngo -w "$W" >/dev/null; done
run "$SIREN" audit verify -w "$W"
expect_rc 0 "after two appends"
expect_out "verified: 6 rows (2 checked now; rows 1 to 4" "only the two new rows"

# an old row altered behind the checkpoint: not seen without --full
sql "$W" "SELECT quote(detail) FROM audit WHERE id = 2" \
    "SELECT quote_literal(detail) FROM audit WHERE id = 2" && OLD2=$SQL
wsql "$W" "UPDATE audit SET detail = 'edited' WHERE id = 2"
run "$SIREN" audit verify -w "$W"
expect_rc 0 "incremental: an old altered row is not read again (by design)"
run "$SIREN" audit verify --full -w "$W"
expect_rc 1 "--full finds the old altered row"
expect_err "audit chain broken at row 2: altered" "--full names the row"
wsql "$W" "UPDATE audit SET detail = $OLD2 WHERE id = 2"
run "$SIREN" audit verify --full -w "$W"
expect_rc 0 "--full after the row was put back"
expect_out "verified: 6 rows (every row checked)" "--full walks every row"

# a new row altered after the checkpoint: found at once
"$SIREN" org add "Org 6" --kind ngo -w "$W" >/dev/null
sql "$W" "SELECT quote(detail) FROM audit WHERE id = 7" \
    "SELECT quote_literal(detail) FROM audit WHERE id = 7" && OLD7=$SQL
wsql "$W" "UPDATE audit SET detail = 'edited' WHERE id = 7"
run "$SIREN" audit verify -w "$W"
expect_rc 1 "incremental finds a new altered row"
expect_err "audit chain broken at row 7: altered" "the new row is named"
wsql "$W" "UPDATE audit SET detail = $OLD7 WHERE id = 7"

# a forged checkpoint (a later row, the MAC kept): refused and kept
GOOD=$(checkpoint)
FORGED="0000000000000063${GOOD:16}"
wsql "$W" "UPDATE meta SET value = X'$FORGED' WHERE key = 'audit_verified'" \
    "UPDATE meta SET value = decode('$FORGED', 'hex') WHERE key = 'audit_verified'"
run "$SIREN" audit verify -w "$W"
expect_rc 1 "a forged checkpoint"
expect_err "checkpoint refused: it was altered" "a forged checkpoint is named"
[ "$(checkpoint)" = "$FORGED" ] && ok || not_ok "a refused checkpoint is not reset quietly"
run "$SIREN" audit verify -w "$W"
expect_rc 1 "a forged checkpoint stays refused"
run "$SIREN" audit verify --full -w "$W"
expect_rc 1 "--full over a forged checkpoint still fails"
expect_err "whole (7 rows), but its verification checkpoint was refused" "--full says the chain is whole"
expect_err "now replaced" "--full replaces it"
run "$SIREN" audit verify -w "$W"
expect_rc 0 "after --full replaced the checkpoint"
expect_out "verified: 7 rows (0 checked now" "the replaced checkpoint is at the end"

# a key rotation re-seals every row and the checkpoint with them
run "$SIREN" rekey -w "$W" --kdf interactive
expect_rc 0 "rekey"
sql "$W" "SELECT count(*) FROM audit" && N=$SQL
run "$SIREN" audit verify -w "$W"
expect_rc 0 "incremental verification after a key rotation"
expect_out "verified: $N rows (" "after a key rotation"
expect_out "were checked before" "the checkpoint came over to the new key"
run "$SIREN" audit verify --full -w "$W"
expect_rc 0 "--full after a key rotation"

done_testing audit_verify_cli
