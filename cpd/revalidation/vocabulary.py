CASE_STATUSES = {
    "notified": "Selected: submit your CPD profile",
    "submitted": "Submitted: being reviewed",
    "more_information": "More information asked for: submit again",
    "deferral_requested": "Deferral asked for",
    "accepted": "Accepted",
    "deferred": "Deferred to a later audit",
    "lapse_pending": "Not met: the registration lapses unless you appeal",
    "under_appeal": "Appealed: the appeal is being decided",
    "not_met": "Not met",
}
OUTCOMES = {
    "accepted": "Accepted",
    "more_information": "More information",
    "deferred": "Deferred",
    "not_met": "Not met",
}
OPEN_CASE_STATUSES = ("notified", "more_information", "deferral_requested", "submitted", "lapse_pending",
                      "under_appeal")
