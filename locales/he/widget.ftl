# The embeddable request widget's own texts; it also uses the portal's form texts. The worker
# renders both for the widget's locale (`GET /api/v1/orgs/{org}/widget`); the widget fills in
# `{reference}` itself.

widget-launcher = קבלת עזרה
widget-title = שליחת פנייה
widget-close = סגירה
widget-sent = תודה! הפנייה שלך { $reference } התקבלה.
widget-new = שליחת פנייה נוספת
widget-saved-offline = נראה שאין חיבור לרשת. הפנייה נשמרה במכשיר הזה ותישלח כשהחיבור יחזור.
widget-unavailable = לא ניתן להתחבר למוקד התמיכה. יש לנסות שוב מאוחר יותר.
