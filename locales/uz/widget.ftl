# The embeddable request widget's own texts; it also uses the portal's form texts. The worker
# renders both for the widget's locale (`GET /api/v1/orgs/{org}/widget`); the widget fills in
# `{reference}` itself.

widget-launcher = Yordam
widget-title = Bizga murojaat yuboring
widget-close = Yopish
widget-sent = Rahmat! Sizning { $reference } murojaatingiz qabul qilindi.
widget-new = Yana murojaat yuborish
widget-saved-offline = Internet aloqasi yoʻqqa oʻxshaydi. Murojaatingiz shu qurilmada saqlandi va aloqa tiklanganda yuboriladi.
widget-unavailable = Yordam xizmatiga ulanib boʻlmadi. Keyinroq qayta urinib koʻring.
