# places in the reader's script and order: a Thai reader sees Thai
# provinces by their Thai names in Thai dictionary order (Krabi, กระบี่,
# then Bangkok, กรุงเทพมหานคร, then กาญจนบุรี, กาฬสินธุ์, กำแพงเพชร),
# the English name beside each; an English reader the English names in
# English order (Amnat Charoen first); a Vietnamese reader Vietnamese
# provinces in the Vietnamese alphabet's order (Đà Nẵng under Đ, after
# Cà Mau and before Hà Nội); other countries' divisions stay in English
as t.hotline
GET /contacts/new
expect status 200
expect body <optgroup label="Thailand"><option value="TH-37">Amnat Charoen - อำนาจเจริญ</option>
expect body <option value="MM-06">Yangon - ရန်ကုန်</option>
POST /lang
form csrf={csrf}&lang=th&next=/contacts/new
expect status 303
GET /contacts/new
expect status 200
expect body <option value="TH-81">กระบี่ - Krabi</option><option value="TH-10">กรุงเทพมหานคร - Krung Thep Maha Nakhon</option><option value="TH-71">กาญจนบุรี - Kanchanaburi</option><option value="TH-46">กาฬสินธุ์ - Kalasin</option><option value="TH-62">กำแพงเพชร - Kamphaeng Phet</option>
expect body <option value="MM-06">Yangon - ရန်ကုန်</option>
expect nobody <option value="TH-37">Amnat Charoen
# a saved contact's province in Thai on the list, in English for English
POST /contacts
form csrf={csrf}&received_at=2026-11-01T10:30&channel=phone&language=my&caller_type=self&category=trafficking&problem_province=TH-90
expect status 303
GET /contacts?province=TH-90
expect status 200
expect body <td>สงขลา</td>
expect nobody <td>Songkhla</td>
POST /lang
form csrf={csrf}&lang=vi&next=/directory
expect status 303
GET /directory
expect status 200
expect body <option value="VN-59">Cà Mau (VN-59)</option>
expect body <option value="VN-DN">Đà Nẵng (VN-DN)</option><option value="VN-33">Đắk Lắk (VN-33)</option><option value="VN-72">Đắk Nông (VN-72)</option><option value="VN-71">Điện Biên (VN-71)</option><option value="VN-39">Đồng Nai (VN-39)</option><option value="VN-45">Đồng Tháp (VN-45)</option><option value="VN-30">Gia Lai (VN-30)</option>
POST /lang
form csrf={csrf}&lang=en&next=/contacts
expect status 303
GET /contacts?province=TH-90
expect status 200
expect body <td>Songkhla</td>
expect nobody <td>สงขลา</td>
