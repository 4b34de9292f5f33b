# Dlaczego pole formularza zostało odrzucone, według stałego kodu błędu.

field-error-required = To pole jest wymagane.
field-error-too_short =
    { $limit ->
        [one] Wpisz co najmniej { $limit } znak.
        [few] Wpisz co najmniej { $limit } znaki.
        [many] Wpisz co najmniej { $limit } znaków.
       *[other] Wpisz co najmniej { $limit } znaku.
    }
field-error-too_short-nolimit = To jest za krótkie.
field-error-too_long =
    { $limit ->
        [one] Wpisz najwyżej { $limit } znak.
        [few] Wpisz najwyżej { $limit } znaki.
        [many] Wpisz najwyżej { $limit } znaków.
       *[other] Wpisz najwyżej { $limit } znaku.
    }
field-error-too_long-nolimit = To jest za długie.
field-error-invalid_email = Wpisz adres e-mail, np. imie@example.com.
field-error-invalid_characters = To pole zawiera niedozwolone znaki.
field-error-wrong_type = Ta wartość ma niewłaściwy typ.
field-error-not_a_number = Wpisz liczbę.
field-error-below_minimum = Ta liczba jest mniejsza od minimum.
field-error-above_maximum = Ta liczba jest większa od maksimum.
field-error-step_mismatch = Ta liczba nie jest jedną z dozwolonych wartości.
field-error-invalid_date = Wpisz datę, np. 2026-12-31.
field-error-invalid_datetime = Wpisz datę i godzinę, np. 2026-12-31T14:30.
field-error-invalid_phone = Wpisz numer telefonu, np. +48 601 234 567.
field-error-not_an_option = Wybierz jedną z podanych opcji.
field-error-pattern_mismatch = To nie ma oczekiwanego formatu.
field-error-unknown_field = Tego pola nie ma w formularzu.
field-error-invalid_key = Użyj od 1 do 64 małych liter, cyfr i podkreśleń, zaczynając od litery.
field-error-duplicate_key = Inne pole używa już tego klucza.
field-error-unknown_field_type = Taki typ pola nie istnieje.
field-error-missing_condition_field = Warunek odwołuje się do pola, którego nie ma przed tym polem.
field-error-no_options = Pole wyboru wymaga co najmniej jednej opcji.
field-error-duplicate_option = Dwie opcje mają tę samą wartość.
field-error-invalid_pattern = Ten wzorzec nie jest poprawnym wyrażeniem regularnym.
field-error-invalid_bounds = Minimum jest większe od maksimum.
field-error-invalid_default = Wartość domyślna nie jest poprawna dla tego pola.
field-error-invalid_origin = Podaj źródło witryny, np. https://www.example.com (bez ścieżki).
field-error-not_a_group_member = Ten agent nie należy do grupy zgłoszenia: wybierz grupę i agenta razem.
