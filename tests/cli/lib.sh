# tests/cli/lib.sh - helpers for CLI tests (sourced by tests/cli/*.sh).
# Environment: SIREN (path to the binary, default ./siren), SIREN_SHARED
# (the shared reference data, default ../shared), SIREN_TEST_STORE (the
# store, below). Each script ends with `done_testing NAME`, which prints
# "NAME: N passed, N failed" and exits 1 on any failure.
#
# The store: with SIREN_TEST_STORE unset the workspaces a script makes
# (cli_init, cli_demo) keep their tables in siren.db; with it holding a
# PostgreSQL server's address (tests/pg/cluster server DIR, as
# tools/run-tests sets it for the "pg cli" jobs) each workspace gets a new
# database of its own on that server. Either way cli_init checks that the
# workspace is on the store asked for, and on PostgreSQL done_testing
# fails a script that made no workspace there. Queries of a workspace's
# tables go through wsql/sql (sqlite3 or psql), its clear-text checks
# through db_lacks (the file, or a pg_dump). Scripts that are not run on
# PostgreSQL are listed with their reason in tests/pg/not-on-pg.
# SPDX-License-Identifier: AGPL-3.0-or-later
SIREN=${SIREN:-./siren}
SIREN_SHARED=${SIREN_SHARED:-../shared}
T_PASS=0
T_FAIL=0
T_TMP=$(mktemp -d)
trap 'rm -rf "$T_TMP"' EXIT
T_PG_MADE=0 # workspaces made and found on PostgreSQL
if [ -n "${SIREN_TEST_STORE:-}" ]; then
    STORE=postgresql
    case $SIREN_TEST_STORE in
    postgresql://* | postgres://*) ;;
    *)
        echo "lib.sh: SIREN_TEST_STORE is not a postgresql:// address" >&2
        exit 2
        ;;
    esac
else
    STORE=sqlite
fi
on_pg() { [ "$STORE" = postgresql ]; }

# pg_url DB: the address of database DB on SIREN_TEST_STORE's server (the
# server's address with DB in place of the database it names, if any)
pg_url() {
    local rest=${SIREN_TEST_STORE#*://} auth query=""
    auth=${rest%%[/?]*}
    case $rest in *\?*) query="?${rest#*\?}" ;; esac
    echo "${SIREN_TEST_STORE%%://*}://$auth/$1$query"
}
# pg URL SQL: psql's unaligned rows of SQL on database URL; stops at the
# first error
pg() { PGOPTIONS="-c client_min_messages=warning" psql "$1" -qAtX -v ON_ERROR_STOP=1 -c "$2"; }
# ws_url WS: the postgresql:// address WS's siren.conf names ("" if none)
ws_url() { sed -n 's/^store = //p' "$1/siren.conf" 2>/dev/null; }
T_PG_N=0
T_PG_URLS=() # the databases pg_new made
# pg_new [TEMPLATE]: a new database on SIREN_TEST_STORE's server, empty
# (UTF-8, sorted by bytes, as SIREN wants) or a copy of database TEMPLATE,
# named from the script, its pid and a counter; its name in PG_NEW_DB, its
# address in PG_NEW
pg_new() {
    local how="TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"
    [ -n "${1:-}" ] && how="TEMPLATE \"$1\""
    T_PG_N=$((T_PG_N + 1))
    PG_NEW_DB=cli_$(basename "$0" .sh | tr -c 'a-z0-9\n' _)_$$_$T_PG_N
    pg "$(pg_url postgres)" "CREATE DATABASE \"$PG_NEW_DB\" $how" ||
        { echo "lib.sh: cannot make a database on $SIREN_TEST_STORE" >&2; exit 2; }
    PG_NEW=$(pg_url "$PG_NEW_DB")
    T_PG_URLS+=("$PG_NEW")
}

# cli_init DIR ARGS...: run "$SIREN" init DIR ARGS... (as `run` does) on
# the store the test runs on; when it succeeds, expect_store DIR
cli_init() { cli_make init "$@"; }
# cli_demo DIR ARGS...: the same for "$SIREN" demo DIR ARGS...
cli_demo() { cli_make demo "$@"; }
cli_make() {
    local cmd=$1 dir=$2 store=()
    shift 2
    if on_pg; then
        pg_new
        store=(--store "$PG_NEW")
    fi
    run "$SIREN" "$cmd" "$dir" "$@" "${store[@]}"
    if [ "$RC" = 0 ]; then
        local out=$OUT err=$ERR
        expect_store "$dir"
        OUT=$out ERR=$err RC=0
    fi
}
# expect_store WS: WS's tables are where the test's store says, seen from
# outside SIREN: on SQLite siren.db is there and siren.conf names no store;
# on PostgreSQL siren.conf names a database of the server, which holds
# WS's audit chain (counted over a connection of our own), and there is no
# siren.db
expect_store() {
    local url n
    url=$(ws_url "$1")
    if ! on_pg; then
        [ -s "$1/siren.db" ] && [ -z "$url" ] && ok ||
            not_ok "$1 is not on SQLite (store '$url')"
        return
    fi
    local made=0 u
    for u in "${T_PG_URLS[@]}"; do [ "$u" = "$url" ] && made=1; done
    n=$([ "$made" = 1 ] && pg "$url" "SELECT count(*) FROM audit" 2>"$T_TMP/store.err")
    if [ "$made" = 1 ] && [ ! -e "$1/siren.db" ] && [ "$n" -ge 1 ] 2>/dev/null; then
        ok
        T_PG_MADE=$((T_PG_MADE + 1))
    else
        not_ok "$1 is not on PostgreSQL as SIREN_TEST_STORE asks (store '$url', audit rows: $n)"
    fi
}
# ws_copy SRC DST: a copy of workspace SRC at DST, its tables too (on
# PostgreSQL a new database made from SRC's, named in DST's siren.conf);
# no command may be using SRC
ws_copy() {
    cp -r "$1" "$2" || { not_ok "cp -r $1 $2"; return 1; }
    on_pg || return 0
    local src
    src=$(ws_url "$1")
    src=${src%%\?*}
    pg_new "${src##*/}"
    sed -i "s|^store = .*|store = ${PG_NEW//&/\\&}|" "$2/siren.conf"
    expect_store "$2"
}

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
# pg_rows WS: every row of WS's database on PostgreSQL, as pg_dump
# --data-only writes them (less the key of its \restrict lines, which
# differs from one dump to the next)
pg_rows() {
    pg_dump --data-only -d "$(ws_url "$1")" -f "$T_TMP/pg_rows.sql" \
        2>"$T_TMP/pg_dump.err" || return 1
    grep -v '^\\\(un\)\?restrict ' "$T_TMP/pg_rows.sql"
}
# db_lacks PATTERN LABEL WORKSPACE: the workspace's tables hold no match
# in clear: on SQLite the database file (and its WAL); on PostgreSQL a
# pg_dump of its database, where a byte string shows as hex, so the
# pattern's hex is looked for too
db_lacks() {
    if ! on_pg; then
        expect_file_lacks "$1" "$2" "$3/siren.db" "$3/siren.db-wal"
        return
    fi
    local dump=$T_TMP/db_lacks.sql hex
    pg_rows "$3" >"$dump" ||
        { not_ok "$2: pg_dump failed: $(cat "$T_TMP/pg_dump.err")"; return; }
    expect_file_lacks "$1" "$2" "$dump"
    hex=$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')
    expect_file_lacks "$hex" "$2 (as hex)" "$dump"
}
# wsql WS QUERY [PG_QUERY]: the rows of QUERY on WS's tables, columns
# separated by '|' (sqlite3 on siren.db, or psql); PG_QUERY instead on
# PostgreSQL where the two must differ
wsql() {
    if on_pg; then
        pg "$(ws_url "$1")" "${3:-$2}"
    else
        sqlite3 "$1/siren.db" "$2"
    fi
}
# lite FILE ARGS...: sqlite3 on an SQLite file that is no workspace's
# store on the server (a restored copy, a .backup of siren.db), in a part
# of a script that runs on SQLite alone; on PostgreSQL it fails the test
lite() {
    if on_pg; then
        not_ok "lite $1: an SQLite file in a PostgreSQL run"
        return 1
    fi
    sqlite3 "$@"
}
# sql WS QUERY [PG_QUERY]: wsql's output in $SQL; a failure or no output
# at all fails the test (returns 1)
sql() {
    SQL=$(wsql "$@" 2>"$T_TMP/sql.err") && [ -n "$SQL" ] && return 0
    not_ok "query on $1's tables \"${3:-$2}\" failed or printed nothing: $(cat "$T_TMP/sql.err")"
    return 1
}

done_testing() {
    if on_pg && [ "$T_PG_MADE" = 0 ]; then
        not_ok "no workspace was made on PostgreSQL (SIREN_TEST_STORE)"
    fi
    echo "$1: $T_PASS passed, $T_FAIL failed"
    [ "$T_FAIL" = 0 ]
}
