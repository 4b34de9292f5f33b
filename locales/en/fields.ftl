# Why a form field was rejected, by the error's stable `code` (shared by the API's 422 bodies and
# the portal's inline messages). `$limit` is the length or bound involved, when there is one.

field-error-required = This field is required.
field-error-too_short =
    { $limit ->
        [one] Enter at least { $limit } character.
       *[other] Enter at least { $limit } characters.
    }
field-error-too_short-nolimit = This is too short.
field-error-too_long =
    { $limit ->
        [one] Enter at most { $limit } character.
       *[other] Enter at most { $limit } characters.
    }
field-error-too_long-nolimit = This is too long.
field-error-invalid_email = Enter an email address like name@example.com.
field-error-invalid_characters = This contains characters that are not allowed here.
field-error-wrong_type = This value has the wrong type.
field-error-not_a_number = Enter a number.
field-error-below_minimum = This number is below the minimum.
field-error-above_maximum = This number is above the maximum.
field-error-step_mismatch = This number is not one of the allowed steps.
field-error-invalid_date = Enter a date like 2026-12-31.
field-error-invalid_datetime = Enter a date and time like 2026-12-31T14:30.
field-error-invalid_phone = Enter a phone number like +48 601 234 567.
field-error-not_an_option = Choose one of the offered options.
field-error-pattern_mismatch = This does not have the expected format.
field-error-unknown_field = This field is not part of the form.
field-error-invalid_key = Use 1-64 lower-case letters, digits and underscores, starting with a letter.
field-error-duplicate_key = Another field already uses this key.
field-error-unknown_field_type = This field type does not exist.
field-error-missing_condition_field = The condition refers to a field that does not exist before this one.
field-error-no_options = A choice field needs at least one option.
field-error-duplicate_option = Two options share this value.
field-error-invalid_pattern = This pattern is not a valid regular expression.
field-error-invalid_bounds = The minimum is greater than the maximum.
field-error-invalid_default = The default value is not valid for this field.
field-error-invalid_origin = Enter a web origin like https://www.example.com (no path).
field-error-not_a_group_member = This agent is not a member of the ticket's group: choose both together.
