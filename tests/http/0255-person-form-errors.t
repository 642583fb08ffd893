# the add-person form after a refused submit: every refused field at once,
# in the page's language with its label, and everything typed kept
as t.admin
POST /users
form csrf={csrf}&username=f2.worker&org={org_a}&role=caseworker&password=quiet-river-lantern-88
expect status 303

as f2.worker
POST /cases
form csrf={csrf}&trafficking_status=possible&exploitation=forced_labour
expect status 303
capture CASE Location: /cases/(K-[0-9A-Z]{4}-[0-9A-Z]{4})
POST /lang
form csrf={csrf}&lang=my&next=/dashboard
expect status 303

# three bad fields: the year of birth, the citizenship, the languages
POST /cases/{CASE}/people
form csrf={csrf}&role=witness&name=Aye+Aye+Kept&aliases=Ma+Aye&birth_date=1994-03-12&phone=%2B95+9+555+0101&id_number=12/ABC(N)123456&passport=MB123456&address=Kept+street+5&gender=female&birth_year=3000&age_trafficked=17&citizenship=mm&languages=My!&education=secondary
expect status 400
expect body ဤအကွက်များကို စစ်ဆေးပါ -
expect body <li><a href="#birth_year">မွေးနှစ်</a>: ၁၉၀၀ မှ ၂၁၀၀ အတွင်း ဖြစ်ရမည်။</li>
expect body <li><a href="#citizenship">နိုင်ငံသား</a>: MM ကဲ့သို့ နှစ်လုံးပါ နိုင်ငံကုဒ် ဖြစ်ရမည်။</li>
expect body <li><a href="#languages">
expect body value="3000" aria-invalid="true" aria-describedby="err-birth_year">
expect body <p class="field-error" id="err-citizenship">
expect body <p class="field-error" id="err-languages">
expect nobody birth_year:
expect nobody citizenship:
# what was typed is still there
expect body value="Aye Aye Kept"
expect body value="Ma Aye"
expect body value="1994-03-12"
expect body value="+95 9 555 0101"
expect body value="12/ABC(N)123456"
expect body value="MB123456"
expect body value="Kept street 5"
expect body value="17"
expect body value="mm" aria-invalid="true"
expect body value="My!" aria-invalid="true"
expect body <option value="witness" selected>
expect body <option value="female" selected>
expect body <option value="secondary" selected>
expect nobody id="err-name"

# corrected, the person is added
POST /cases/{CASE}/people
form csrf={csrf}&role=witness&name=Aye+Aye+Kept&birth_date=1994-03-12&passport=MB123456&gender=female&citizenship=MM&languages=my
expect status 303
