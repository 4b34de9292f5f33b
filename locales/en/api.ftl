# Titles of the API's problem+json answers, by the problem's type slug
# (`https://edgedesk.dev/problems/<slug>`). The `type` never changes with the language.

problem-malformed-body = The request body is not valid JSON for this operation.
problem-unauthorized = A valid API token is required.
problem-forbidden = Your token's role does not allow this.
problem-not-found = Not found.
problem-method-not-allowed = This method is not allowed here.
problem-conflict = This change conflicts with the current state.
problem-stale = Someone else changed this in the meantime.
problem-if-match-required = Updates need an If-Match header.
problem-payload-too-large = The request body is too large.
problem-unsupported-media-type = The request body must be application/json.
problem-validation = Some fields need attention.
problem-internal = Something went wrong on our side. Please try again.
problem-widget-origin-not-allowed = This website may not send requests to this help desk.
problem-widget-automated = This request looks automated and was not accepted.
problem-widget-too-fast = This form was sent too quickly. Please check it and send it again.
problem-widget-expired = This form has expired. Please send it again.
problem-rate-limited = Too many requests. Please wait a moment and try again.
