# טקסטי פורטל הפניות (עברית).

language-name = עברית
language-label = שפה

brand = EdgeDesk
skip-to-content = דילוג לתוכן
nav-label = ראשי
nav-new-request = פנייה חדשה
nav-my-requests = הפניות שלי
loading = בטעינה…
load-failed = לא ניתן היה לטעון את הפנייה. כדאי לבדוק את החיבור ולטעון את הדף מחדש.
unknown-org = הארגון הזה לא קיים.

home-lead = ספרו לנו מה אתם צריכים ואנחנו נטפל בזה מכאן. כאן אפשר לעקוב אחרי הפניות שלכם.

new-request-title = פנייה חדשה
new-request-lead = כל השדות הם שדות חובה.
field-requester-name = השם שלך
field-requester-email = כתובת האימייל שלך
field-subject = נושא
field-description = מה צריך?
submit = שליחת הפנייה
submitting = בשליחה…
fix-errors = יש לתקן את השדות המסומנים.
submit-failed = לא ניתן היה לשלוח את הפנייה. שום דבר ממה שהקלדת לא אבד: כדאי לבדוק את החיבור ולנסות שוב.

request-title = הפנייה שלך
reference = מספר פנייה
status = סטטוס
submitted-at = נשלחה
requester = פונה
no-token = הפנייה הזו לא נשלחה מהדפדפן הזה, ולכן אי אפשר להציג כאן את פרטיה.
not-found-request = לא מצאנו את הפנייה הזו.

status-new = חדשה
status-open = פתוחה
status-pending = ממתינה לתגובתך
status-on-hold = בהמתנה
status-solved = נפתרה
status-closed = סגורה

my-requests-title = הפניות שלי
my-requests-empty = עדיין לא שלחת פניות מהדפדפן הזה.
my-requests-count =
    { $count ->
        [one] שלחת פנייה אחת מהדפדפן הזה.
        [two] שלחת שתי פניות מהדפדפן הזה.
       *[other] שלחת { $count } פניות מהדפדפן הזה.
    }

not-found-title = הדף לא נמצא
not-found-body = אין כלום בכתובת הזו.
back-home = חזרה לדף הפתיחה
