#!/usr/bin/env bash
# CLI test of the server's log file: with log_file in siren.conf `siren
# serve` writes its lines there (not to stderr); after the file is moved
# away, SIGHUP makes it open a new one at the same path, and new lines go
# there.
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

export SIREN_PASSPHRASE='log file test passphrase'
unset SIREN_WORKSPACE SIREN_NEW_PASSPHRASE SIREN_USER_PASSWORD
W="$T_TMP/ws"
LOG="$T_TMP/siren.log"

cli_init "$W" --kdf interactive
expect_rc 0 "init"
printf 'log_file = %s\n' "$LOG" >> "$W/siren.conf"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$SIREN" serve -w "$W" --listen "127.0.0.1:$PORT" 2>"$T_TMP/stderr" &
SERVER=$!
stop_server() { kill -TERM "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; }
trap 'stop_server; rm -rf "$T_TMP"' EXIT
for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/health" && break
    sleep 0.1
done

curl -s -o /dev/null "http://127.0.0.1:$PORT/health?first"
grep -q 'event=serving' "$LOG" && ok || not_ok "serving line in the log file"
grep -q 'event=request' "$LOG" && ok || not_ok "request line in the log file"
grep -q 'event=' "$T_TMP/stderr" && not_ok "log lines on stderr" || ok
[ "$(stat -c %a "$LOG")" = 600 ] && ok || not_ok "log file mode"

# rotate: move the file away, SIGHUP, the next lines go to a new file
mv "$LOG" "$LOG.1"
kill -HUP "$SERVER"
for _ in $(seq 1 50); do [ -e "$LOG" ] && break; sleep 0.1; done
curl -s -o /dev/null "http://127.0.0.1:$PORT/health?second"
sleep 0.2
[ -e "$LOG" ] && ok || not_ok "SIGHUP opened a new log file"
grep -q 'event=request' "$LOG" 2>/dev/null && ok || not_ok "new lines in the new file"
kill -0 "$SERVER" 2>/dev/null && ok || not_ok "the server still runs after SIGHUP"
n_old=$(grep -c 'event=request' "$LOG.1")
curl -s -o /dev/null "http://127.0.0.1:$PORT/health?third"
sleep 0.2
[ "$(grep -c 'event=request' "$LOG.1")" = "$n_old" ] && ok || not_ok "the old file still grows"

done_testing cli_logfile
