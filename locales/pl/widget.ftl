# The embeddable request widget's own texts; it also uses the portal's form texts. The worker
# renders both for the widget's locale (`GET /api/v1/orgs/{org}/widget`); the widget fills in
# `{reference}` itself.

widget-launcher = Pomoc
widget-title = Wyślij nam zgłoszenie
widget-close = Zamknij
widget-sent = Dziękujemy! Otrzymaliśmy Twoje zgłoszenie { $reference }.
widget-new = Wyślij kolejne zgłoszenie
widget-saved-offline = Wygląda na to, że nie masz połączenia. Zgłoszenie jest zapisane na tym urządzeniu i zostanie wysłane po powrocie połączenia.
widget-unavailable = Nie udało się połączyć z działem pomocy. Spróbuj ponownie później.
