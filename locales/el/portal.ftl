# Κείμενα της πύλης αιτημάτων (ελληνικά).

language-name = Ελληνικά
language-label = Γλώσσα

brand = EdgeDesk
skip-to-content = Μετάβαση στο περιεχόμενο
nav-label = Κύρια
nav-new-request = Νέο αίτημα
nav-my-requests = Τα αιτήματά μου
loading = Φόρτωση…
load-failed = Δεν ήταν δυνατή η φόρτωση του αιτήματος. Ελέγξτε τη σύνδεσή σας και φορτώστε ξανά τη σελίδα.
unknown-org = Αυτός ο οργανισμός δεν υπάρχει.

home-lead = Πείτε μας τι χρειάζεστε και θα αναλάβουμε από εκεί. Εδώ μπορείτε να παρακολουθείτε τα αιτήματά σας.

new-request-title = Νέο αίτημα
new-request-lead = Όλα τα πεδία είναι υποχρεωτικά.
field-requester-name = Το όνομά σας
field-requester-email = Το email σας
field-subject = Θέμα
field-description = Περιγράψτε τι χρειάζεστε
submit = Υποβολή αιτήματος
submitting = Υποβολή…
fix-errors = Διορθώστε τα επισημασμένα πεδία.
submit-failed = Δεν ήταν δυνατή η αποστολή του αιτήματός σας. Δεν χάθηκε τίποτα από όσα πληκτρολογήσατε: ελέγξτε τη σύνδεσή σας και δοκιμάστε ξανά.

request-title = Το αίτημά σας
reference = Αριθμός αιτήματος
status = Κατάσταση
submitted-at = Υποβλήθηκε
requester = Αιτών
no-token = Αυτό το αίτημα δεν υποβλήθηκε από αυτό το πρόγραμμα περιήγησης, οπότε τα στοιχεία του δεν μπορούν να εμφανιστούν εδώ.
not-found-request = Δεν βρήκαμε αυτό το αίτημα.

status-new = Νέο
status-open = Ανοιχτό
status-pending = Αναμένεται απάντησή σας
status-on-hold = Σε αναμονή
status-solved = Επιλύθηκε
status-closed = Κλειστό

my-requests-title = Τα αιτήματά μου
my-requests-empty = Δεν έχετε υποβάλει ακόμη αιτήματα από αυτό το πρόγραμμα περιήγησης.
my-requests-count =
    { $count ->
        [one] Έχετε υποβάλει ένα αίτημα από αυτό το πρόγραμμα περιήγησης.
       *[other] Έχετε υποβάλει { $count } αιτήματα από αυτό το πρόγραμμα περιήγησης.
    }

not-found-title = Η σελίδα δεν βρέθηκε
not-found-body = Δεν υπάρχει τίποτα σε αυτή τη διεύθυνση.
back-home = Επιστροφή στην αρχική σελίδα
