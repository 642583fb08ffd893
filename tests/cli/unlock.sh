#!/usr/bin/env bash
# CLI test of `siren unlock` and `siren lock`: after an unlock, commands
# on that workspace run with no passphrase anywhere (none in the
# environment, no terminal), many times faster than with one; another
# workspace is not opened by it; an explicit passphrase still wins; the
# key is a possessor-only "user" key named by the workspace id, not its
# path; `siren lock` removes it; `--for 2s` expires; after `siren
# passphrase` or `siren rekey` the stale key is ignored and removed;
# `siren serve` starts without a passphrase while unlocked; a bad DURATION
# is a usage error. The script runs in a session keyring of its own
# (keyctl session -), so no other test or login sees its keys.
# SPDX-License-Identifier: AGPL-3.0-or-later
if [ -z "${SIREN_UNLOCK_SESSION:-}" ]; then
    # keyctl's own message ("Joined session keyring: N") goes to stderr
    if ! command -v keyctl >/dev/null; then
        why="keyctl is not installed (package keyutils: tools/install-deps test)"
    elif ! keyctl session - true 2>/dev/null; then
        why="no session keyring: keyctl session - fails (a kernel or container without keys)"
    else
        SIREN_UNLOCK_SESSION=1 exec keyctl session - bash "$0" "$@"
    fi
    echo "SKIPPED: unlock: $why"
    echo "unlock: 0 passed, 1 failed"
    exit 1
fi
. "$(dirname "$0")/lib.sh"

unset SIREN_WORKSPACE SIREN_PASSPHRASE SIREN_NEW_PASSPHRASE SIREN_USER_PASSWORD
PASS='unlock cli test passphrase'
A="$T_TMP/a"
B="$T_TMP/b"
SIREN_PASSPHRASE=$PASS cli_init "$A" --kdf moderate
expect_rc 0 "init A (moderate cost, the default)"
SIREN_PASSPHRASE=$PASS cli_init "$B" --kdf interactive
expect_rc 0 "init B"
sql "$A" "SELECT value FROM meta WHERE key = 'workspace_id'" \
    "SELECT convert_from(value, 'UTF8') FROM meta WHERE key = 'workspace_id'" && ID_A=$SQL
[[ "$ID_A" =~ ^[0-9a-f]{32}$ ]] && ok || not_ok "A's workspace id: $ID_A"
# key_serial NAME: the serial of the key NAME in the session keyring, or ""
key_serial() { keyctl search @s user "$1" 2>/dev/null || true; }

# ---- refusals: nothing stored --------------------------------------------
for bad in 5x 0s 13h 721m 15 m -5m 1.5h; do
    SIREN_PASSPHRASE=$PASS run "$SIREN" unlock -w "$A" --for "$bad"
    expect_rc 2 "unlock --for $bad"
    expect_err "--for must be a duration" "unlock --for $bad"
done
SIREN_PASSPHRASE='not the passphrase' run "$SIREN" unlock -w "$A"
expect_rc 1 "unlock with a wrong passphrase"
expect_err "wrong passphrase" "unlock with a wrong passphrase"
run "$SIREN" unlock -w "$A" </dev/null
expect_rc 1 "unlock without a passphrase nor a terminal"
expect_err "no passphrase: set SIREN_PASSPHRASE" "unlock without a passphrase"
[ -z "$(key_serial "siren:ws:$ID_A")" ] && ok || not_ok "no key stored by a refused unlock"
run "$SIREN" lock -w "$A"
expect_rc 0 "lock before any unlock"
expect_out "not unlocked" "lock before any unlock"

# ---- timings with the passphrase, before any unlock ----------------------
TIMEFORMAT=%R
WITH=$({ time SIREN_PASSPHRASE=$PASS "$SIREN" user list -w "$A" >/dev/null 2>&1; } 2>&1)

# ---- unlock -----------------------------------------------------------------
SIREN_PASSPHRASE=$PASS run "$SIREN" unlock -w "$A" --for 10m
expect_rc 0 "unlock A"
expect_out "unlocked until 20" "unlock A says when it expires"
expect_no "$A" "unlock A: no path printed"
KEY=$(key_serial "siren:ws:$ID_A")
[ -n "$KEY" ] && ok || not_ok "a key named by A's id in the session keyring"
# user;UID;GID;PERM;DESCRIPTION: possessor view, read, write, search,
# link, setattr (3f); nothing for the user, group or others (000000)
DESC=$(keyctl rdescribe "$KEY" 2>&1)
case $DESC in user\;*\;*\;3f000000\;siren:ws:$ID_A) ok ;; *) not_ok "key type, permissions, name: $DESC" ;; esac
case "$(keyctl show @s)" in *"$T_TMP"*) not_ok "the keyring names the path" ;; *) ok ;; esac
[ "$(keyctl pipe "$KEY" | wc -c)" = 32 ] && ok || not_ok "the key is 32 bytes"
keyctl pipe "$KEY" | grep -qaF "$PASS" && not_ok "the passphrase is in the key" || ok
# a command with no passphrase anywhere and no terminal opens A
run "$SIREN" user list -w "$A" </dev/null
expect_rc 0 "user list on A, unlocked"
expect_out "USERNAME" "user list on A, unlocked"
SIREN_WORKSPACE=$A run "$SIREN" audit verify </dev/null
expect_rc 0 "audit verify on A (SIREN_WORKSPACE), unlocked"
UNLOCKED=$({ time "$SIREN" user list -w "$A" >/dev/null 2>&1 </dev/null || echo failed; } 2>&1)
echo "user list: ${WITH} s with the passphrase, ${UNLOCKED} s unlocked"
[[ "$WITH $UNLOCKED" =~ ^[0-9.]+\ [0-9.]+$ ]] &&
    awk -v w="$WITH" -v u="$UNLOCKED" 'BEGIN { exit !(u * 4 < w) }' && ok ||
    not_ok "unlocked user list (${UNLOCKED} s) not 4 times faster than with the passphrase (${WITH} s)"
# another workspace is not opened by it
run "$SIREN" user list -w "$B" </dev/null
expect_rc 1 "user list on B with A unlocked"
expect_err "no passphrase: set SIREN_PASSPHRASE" "user list on B with A unlocked"
# an explicit passphrase wins over the key: a wrong one is refused
SIREN_PASSPHRASE='not the passphrase' run "$SIREN" user list -w "$A"
expect_rc 1 "a wrong SIREN_PASSPHRASE with A unlocked"
expect_err "wrong passphrase" "a wrong SIREN_PASSPHRASE with A unlocked"
printf 'not the passphrase\n' >"$T_TMP/wrong"
run "$SIREN" user list -w "$A" --passphrase-file "$T_TMP/wrong"
expect_rc 1 "a wrong --passphrase-file with A unlocked"
expect_err "wrong passphrase" "a wrong --passphrase-file with A unlocked"
# changing the passphrase needs the current one, unlocked or not
run "$SIREN" passphrase -w "$A" </dev/null
expect_rc 1 "siren passphrase unlocked, no passphrase"
expect_err "no passphrase: set SIREN_PASSPHRASE" "siren passphrase unlocked, no passphrase"

# ---- lock -------------------------------------------------------------------
run "$SIREN" lock -w "$A"
expect_rc 0 "lock A"
expect_out "locked: the key of this workspace is removed" "lock A"
[ -z "$(key_serial "siren:ws:$ID_A")" ] && ok || not_ok "no key of A after lock"
run "$SIREN" user list -w "$A" </dev/null
expect_rc 1 "user list on A after lock"
expect_err "no passphrase: set SIREN_PASSPHRASE, use --passphrase-file F or run on a terminal" "user list on A after lock"
run "$SIREN" lock -w "$A"
expect_rc 0 "lock A again"
expect_out "not unlocked" "lock A again"

# ---- --for 2s expires -------------------------------------------------------
SIREN_PASSPHRASE=$PASS run "$SIREN" unlock -w "$A" --for 2s
expect_rc 0 "unlock A --for 2s"
run "$SIREN" user list -w "$A" </dev/null
expect_rc 0 "user list on A within 2 s"
sleep 3
run "$SIREN" user list -w "$A" </dev/null
expect_rc 1 "user list on A after 2 s"
expect_err "no passphrase: set SIREN_PASSPHRASE" "user list on A after 2 s"

# ---- a new passphrase makes the kept key stale -------------------------------
SIREN_PASSPHRASE=$PASS run "$SIREN" unlock -w "$A" --for 10m
expect_rc 0 "unlock A again"
SIREN_PASSPHRASE=$PASS SIREN_NEW_PASSPHRASE='the new unlock test passphrase' \
    run "$SIREN" passphrase -w "$A" --kdf interactive
expect_rc 0 "passphrase changed"
[ -n "$(key_serial "siren:ws:$ID_A")" ] && ok || not_ok "the stale key is still there before use"
run "$SIREN" user list -w "$A" </dev/null
expect_rc 1 "user list with the stale key"
expect_err "no longer opens this workspace" "user list with the stale key"
expect_err "no passphrase: set SIREN_PASSPHRASE" "user list with the stale key"
[ -z "$(key_serial "siren:ws:$ID_A")" ] && ok || not_ok "the stale key removed"
NEW='the new unlock test passphrase'
SIREN_PASSPHRASE=$NEW run "$SIREN" user list -w "$A"
expect_rc 0 "the new passphrase opens A"

# ---- siren serve starts unlocked; a rekey makes the key stale too ----------
SIREN_PASSPHRASE=$NEW run "$SIREN" unlock -w "$A" --for 10m
expect_rc 0 "unlock A with the new passphrase"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$SIREN" serve -w "$A" --listen "127.0.0.1:$PORT" </dev/null 2>"$T_TMP/serve.err" &
SERVER=$!
trap 'kill -TERM "$SERVER" 2>/dev/null; rm -rf "$T_TMP"' EXIT
HEALTH=""
for _ in $(seq 1 100); do
    HEALTH=$(curl -s "http://127.0.0.1:$PORT/health") && break
    sleep 0.1
done
[ -n "$HEALTH" ] && ok || not_ok "siren serve unlocked, no passphrase: $(cat "$T_TMP/serve.err")"
kill -TERM "$SERVER" 2>/dev/null
wait "$SERVER" 2>/dev/null
SIREN_PASSPHRASE=$NEW run "$SIREN" rekey -w "$A" --kdf interactive
expect_rc 0 "rekey A"
run "$SIREN" user list -w "$A" </dev/null
expect_rc 1 "user list with the key from before the rekey"
expect_err "no longer opens this workspace" "user list with the key from before the rekey"
[ -z "$(key_serial "siren:ws:$ID_A")" ] && ok || not_ok "the key from before the rekey removed"

done_testing unlock
