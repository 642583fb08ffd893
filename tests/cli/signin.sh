#!/usr/bin/env bash
# CLI tests of sign-in lockout: six wrong passwords over HTTP lock an
# account; 'siren user list' shows it locked, the server logs it at warn;
# 'siren user unlock' ends it at once (audited); a bad siren.conf limit
# stops the server naming the line.
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

export SIREN_PASSPHRASE='signin test passphrase'
unset SIREN_WORKSPACE SIREN_NEW_PASSPHRASE SIREN_USER_PASSWORD
W="$T_TMP/ws"
PW='violet-harbour-kettle-47'

cli_init "$W" --kdf interactive
expect_rc 0 "init"
run "$SIREN" org add "Test Hotline" --kind hotline --country TH -w "$W"
ORG=$OUT
SIREN_USER_PASSWORD=$PW run "$SIREN" user add anna.k --org "$ORG" \
    --role hotline -w "$W"
expect_rc 0 "user add"

run "$SIREN" user list -w "$W"
expect_out "LOCKED" "user list has a LOCKED column"
expect_no "until 20" "nobody locked yet"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$SIREN" serve -w "$W" --listen "127.0.0.1:$PORT" 2>"$T_TMP/serve.log" &
SERVER=$!
stop_server() { kill -TERM "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; }
trap 'stop_server; rm -rf "$T_TMP"' EXIT
for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/health" && break
    sleep 0.1
done

# sign_in PASSWORD: prints the HTTP status of POST /login for anna.k
sign_in() {
    local jar="$T_TMP/jar" csrf
    csrf=$(curl -s -c "$jar" "http://127.0.0.1:$PORT/login" |
        sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
    curl -s -o /dev/null -w '%{http_code}' -b "$jar" \
        --data-urlencode "csrf=$csrf" --data-urlencode "username=anna.k" \
        --data-urlencode "password=$1" "http://127.0.0.1:$PORT/login"
}

codes=""
for i in 1 2 3 4 5 6; do
    codes="$codes $(sign_in "wrong-password-$i")"
done
[ "$codes" = " 401 401 401 401 401 401" ] && ok || not_ok "six wrong: $codes"
[ "$(sign_in "$PW")" = 401 ] && ok || not_ok "locked: the right password passes"
grep -q 'level=warn event=account_locked user_id=' "$T_TMP/serve.log" &&
    ok || not_ok "no warn line for the lock: $(cat "$T_TMP/serve.log")"
grep -q 'anna' "$T_TMP/serve.log" && not_ok "a username in the log" || ok

run "$SIREN" user list -w "$W"
expect_out "until 20" "user list shows the lock"
run "$SIREN" audit list --action auth.locked -w "$W"
expect_out "auth.locked" "the lock is in the audit"

run "$SIREN" user unlock ghost.user -w "$W"
expect_rc 1 "unlock an unknown user"
run "$SIREN" user unlock -w "$W"
expect_rc 2 "unlock without a name"
run "$SIREN" user unlock anna.k -w "$W"
expect_rc 0 "unlock"
expect_out "anna.k unlocked" "unlock"
run "$SIREN" user list -w "$W"
expect_no "until 20" "unlocked in the list"
run "$SIREN" audit list --action user.unlock -w "$W"
expect_out "user.unlock" "unlock audited"
[ "$(sign_in "$PW")" = 303 ] && ok || not_ok "signs in after unlock"

# an administrator enrols a second factor at the first sign-in (the code
# computed here with python's hmac from the key the page shows); 'siren
# user totp-reset' removes it (audited), and the next sign-in enrols again
SIREN_USER_PASSWORD=$PW run "$SIREN" user add boss.a --org "$ORG" \
    --role admin -w "$W"
expect_rc 0 "add an administrator"
admin_password_step() {
    local csrf
    csrf=$(curl -s -c "$T_TMP/jar2" "http://127.0.0.1:$PORT/login" |
        sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
    curl -s -b "$T_TMP/jar2" -c "$T_TMP/jar2" --data-urlencode "csrf=$csrf" \
        --data-urlencode "username=boss.a" --data-urlencode "password=$PW" \
        "http://127.0.0.1:$PORT/login" >"$T_TMP/step.html"
}
admin_password_step
grep -q 'id="totp-secret"' "$T_TMP/step.html" && ok ||
    not_ok "an administrator's first sign-in shows the enrolment"
field() { sed -n "s/.*name=\"$1\" value=\"\([^\"]*\)\".*/\1/p" "$T_TMP/step.html" | head -n 1; }
SECRET=$(field secret)
CODE=$(python3 -c 'import base64, hashlib, hmac, struct, sys, time
k = base64.b32decode(sys.argv[1])
m = hmac.new(k, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
o = m[-1] & 15
print("%06d" % ((struct.unpack(">I", m[o:o + 4])[0] & 0x7fffffff) % 1000000))' "$SECRET")
status=$(curl -s -o /dev/null -w '%{http_code}' -b "$T_TMP/jar2" \
    --data-urlencode "csrf=$(field csrf)" --data-urlencode "pending=$(field pending)" \
    --data-urlencode "secret=$SECRET" --data-urlencode "code=$CODE" \
    "http://127.0.0.1:$PORT/login/enrol")
[ "$status" = 200 ] && ok || not_ok "enrolment with a code: $status"
admin_password_step
grep -q 'action="/login/code"' "$T_TMP/step.html" && ok ||
    not_ok "an enrolled administrator is asked for a code"
run "$SIREN" user totp-reset ghost.user -w "$W"
expect_rc 1 "totp-reset of an unknown user"
run "$SIREN" user totp-reset -w "$W"
expect_rc 2 "totp-reset without a name"
run "$SIREN" user totp-reset anna.k -w "$W"
expect_rc 1 "totp-reset of a user without a second factor"
run "$SIREN" user totp-reset boss.a -w "$W"
expect_rc 0 "totp-reset"
run "$SIREN" audit list --action user.totp_reset -w "$W"
expect_out "user.totp_reset" "totp-reset audited"
expect_no "$SECRET" "no secret in the audit"
admin_password_step
grep -q 'id="totp-secret"' "$T_TMP/step.html" && ok ||
    not_ok "after the reset the administrator enrols again"
stop_server

# a bad limit in siren.conf stops the server, naming the line
echo "signin_address_per_minute = lots" >>"$W/siren.conf"
run "$SIREN" serve -w "$W" --listen "127.0.0.1:$PORT"
expect_rc 1 "bad siren.conf limit"
expect_err "signin_address_per_minute" "bad limit named"

done_testing cli_signin
