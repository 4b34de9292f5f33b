# Teksty portalu zgłoszeń (polski).

language-name = Polski
language-label = Język

brand = EdgeDesk
skip-to-content = Przejdź do treści
nav-label = Główna
nav-new-request = Nowe zgłoszenie
nav-my-requests = Moje zgłoszenia
loading = Ładowanie…
load-failed = Nie udało się wczytać zgłoszenia. Sprawdź połączenie i odśwież stronę.
unknown-org = Ta organizacja nie istnieje.

home-lead = Napisz, czego potrzebujesz, a my zajmiemy się resztą. Tutaj możesz śledzić swoje zgłoszenia.

new-request-title = Nowe zgłoszenie
new-request-lead = Wszystkie pola są wymagane.
field-requester-name = Imię i nazwisko
field-requester-email = Twój adres e-mail
field-subject = Temat
field-description = Opisz, czego potrzebujesz
submit = Wyślij zgłoszenie
submitting = Wysyłanie…
fix-errors = Popraw zaznaczone pola.
submit-failed = Nie udało się wysłać zgłoszenia. Nic, co wpisano, nie zginęło: sprawdź połączenie i spróbuj ponownie.

request-title = Twoje zgłoszenie
reference = Numer
status = Status
submitted-at = Wysłano
requester = Zgłaszający
no-token = To zgłoszenie nie zostało wysłane z tej przeglądarki, więc nie można tu pokazać jego szczegółów.
not-found-request = Nie znaleźliśmy tego zgłoszenia.

status-new = Nowe
status-open = Otwarte
status-pending = Czeka na Ciebie
status-on-hold = Wstrzymane
status-solved = Rozwiązane
status-closed = Zamknięte

my-requests-title = Moje zgłoszenia
my-requests-empty = Nie wysłano jeszcze żadnych zgłoszeń z tej przeglądarki.
my-requests-count =
    { $count ->
        [one] Z tej przeglądarki wysłano { $count } zgłoszenie.
        [few] Z tej przeglądarki wysłano { $count } zgłoszenia.
        [many] Z tej przeglądarki wysłano { $count } zgłoszeń.
       *[other] Z tej przeglądarki wysłano { $count } zgłoszenia.
    }

not-found-title = Nie znaleziono strony
not-found-body = Pod tym adresem nic nie ma.
back-home = Wróć na stronę startową
