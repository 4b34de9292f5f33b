# API problem+json javoblarining sarlavhalari, muammo turi boʻyicha.

problem-malformed-body = Soʻrov tanasi bu amal uchun yaroqli JSON emas.
problem-unauthorized = Yaroqli API tokeni talab qilinadi.
problem-forbidden = Tokeningiz roli bunga ruxsat bermaydi.
problem-not-found = Topilmadi.
problem-method-not-allowed = Bu yerda bu usulga ruxsat yoʻq.
problem-conflict = Bu oʻzgarish joriy holatga zid.
problem-stale = Bu orada kimdir buni oʻzgartirdi.
problem-if-match-required = Yangilash uchun If-Match sarlavhasi kerak.
problem-payload-too-large = Soʻrov tanasi juda katta.
problem-unsupported-media-type = Soʻrov tanasi application/json boʻlishi kerak.
problem-validation = Baʼzi maydonlarni tuzatish kerak.
problem-internal = Bizning tomonimizda xatolik yuz berdi. Qayta urinib koʻring.
problem-widget-origin-not-allowed = Bu saytga ushbu yordam xizmatiga murojaat yuborishga ruxsat berilmagan.
problem-widget-automated = Bu murojaat avtomatik yuborilganga oʻxshaydi va qabul qilinmadi.
problem-widget-too-fast = Shakl juda tez yuborildi. Uni tekshirib, qayta yuboring.
problem-widget-expired = Shaklning muddati tugadi. Uni qayta yuboring.
problem-rate-limited = Juda koʻp soʻrov. Biroz kutib, qayta urinib koʻring.
