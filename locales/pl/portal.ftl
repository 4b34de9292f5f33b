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

# The service catalog on the organisation's start page.
catalog-title = Czego potrzebujesz?
catalog-search-label = Szukaj w katalogu
catalog-results =
    { $count ->
        [one] Znaleziono { $count } pozycję.
        [few] Znaleziono { $count } pozycje.
        [many] Znaleziono { $count } pozycji.
       *[other] Znaleziono { $count } pozycji.
    }
catalog-empty = Katalog jest jeszcze pusty.
catalog-no-match = Żadna pozycja katalogu nie pasuje do wyszukiwania. Spróbuj innych słów.
catalog-free-form = Nie możesz znaleźć tego, czego potrzebujesz?
catalog-free-form-link = Opisz to własnymi słowami

# A catalog item's request form. `optional-mark` follows the label of a field that may stay empty.
back-to-catalog = Wróć do katalogu
catalog-item-not-found = Ta pozycja katalogu jest niedostępna
catalog-item-not-found-body = Mogła zostać wycofana. Wybierz inną pozycję z katalogu albo opisz, czego potrzebujesz, własnymi słowami.
catalog-item-withdrawn = Ta pozycja katalogu została wycofana w trakcie wypełniania. Nic, co tu wpisano, nie zginęło: możesz to skopiować do nowego zgłoszenia.
catalog-form-changed = Ten formularz zmienił się od chwili otwarcia. Odśwież stronę, aby otrzymać nową wersję; to, co wpisano, zostanie zachowane.
catalog-form-lead = Pola oznaczone (opcjonalne) można zostawić puste.
optional-mark = (opcjonalne)
field-details = Czy jest coś jeszcze, o czym powinniśmy wiedzieć?
choose-option = Wybierz…
impact-high = Duży: cały zespół lub wiele osób
impact-medium = Średni: kilka osób
impact-low = Mały: tylko ja
urgency-high = Wysoka: praca stoi
urgency-medium = Średnia: praca jest spowolniona
urgency-low = Niska: to może poczekać
answer-yes = Tak
answer-no = Nie

# The answers on the request page.
request-item = Pozycja katalogu
request-answers = Twoje odpowiedzi

# The request page: what the desk promised, the public conversation, and the reply form.
promises-title = Czego się spodziewać
promise-due-first-response = Pierwsza odpowiedź do
promise-due-next-response = Kolejna odpowiedź do
promise-due-resolution = Rozwiązanie do
promise-first-response = Pierwsza odpowiedź
promise-next-response = Kolejna odpowiedź
promise-resolution = Rozwiązanie
promise-paused = Wstrzymane do czasu Twojej odpowiedzi
promise-on-track = Zgodnie z planem
promise-late = Z opóźnieniem
timeline-title = Rozmowa
timeline-submitted = Zgłoszenie zostało wysłane
timeline-agent-reply = Odpowiedź zespołu wsparcia
timeline-requester-reply = Twoja odpowiedź
timeline-status-new = Status zmieniono na: Nowe
timeline-status-open = Status zmieniono na: Otwarte
timeline-status-pending = Status zmieniono na: Czeka na Twoją odpowiedź
timeline-status-on-hold = Status zmieniono na: Wstrzymane
timeline-status-solved = Status zmieniono na: Rozwiązane
timeline-status-closed = Status zmieniono na: Zamknięte
timeline-load-failed = Nie udało się wczytać rozmowy. Sprawdź połączenie i spróbuj ponownie.
retry = Spróbuj ponownie
reply-title = Odpowiedz
field-reply = Twoja odpowiedź
reply-send = Wyślij odpowiedź
reply-sending = Wysyłanie…
reply-sent = Odpowiedź została wysłana.
reply-failed = Nie udało się wysłać odpowiedzi. Nic, co wpisano, nie zginęło: sprawdź połączenie i spróbuj ponownie.
reply-closed = To zgłoszenie jest zamknięte. Jeśli napiszesz poniżej, Twoja wiadomość rozpocznie nowe zgłoszenie powiązane z tym.
reply-follow-up = Twoja wiadomość rozpoczęła nowe zgłoszenie:
