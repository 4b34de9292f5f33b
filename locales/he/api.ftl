# כותרות התשובות problem+json של ה־API, לפי סוג הבעיה.

problem-malformed-body = גוף הבקשה אינו JSON תקין לפעולה הזו.
problem-unauthorized = נדרש אסימון API תקף.
problem-forbidden = התפקיד של האסימון שלך אינו מאפשר את הפעולה הזו.
problem-not-found = לא נמצא.
problem-method-not-allowed = השיטה הזו אינה מותרת כאן.
problem-conflict = השינוי הזה מתנגש במצב הנוכחי.
problem-stale = מישהו אחר שינה את זה בינתיים.
problem-if-match-required = עדכונים דורשים כותרת If-Match.
problem-payload-too-large = גוף הבקשה גדול מדי.
problem-unsupported-media-type = גוף הבקשה חייב להיות application/json.
problem-validation = יש שדות שדורשים תשומת לב.
problem-internal = משהו השתבש אצלנו. כדאי לנסות שוב.
problem-widget-origin-not-allowed = לאתר הזה אין הרשאה לשלוח פניות למוקד התמיכה הזה.
problem-widget-automated = הפנייה נראית אוטומטית ולא התקבלה.
problem-widget-too-fast = הטופס נשלח מהר מדי. יש לבדוק אותו ולשלוח שוב.
problem-widget-expired = תוקף הטופס פג. יש לשלוח אותו שוב.
problem-rate-limited = יותר מדי בקשות. נא להמתין רגע ולנסות שוב.
