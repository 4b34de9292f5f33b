# Murojaatlar portali matnlari (oʻzbekcha, lotin yozuvi).

language-name = Oʻzbekcha
language-label = Til

brand = EdgeDesk
skip-to-content = Asosiy mazmunga oʻtish
nav-label = Asosiy
nav-new-request = Yangi murojaat
nav-my-requests = Murojaatlarim
loading = Yuklanmoqda…
load-failed = Murojaatni yuklab boʻlmadi. Internet aloqasini tekshiring va sahifani qayta yuklang.
unknown-org = Bunday tashkilot mavjud emas.

home-lead = Sizga nima kerakligini yozing, qolganini biz hal qilamiz. Murojaatlaringizni shu yerda kuzatishingiz mumkin.

new-request-title = Yangi murojaat
new-request-lead = Barcha maydonlarni toʻldirish shart.
field-requester-name = Ismingiz
field-requester-email = Elektron pochtangiz
field-subject = Mavzu
field-description = Sizga nima kerakligini tasvirlab bering
submit = Murojaatni yuborish
submitting = Yuborilmoqda…
fix-errors = Belgilangan maydonlarni tuzating.
submit-failed = Murojaatingizni yuborib boʻlmadi. Yozganlaringiz yoʻqolmadi: aloqani tekshiring va qayta urinib koʻring.

request-title = Murojaatingiz
reference = Raqami
status = Holati
submitted-at = Yuborilgan
requester = Murojaatchi
no-token = Bu murojaat ushbu brauzerdan yuborilmagan, shuning uchun uning tafsilotlarini bu yerda koʻrsatib boʻlmaydi.
not-found-request = Bu murojaat topilmadi.

status-new = Yangi
status-open = Ochiq
status-pending = Javobingiz kutilmoqda
status-on-hold = Toʻxtatilgan
status-solved = Hal qilindi
status-closed = Yopilgan

my-requests-title = Murojaatlarim
my-requests-empty = Bu brauzerdan hali birorta ham murojaat yubormagansiz.
# Uzbek nouns stay singular after a number: one form serves every count.
my-requests-count = Bu brauzerdan { $count } ta murojaat yuborgansiz.

not-found-title = Sahifa topilmadi
not-found-body = Bu manzilda hech narsa yoʻq.
back-home = Bosh sahifaga qaytish
