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

# expect_not_in_db DIR TEXT LABEL: TEXT is in neither DIR/siren.db nor its
# WAL (when one is left). A missing database or a grep error fails: a scan
# of nothing proves nothing.
expect_not_in_db() {
    local f r n_read=0
    for f in "$1/siren.db" "$1/siren.db-wal"; do
        [ -e "$f" ] || continue
        grep -q -F -- "$2" "$f" && r=0 || r=$?
        case $r in
            0) not_ok "$3: found in ${f##*/}"; return ;;
            1) n_read=$((n_read + 1)) ;;
            *) not_ok "$3: cannot read ${f##*/}"; return ;;
        esac
    done
    [ -e "$1/siren.db" ] && [ "$n_read" -gt 0 ] && ok ||
        not_ok "$3: no database file in $1"
}

done_testing() {
    echo "$1: $T_PASS passed, $T_FAIL failed"
    [ "$T_FAIL" = 0 ]
}
