# The embeddable request widget's own texts; it also uses the portal's form texts. The worker
# renders both for the widget's locale (`GET /api/v1/orgs/{org}/widget`); the widget fills in
# `{reference}` itself.

widget-launcher = Βοήθεια
widget-title = Στείλτε μας ένα αίτημα
widget-close = Κλείσιμο
widget-sent = Ευχαριστούμε! Το αίτημά σας { $reference } παραλήφθηκε.
widget-new = Αποστολή νέου αιτήματος
widget-saved-offline = Φαίνεται ότι είστε εκτός σύνδεσης. Το αίτημά σας φυλάσσεται σε αυτή τη συσκευή και θα σταλεί μόλις συνδεθείτε ξανά.
widget-unavailable = Δεν ήταν δυνατή η σύνδεση με το γραφείο υποστήριξης. Δοκιμάστε ξανά αργότερα.
