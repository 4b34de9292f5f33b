# Τίτλοι των απαντήσεων problem+json του API, κατά τύπο προβλήματος.

problem-malformed-body = Το σώμα του αιτήματος δεν είναι έγκυρο JSON για αυτή τη λειτουργία.
problem-unauthorized = Απαιτείται έγκυρο διακριτικό API.
problem-forbidden = Ο ρόλος του διακριτικού σας δεν το επιτρέπει αυτό.
problem-not-found = Δεν βρέθηκε.
problem-method-not-allowed = Αυτή η μέθοδος δεν επιτρέπεται εδώ.
problem-conflict = Αυτή η αλλαγή έρχεται σε σύγκρουση με την τρέχουσα κατάσταση.
problem-stale = Κάποιος άλλος το άλλαξε στο μεταξύ.
problem-if-match-required = Οι ενημερώσεις χρειάζονται κεφαλίδα If-Match.
problem-payload-too-large = Το σώμα του αιτήματος είναι πολύ μεγάλο.
problem-unsupported-media-type = Το σώμα του αιτήματος πρέπει να είναι application/json.
problem-validation = Ορισμένα πεδία χρειάζονται προσοχή.
problem-internal = Κάτι πήγε στραβά από τη μεριά μας. Δοκιμάστε ξανά.
problem-widget-origin-not-allowed = Αυτός ο ιστότοπος δεν επιτρέπεται να στέλνει αιτήματα σε αυτό το γραφείο υποστήριξης.
problem-widget-automated = Αυτό το αίτημα μοιάζει αυτοματοποιημένο και δεν έγινε δεκτό.
problem-widget-too-fast = Η φόρμα στάλθηκε πολύ γρήγορα. Ελέγξτε την και στείλτε την ξανά.
problem-widget-expired = Η φόρμα έχει λήξει. Στείλτε την ξανά.
problem-rate-limited = Πάρα πολλά αιτήματα. Περιμένετε λίγο και δοκιμάστε ξανά.
