# an English word used in two senses is translated by its sense (msgctxt):
# Chinese "Code" is 验证码 for the two-step sign-in code, 代码 for a record's code
as t.analyst
POST /lang
form csrf={csrf}&lang=zh&next=/account
expect status 303
POST /account/totp
form csrf={csrf}
expect status 200
expect body <html lang="zh">
expect body <label for="code">验证码</label>
expect nobody <label for="code">代码</label>
as t.hotline
POST /lang
form csrf={csrf}&lang=zh&next=/contacts
expect status 303
GET /contacts
expect status 200
expect body <th scope="col">代码</th>
expect nobody 验证码
# Vietnamese "From" is Từ at the start of a date range, Nơi gửi for the
# organisation that sent a referral
POST /lang
form csrf={csrf}&lang=vi&next=/contacts
expect status 303
GET /contacts
expect status 200
expect body <label for="from">Từ</label>
expect nobody Nơi gửi
as t.partner
POST /lang
form csrf={csrf}&lang=vi&next=/referrals/inbox
expect status 303
GET /referrals/inbox
expect status 200
expect body <th scope="col">Nơi gửi</th>
expect nobody <th scope="col">Từ</th>
# Thai "Active" is อยู่ระหว่างดำเนินการ for a case, ใช้งานอยู่ for an account
as t.admin
POST /lang
form csrf={csrf}&lang=th&next=/users
expect status 303
GET /users
expect status 200
expect body <td>ใช้งานอยู่</td>
expect nobody <td>อยู่ระหว่างดำเนินการ</td>
as t.caseworker
POST /lang
form csrf={csrf}&lang=th&next=/cases
expect status 303
GET /cases
expect status 200
expect body <option value="active">อยู่ระหว่างดำเนินการ</option>
