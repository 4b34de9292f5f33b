# Tytuły odpowiedzi problem+json API, według typu problemu.

problem-malformed-body = Treść żądania nie jest poprawnym JSON-em dla tej operacji.
problem-unauthorized = Wymagany jest ważny token API.
problem-forbidden = Rola Twojego tokenu na to nie pozwala.
problem-not-found = Nie znaleziono.
problem-method-not-allowed = Ta metoda nie jest tu dozwolona.
problem-conflict = Ta zmiana jest sprzeczna z bieżącym stanem.
problem-stale = W międzyczasie ktoś inny to zmienił.
problem-if-match-required = Zmiany wymagają nagłówka If-Match.
problem-payload-too-large = Treść żądania jest za duża.
problem-unsupported-media-type = Treść żądania musi być typu application/json.
problem-validation = Niektóre pola wymagają poprawy.
problem-internal = Coś poszło nie tak po naszej stronie. Spróbuj ponownie.
problem-widget-origin-not-allowed = Ta strona nie może wysyłać zgłoszeń do tego działu pomocy.
problem-widget-automated = To zgłoszenie wygląda na automatyczne i nie zostało przyjęte.
problem-widget-too-fast = Formularz został wysłany zbyt szybko. Sprawdź go i wyślij ponownie.
problem-widget-expired = Formularz wygasł. Wyślij go ponownie.
problem-rate-limited = Zbyt wiele żądań. Odczekaj chwilę i spróbuj ponownie.
