# tests/cli/lib.sh - helpers for CLI tests (sourced by tests/cli/*.sh).
# Environment: SIREN (path to the binary, default ./siren), SIREN_SHARED
# (the shared reference data, default ../shared). Each script ends with
# `done_testing NAME`, which prints "NAME: N passed, N failed" and exits 1 on
# any failure.
# SPDX-License-Identifier: AGPL-3.0-or-later
SIREN=${SIREN:-./siren}
SIREN_SHARED=${SIREN_SHARED:-../shared}
T_PASS=0
T_FAIL=0
T_TMP=$(mktemp -d)
trap 'rm -rf "$T_TMP"' EXIT

# cli_unlock DIR: keep DIR's key in the session keyring (siren unlock) and
# drop SIREN_PASSPHRASE, so that each later command opens DIR without
# Argon2id (most of a command's time). tools/run-tests runs every script
# in a session keyring of its own (keyctl session -). Where the keyring
# cannot be used the passphrase stays and the commands derive the key as
# before; tests/cli/unlock.sh is the test of unlocking itself.
cli_unlock() {
    if command -v keyctl >/dev/null &&
        "$SIREN" unlock -w "$1" --for 10m >/dev/null 2>&1; then
        unset SIREN_PASSPHRASE
    fi
}
ok() { T_PASS=$((T_PASS + 1)); }
not_ok() { T_FAIL=$((T_FAIL + 1)); echo "FAIL: $*" >&2; }

# run CMD...: runs it, keeping stdout in $OUT, stderr in $ERR, status in $RC
run() {
    OUT=$("$@" 2>"$T_TMP/stderr") && RC=0 || RC=$?
    ERR=$(cat "$T_TMP/stderr")
}
expect_rc() { [ "$RC" = "$1" ] && ok || not_ok "$2: exit $RC, want $1; stderr: $ERR"; }
expect_out() { case "$OUT" in *"$1"*) ok ;; *) not_ok "$2: stdout lacks '$1': $OUT" ;; esac; }
expect_err() { case "$ERR" in *"$1"*) ok ;; *) not_ok "$2: stderr lacks '$1': $ERR" ;; esac; }
expect_no() { case "$OUT$ERR" in *"$1"*) not_ok "$2: output has '$1'" ;; *) ok ;; esac; }

# File checks are strict: a missing or empty file, or grep failing (exit 2),
# is a failure, never a pass.
# expect_file_has PATTERN LABEL FILE: FILE matches the grep PATTERN
expect_file_has() {
    if [ ! -s "$3" ]; then not_ok "$2: $3 is missing or empty"; return; fi
    grep -q -- "$1" "$3"
    case $? in
    0) ok ;;
    1) not_ok "$2: $3 lacks '$1'" ;;
    *) not_ok "$2: grep failed on $3" ;;
    esac
}
# expect_file_lacks PATTERN LABEL FILE [MAYBE...]: no match in FILE (which
# must exist and not be empty) nor in those MAYBE files that exist (a
# database's -wal file may have been checkpointed away)
expect_file_lacks() {
    local pat=$1 label=$2 f=$3 m files
    shift 3
    if [ ! -s "$f" ]; then not_ok "$label: $f is missing or empty"; return; fi
    files=("$f")
    for m in "$@"; do [ -e "$m" ] && files+=("$m"); done
    grep -q -- "$pat" "${files[@]}"
    case $? in
    0) not_ok "$label: '$pat' found in ${files[*]}" ;;
    1) ok ;;
    *) not_ok "$label: grep failed on ${files[*]}" ;;
    esac
}
# db_lacks PATTERN LABEL WORKSPACE: the database file (and its WAL) hold
# no match in clear
db_lacks() { expect_file_lacks "$1" "$2" "$3/siren.db" "$3/siren.db-wal"; }
# sql DB QUERY: sqlite3's output in $SQL; a failure or no output at all
# fails the test (returns 1)
sql() {
    SQL=$(sqlite3 "$1" "$2" 2>"$T_TMP/sql.err") && [ -n "$SQL" ] && return 0
    not_ok "sqlite3 $1 \"$2\" failed or printed nothing: $(cat "$T_TMP/sql.err")"
    return 1
}

done_testing() {
    echo "$1: $T_PASS passed, $T_FAIL failed"
    [ "$T_FAIL" = 0 ]
}
