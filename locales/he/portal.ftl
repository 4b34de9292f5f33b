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

# The service catalog on the organisation's start page.
catalog-title = במה אפשר לעזור?
catalog-search-label = חיפוש בקטלוג
catalog-results =
    { $count ->
        [one] נמצא פריט אחד.
        [two] נמצאו שני פריטים.
       *[other] נמצאו { $count } פריטים.
    }
catalog-empty = עדיין אין כלום בקטלוג.
catalog-no-match = אין בקטלוג פריט שמתאים לחיפוש. כדאי לנסות מילים אחרות.
catalog-free-form = לא מצאת את מה שחיפשת?
catalog-free-form-link = אפשר לתאר את זה במילים שלך

# A catalog item's request form. `optional-mark` follows the label of a field that may stay empty.
back-to-catalog = חזרה לקטלוג
catalog-item-not-found = פריט הקטלוג הזה אינו זמין
catalog-item-not-found-body = ייתכן שהוא הוסר. אפשר לבחור פריט אחר בקטלוג, או לתאר את מה שצריך במילים שלך.
catalog-item-withdrawn = פריט הקטלוג הזה הוסר בזמן שמילאת אותו. שום דבר ממה שהקלדת כאן לא אבד: אפשר להעתיק אותו לפנייה חדשה.
catalog-form-changed = הטופס הזה השתנה מאז שנפתח. יש לטעון את הדף מחדש כדי לקבל את הגרסה החדשה; מה שהקלדת יישמר.
catalog-form-lead = שדות שמסומנים (לא חובה) אפשר להשאיר ריקים.
optional-mark = (לא חובה)
field-details = יש עוד משהו שכדאי שנדע?
choose-option = בחירה…
impact-high = גבוהה: צוות שלם או אנשים רבים
impact-medium = בינונית: כמה אנשים
impact-low = נמוכה: רק אני
urgency-high = גבוהה: העבודה נעצרה
urgency-medium = בינונית: העבודה מואטת
urgency-low = נמוכה: זה יכול לחכות
answer-yes = כן
answer-no = לא

# The answers on the request page.
request-item = פריט קטלוג
request-answers = התשובות שלך

# The request page: what the desk promised, the public conversation, and the reply form.
promises-title = מה צפוי
promise-due-first-response = מענה ראשון צפוי עד
promise-due-next-response = המענה הבא צפוי עד
promise-due-resolution = פתרון צפוי עד
promise-first-response = מענה ראשון
promise-next-response = המענה הבא
promise-resolution = פתרון
promise-paused = מושהה עד שנקבל את תגובתך
promise-on-track = בזמן
promise-late = באיחור
timeline-title = התכתבות
timeline-submitted = שלחת את הפנייה
timeline-agent-reply = צוות התמיכה השיב
timeline-requester-reply = השבת
timeline-status-new = הפנייה סומנה כחדשה
timeline-status-open = הפנייה נפתחה לטיפול
timeline-status-pending = הפנייה ממתינה לתגובתך
timeline-status-on-hold = הפנייה הועברה להמתנה
timeline-status-solved = הפנייה סומנה כנפתרה
timeline-status-closed = הפנייה נסגרה
timeline-load-failed = לא ניתן היה לטעון את ההתכתבות. כדאי לבדוק את החיבור ולנסות שוב.
retry = לנסות שוב
reply-title = תגובה
field-reply = התגובה שלך
reply-send = שליחת התגובה
reply-sending = בשליחה…
reply-sent = התגובה שלך נשלחה.
reply-failed = לא ניתן היה לשלוח את התגובה. שום דבר ממה שהקלדת לא אבד: כדאי לבדוק את החיבור ולנסות שוב.
reply-closed = הפנייה הזו סגורה. הודעה שתיכתב כאן למטה תפתח פנייה חדשה שמקושרת לזו.
reply-follow-up = ההודעה פתחה פנייה חדשה:
