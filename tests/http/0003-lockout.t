# six failed sign-ins lock the account for 30 minutes; a locked account
# answers exactly like a wrong password or an unknown name, so the answer
# tells nothing of which accounts exist or are locked
POST /login
form csrf={pre}&username=nobody.here&password=bad-password-0000
expect status 401
capture UNKNOWN id="login-error">([^<]*)<
POST /login
form csrf={pre}&username=t.investigator&password=bad-password-0001
expect status 401
capture WRONG id="login-error">([^<]*)<
expect body id="login-error">{UNKNOWN}<
POST /login
form csrf={pre}&username=t.investigator&password=bad-password-0002
expect status 401
POST /login
form csrf={pre}&username=t.investigator&password=bad-password-0003
expect status 401
POST /login
form csrf={pre}&username=t.investigator&password=bad-password-0004
expect status 401
POST /login
form csrf={pre}&username=t.investigator&password=bad-password-0005
expect status 401
POST /login
form csrf={pre}&username=t.investigator&password=bad-password-0006
expect status 401
# locked: even the right password gets the wrong-password answer
POST /login
form csrf={pre}&username=t.investigator&password=quiet-river-lantern-88
expect status 401
expect body id="login-error">{WRONG}<
expect body Wrong username or password.
expect nobody locked
expect nobody siren_session
clock +1801
POST /login
form csrf={pre}&username=t.investigator&password=quiet-river-lantern-88
expect status 303
