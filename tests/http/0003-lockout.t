# six failed sign-ins lock the account for 30 minutes
POST /login
form csrf={pre}&username=t.investigator&password=bad-password-0001
expect status 401
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
POST /login
form csrf={pre}&username=t.investigator&password=quiet-river-lantern-88
expect status 401
expect body This account is locked for 30 minutes
clock +1801
POST /login
form csrf={pre}&username=t.investigator&password=quiet-river-lantern-88
expect status 303
