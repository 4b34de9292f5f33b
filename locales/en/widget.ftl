# The embeddable request widget's own texts; it also uses the portal's form texts. The worker
# renders both for the widget's locale (`GET /api/v1/orgs/{org}/widget`); the widget fills in
# `{reference}` itself.

widget-launcher = Get help
widget-title = Send us a request
widget-close = Close
widget-sent = Thank you! Your request { $reference } was received.
widget-new = Send another request
widget-saved-offline = You seem to be offline. Your request is kept on this device and will be sent when you are back online.
widget-unavailable = The help desk could not be reached. Please try again later.
