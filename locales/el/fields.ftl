# Γιατί απορρίφθηκε ένα πεδίο της φόρμας, κατά τον σταθερό κωδικό του σφάλματος.

field-error-required = Αυτό το πεδίο είναι υποχρεωτικό.
field-error-too_short =
    { $limit ->
        [one] Εισαγάγετε τουλάχιστον { $limit } χαρακτήρα.
       *[other] Εισαγάγετε τουλάχιστον { $limit } χαρακτήρες.
    }
field-error-too_short-nolimit = Είναι πολύ σύντομο.
field-error-too_long =
    { $limit ->
        [one] Εισαγάγετε το πολύ { $limit } χαρακτήρα.
       *[other] Εισαγάγετε το πολύ { $limit } χαρακτήρες.
    }
field-error-too_long-nolimit = Είναι πολύ μεγάλο.
field-error-invalid_email = Εισαγάγετε μια διεύθυνση email όπως name@example.com.
field-error-invalid_characters = Περιέχει χαρακτήρες που δεν επιτρέπονται εδώ.
field-error-wrong_type = Η τιμή έχει λάθος τύπο.
field-error-not_a_number = Εισαγάγετε έναν αριθμό.
field-error-below_minimum = Ο αριθμός είναι μικρότερος από το ελάχιστο.
field-error-above_maximum = Ο αριθμός είναι μεγαλύτερος από το μέγιστο.
field-error-step_mismatch = Ο αριθμός δεν είναι μία από τις επιτρεπόμενες τιμές.
field-error-invalid_date = Εισαγάγετε μια ημερομηνία όπως 2026-12-31.
field-error-invalid_datetime = Εισαγάγετε ημερομηνία και ώρα όπως 2026-12-31T14:30.
field-error-invalid_phone = Εισαγάγετε έναν αριθμό τηλεφώνου όπως +30 691 234 5678.
field-error-not_an_option = Επιλέξτε μία από τις διαθέσιμες επιλογές.
field-error-pattern_mismatch = Δεν έχει την αναμενόμενη μορφή.
field-error-unknown_field = Αυτό το πεδίο δεν ανήκει στη φόρμα.
field-error-invalid_key = Χρησιμοποιήστε 1-64 πεζά λατινικά γράμματα, ψηφία και κάτω παύλες, ξεκινώντας με γράμμα.
field-error-duplicate_key = Άλλο πεδίο χρησιμοποιεί ήδη αυτό το κλειδί.
field-error-unknown_field_type = Αυτός ο τύπος πεδίου δεν υπάρχει.
field-error-missing_condition_field = Η συνθήκη αναφέρεται σε πεδίο που δεν υπάρχει πριν από αυτό.
field-error-no_options = Ένα πεδίο επιλογής χρειάζεται τουλάχιστον μία επιλογή.
field-error-duplicate_option = Δύο επιλογές έχουν την ίδια τιμή.
field-error-invalid_pattern = Αυτό το μοτίβο δεν είναι έγκυρη κανονική έκφραση.
field-error-invalid_bounds = Το ελάχιστο είναι μεγαλύτερο από το μέγιστο.
field-error-invalid_default = Η προεπιλεγμένη τιμή δεν είναι έγκυρη για αυτό το πεδίο.
field-error-invalid_origin = Εισαγάγετε μια προέλευση ιστότοπου όπως https://www.example.com (χωρίς διαδρομή).
field-error-not_a_group_member = Αυτός ο πράκτορας δεν είναι μέλος της ομάδας του αιτήματος: επιλέξτε τα μαζί.
