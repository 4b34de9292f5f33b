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

# The service catalog on the organisation's start page.
catalog-title = Τι χρειάζεστε;
catalog-search-label = Αναζήτηση στον κατάλογο
catalog-results =
    { $count ->
        [one] Βρέθηκε { $count } στοιχείο.
       *[other] Βρέθηκαν { $count } στοιχεία.
    }
catalog-empty = Ο κατάλογος δεν έχει ακόμη τίποτα.
catalog-no-match = Κανένα στοιχείο του καταλόγου δεν ταιριάζει με την αναζήτησή σας. Δοκιμάστε άλλες λέξεις.
catalog-free-form = Δεν βρίσκετε αυτό που χρειάζεστε;
catalog-free-form-link = Περιγράψτε το με δικά σας λόγια

# A catalog item's request form. `optional-mark` follows the label of a field that may stay empty.
back-to-catalog = Επιστροφή στον κατάλογο
catalog-item-not-found = Αυτό το στοιχείο του καταλόγου δεν είναι διαθέσιμο
catalog-item-not-found-body = Ίσως έχει αποσυρθεί. Επιλέξτε άλλο στοιχείο από τον κατάλογο ή περιγράψτε τι χρειάζεστε με δικά σας λόγια.
catalog-item-withdrawn = Αυτό το στοιχείο του καταλόγου αποσύρθηκε ενώ το συμπληρώνατε. Δεν χάθηκε τίποτα από όσα πληκτρολογήσατε εδώ: μπορείτε να τα αντιγράψετε σε νέο αίτημα.
catalog-form-changed = Αυτή η φόρμα άλλαξε από τότε που την ανοίξατε. Φορτώστε ξανά τη σελίδα για τη νέα έκδοση· όσα πληκτρολογήσατε διατηρούνται.
catalog-form-lead = Τα πεδία με την ένδειξη (προαιρετικό) μπορούν να μείνουν κενά.
optional-mark = (προαιρετικό)
field-details = Υπάρχει κάτι άλλο που πρέπει να γνωρίζουμε;
choose-option = Επιλέξτε…
impact-high = Υψηλός: μια ολόκληρη ομάδα ή πολλά άτομα
impact-medium = Μεσαίος: λίγα άτομα
impact-low = Χαμηλός: μόνο εγώ
urgency-high = Υψηλή: η εργασία έχει σταματήσει
urgency-medium = Μεσαία: η εργασία καθυστερεί
urgency-low = Χαμηλή: μπορεί να περιμένει
answer-yes = Ναι
answer-no = Όχι

# The answers on the request page.
request-item = Στοιχείο καταλόγου
request-answers = Οι απαντήσεις σας

# The request page: what the desk promised, the public conversation, and the reply form.
promises-title = Τι να περιμένετε
promise-due-first-response = Πρώτη απάντηση έως
promise-due-next-response = Επόμενη απάντηση έως
promise-due-resolution = Επίλυση έως
promise-first-response = Πρώτη απάντηση
promise-next-response = Επόμενη απάντηση
promise-resolution = Επίλυση
promise-paused = Σε παύση μέχρι να απαντήσετε
promise-on-track = Εντός χρόνου
promise-late = Με καθυστέρηση
timeline-title = Συνομιλία
timeline-submitted = Υποβάλατε το αίτημα
timeline-agent-reply = Η υποστήριξη απάντησε
timeline-requester-reply = Απαντήσατε
timeline-status-new = Η κατάσταση άλλαξε σε: Νέο
timeline-status-open = Η κατάσταση άλλαξε σε: Ανοιχτό
timeline-status-pending = Η κατάσταση άλλαξε σε: Αναμένεται απάντησή σας
timeline-status-on-hold = Η κατάσταση άλλαξε σε: Σε αναμονή
timeline-status-solved = Η κατάσταση άλλαξε σε: Επιλύθηκε
timeline-status-closed = Η κατάσταση άλλαξε σε: Κλειστό
timeline-load-failed = Δεν ήταν δυνατή η φόρτωση της συνομιλίας. Ελέγξτε τη σύνδεσή σας και δοκιμάστε ξανά.
retry = Δοκιμάστε ξανά
reply-title = Απάντηση
field-reply = Η απάντησή σας
reply-send = Αποστολή απάντησης
reply-sending = Αποστολή…
reply-sent = Η απάντησή σας στάλθηκε.
reply-failed = Δεν ήταν δυνατή η αποστολή της απάντησής σας. Δεν χάθηκε τίποτα από όσα πληκτρολογήσατε: ελέγξτε τη σύνδεσή σας και δοκιμάστε ξανά.
reply-closed = Αυτό το αίτημα έχει κλείσει. Αν γράψετε παρακάτω, το μήνυμά σας θα ανοίξει νέο αίτημα συνδεδεμένο με αυτό.
reply-follow-up = Το μήνυμά σας άνοιξε νέο αίτημα:
