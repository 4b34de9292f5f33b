# The requester portal's texts (English, the reference locale: every other locale has exactly
# these message ids). The product name `brand` stays the same in every language.

# The name of this language, in this language (shown in the language switcher).
language-name = English
language-label = Language

brand = EdgeDesk
skip-to-content = Skip to content
nav-label = Main
nav-new-request = New request
nav-my-requests = My requests
loading = Loading…
load-failed = The request could not be loaded. Check your connection and reload the page.
unknown-org = This organisation does not exist.

home-lead = Tell us what you need and we will take it from there. You can follow your requests here.

new-request-title = New request
new-request-lead = All fields are required.
field-requester-name = Your name
field-requester-email = Your email
field-subject = Subject
field-description = Describe what you need
submit = Submit request
submitting = Submitting…
fix-errors = Please correct the highlighted fields.
submit-failed = Your request could not be sent. Nothing you typed is lost: check your connection and try again.

request-title = Your request
reference = Reference
status = Status
submitted-at = Submitted
requester = Requester
no-token = This request was not made from this browser, so its details cannot be shown here.
not-found-request = We could not find this request.

status-new = New
status-open = Open
status-pending = Waiting on you
status-on-hold = On hold
status-solved = Solved
status-closed = Closed

my-requests-title = My requests
my-requests-empty = You have not made any requests from this browser yet.
my-requests-count =
    { $count ->
        [one] You have made one request from this browser.
       *[other] You have made { $count } requests from this browser.
    }

not-found-title = Page not found
not-found-body = There is nothing at this address.
back-home = Back to the start page

# The service catalog on the organisation's start page.
catalog-title = What do you need?
catalog-search-label = Search the catalog
catalog-results =
    { $count ->
        [one] { $count } item found.
       *[other] { $count } items found.
    }
catalog-empty = There is nothing in the catalog yet.
catalog-no-match = Nothing in the catalog matches your search. Try other words.
catalog-free-form = Cannot find what you need?
catalog-free-form-link = Describe it in your own words

# A catalog item's request form. `optional-mark` follows the label of a field that may stay empty.
back-to-catalog = Back to the catalog
catalog-item-not-found = This catalog item is not available
catalog-item-not-found-body = It may have been withdrawn. Choose another item in the catalog, or describe what you need in your own words.
catalog-item-withdrawn = This catalog item was withdrawn while you were filling it in. Nothing you typed is lost here: you can copy it into a new request.
catalog-form-changed = This form has changed since you opened it. Reload the page to get the new version; what you typed is kept.
catalog-form-lead = Fields marked (optional) may be left empty.
optional-mark = (optional)
field-details = Anything else we should know?
choose-option = Choose…
impact-high = High: a whole team or many people
impact-medium = Medium: a few people
impact-low = Low: only me
urgency-high = High: work has stopped
urgency-medium = Medium: work is slowed down
urgency-low = Low: it can wait
answer-yes = Yes
answer-no = No

# The answers on the request page.
request-item = Catalog item
request-answers = Your answers

# The request page: what the desk promised (a label, then the time in the viewer's time zone),
# the public conversation, and the reply form.
promises-title = What to expect
promise-due-first-response = First response expected by
promise-due-next-response = Next reply expected by
promise-due-resolution = Resolution expected by
promise-first-response = First response
promise-next-response = Next reply
promise-resolution = Resolution
promise-paused = Paused while we wait for your reply
promise-on-track = On track
promise-late = Running late
timeline-title = Conversation
timeline-submitted = You submitted the request
timeline-agent-reply = Support replied
timeline-requester-reply = You replied
timeline-status-new = Status changed to New
timeline-status-open = Status changed to Open
timeline-status-pending = Status changed to Waiting for your reply
timeline-status-on-hold = Status changed to On hold
timeline-status-solved = Status changed to Solved
timeline-status-closed = Status changed to Closed
timeline-load-failed = The conversation could not be loaded. Check your connection and try again.
retry = Try again
reply-title = Reply
field-reply = Your reply
reply-send = Send reply
reply-sending = Sending…
reply-sent = Your reply was sent.
reply-failed = Your reply could not be sent. Nothing you typed is lost: check your connection and try again.
reply-closed = This request is closed. If you write below, your message starts a new request linked to this one.
reply-follow-up = Your message started a new request:
