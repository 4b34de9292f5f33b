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

# The service catalog on the organisation's start page.
catalog-title = Sizga nima kerak?
catalog-search-label = Katalogdan qidirish
catalog-results = { $count } ta xizmat topildi.
catalog-empty = Katalogda hali hech narsa yoʻq.
catalog-no-match = Qidiruvingizga mos xizmat topilmadi. Boshqa soʻzlar bilan urinib koʻring.
catalog-free-form = Kerakli narsani topa olmadingizmi?
catalog-free-form-link = Oʻz soʻzlaringiz bilan tasvirlab bering

# A catalog item's request form. `optional-mark` follows the label of a field that may stay empty.
back-to-catalog = Katalogga qaytish
catalog-item-not-found = Bu xizmat mavjud emas
catalog-item-not-found-body = Ehtimol, u olib tashlangan. Katalogdan boshqa xizmatni tanlang yoki kerakli narsani oʻz soʻzlaringiz bilan tasvirlab bering.
catalog-item-withdrawn = Siz toʻldirayotgan paytda bu xizmat olib tashlandi. Bu yerda yozganlaringiz yoʻqolmadi: ularni yangi murojaatga koʻchirishingiz mumkin.
catalog-form-changed = Siz ochganingizdan beri bu shakl oʻzgardi. Yangi versiyani olish uchun sahifani qayta yuklang; yozganlaringiz saqlanib qoladi.
catalog-form-lead = (ixtiyoriy) deb belgilangan maydonlarni boʻsh qoldirish mumkin.
optional-mark = (ixtiyoriy)
field-details = Bilishimiz kerak boʻlgan yana biror narsa bormi?
choose-option = Tanlang…
impact-high = Yuqori: butun jamoa yoki koʻp odam
impact-medium = Oʻrta: bir necha kishi
impact-low = Past: faqat men
urgency-high = Yuqori: ish toʻxtab qolgan
urgency-medium = Oʻrta: ish sekinlashgan
urgency-low = Past: kutishi mumkin
answer-yes = Ha
answer-no = Yoʻq

# The answers on the request page.
request-item = Katalogdagi xizmat
request-answers = Javoblaringiz

# The request page: what the desk promised, the public conversation, and the reply form.
promises-title = Nimani kutish mumkin
promise-due-first-response = Birinchi javob muddati
promise-due-next-response = Navbatdagi javob muddati
promise-due-resolution = Hal qilish muddati
promise-first-response = Birinchi javob
promise-next-response = Navbatdagi javob
promise-resolution = Hal qilish
promise-paused = Javobingizni kutayotganimiz uchun toʻxtatilgan
promise-on-track = Oʻz vaqtida
promise-late = Kechikmoqda
timeline-title = Yozishmalar
timeline-submitted = Murojaatni yubordingiz
timeline-agent-reply = Qoʻllab-quvvatlash xizmati javob berdi
timeline-requester-reply = Siz javob berdingiz
timeline-status-new = Holati oʻzgardi: Yangi
timeline-status-open = Holati oʻzgardi: Ochiq
timeline-status-pending = Holati oʻzgardi: Javobingiz kutilmoqda
timeline-status-on-hold = Holati oʻzgardi: Toʻxtatilgan
timeline-status-solved = Holati oʻzgardi: Hal qilindi
timeline-status-closed = Holati oʻzgardi: Yopilgan
timeline-load-failed = Yozishmalarni yuklab boʻlmadi. Aloqani tekshiring va qayta urinib koʻring.
retry = Qayta urinish
reply-title = Javob
field-reply = Javobingiz
reply-send = Javobni yuborish
reply-sending = Yuborilmoqda…
reply-sent = Javobingiz yuborildi.
reply-failed = Javobingizni yuborib boʻlmadi. Yozganlaringiz yoʻqolmadi: aloqani tekshiring va qayta urinib koʻring.
reply-closed = Bu murojaat yopilgan. Quyida yozsangiz, xabaringiz shu murojaatga bogʻlangan yangi murojaatni boshlaydi.
reply-follow-up = Xabaringiz yangi murojaatni boshladi:
