# למה שדה בטופס נדחה, לפי הקוד הקבוע של השגיאה.

field-error-required = זהו שדה חובה.
field-error-too_short =
    { $limit ->
        [one] יש להזין לפחות תו אחד.
        [two] יש להזין לפחות שני תווים.
       *[other] יש להזין לפחות { $limit } תווים.
    }
field-error-too_short-nolimit = הערך קצר מדי.
field-error-too_long =
    { $limit ->
        [one] יש להזין תו אחד לכל היותר.
        [two] יש להזין שני תווים לכל היותר.
       *[other] יש להזין { $limit } תווים לכל היותר.
    }
field-error-too_long-nolimit = הערך ארוך מדי.
field-error-invalid_email = יש להזין כתובת אימייל כמו name@example.com.
field-error-invalid_characters = יש כאן תווים שאינם מותרים בשדה הזה.
field-error-wrong_type = סוג הערך שגוי.
field-error-not_a_number = יש להזין מספר.
field-error-below_minimum = המספר קטן מהמינימום.
field-error-above_maximum = המספר גדול מהמקסימום.
field-error-step_mismatch = המספר אינו אחד מהערכים המותרים.
field-error-invalid_date = יש להזין תאריך כמו 2026-12-31.
field-error-invalid_datetime = יש להזין תאריך ושעה כמו 2026-12-31T14:30.
field-error-invalid_phone = יש להזין מספר טלפון כמו { "\u200E" }+972 50 123 4567.
field-error-not_an_option = יש לבחור אחת מהאפשרויות המוצעות.
field-error-pattern_mismatch = הערך אינו בפורמט הנדרש.
field-error-unknown_field = השדה הזה אינו חלק מהטופס.
field-error-invalid_key = יש להשתמש ב־1 עד 64 אותיות לטיניות קטנות, ספרות וקווים תחתונים, כשהתו הראשון הוא אות.
field-error-duplicate_key = שדה אחר כבר משתמש במפתח הזה.
field-error-unknown_field_type = סוג השדה הזה לא קיים.
field-error-missing_condition_field = התנאי מתייחס לשדה שלא קיים לפני השדה הזה.
field-error-no_options = שדה בחירה צריך לפחות אפשרות אחת.
field-error-duplicate_option = לשתי אפשרויות יש אותו ערך.
field-error-invalid_pattern = התבנית הזו אינה ביטוי רגולרי תקין.
field-error-invalid_bounds = המינימום גדול מהמקסימום.
field-error-invalid_default = ערך ברירת המחדל אינו תקין לשדה הזה.
field-error-invalid_origin = יש להזין מקור אתר כמו https://www.example.com (ללא נתיב).
field-error-not_a_group_member = הנציג הזה אינו חבר בקבוצה של הפנייה: יש לבחור את שניהם יחד.
