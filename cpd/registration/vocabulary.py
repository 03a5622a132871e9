APPLICATION_STATUSES = {
    "draft": "Draft",
    "submitted": "Submitted: waiting for the referees",
    "supported": "Supported: waiting for assessors",
    "under_assessment": "Under assessment",
    "assessed": "Assessed: waiting for the committee",
    "interview_scheduled": "Professional review interview scheduled",
    "interviewed": "Interviewed: waiting for the committee",
    "ratified": "Ratified",
    "declined": "Declined",
    "under_appeal": "Under appeal",
    "withdrawn": "Withdrawn",
}
OPEN_STATUSES = ("draft", "submitted", "supported", "under_assessment", "assessed", "interview_scheduled",
                 "interviewed", "under_appeal")
# Where the committee decides: after the assessment (a title without an interview), after the
# interview, or on an appeal.
DECIDABLE = ("assessed", "interviewed", "under_appeal")
OUTCOMES = {"ratified": "Ratify", "declined": "Decline", "referred_back": "Refer back to the applicant"}
REFEREE_STATUSES = {"named": "Named", "asked": "Asked", "confirmed": "Confirmed", "declined": "Declined"}
ASSESSMENT_RESULTS = {"met": "Met", "not_met": "Not yet met"}
RECOMMENDATIONS = {"register": "Register", "not_yet": "Not yet"}
# A statement is a few paragraphs: words shown as they type, refused beyond this.
STATEMENT_WORD_GUIDE = {1: 150, 2: 250, 3: 400}
STATEMENT_LIMIT = 10_000  # characters
REFEREES_AT_MOST = 4
QUALIFICATIONS_AT_MOST = 20
ROLES_AT_MOST = 30
APPEAL_DAYS = 28  # a declined applicant appeals within this many days of the decision
REINSTATE_WITHIN_YEARS = 3  # beyond it, a lapsed registration needs a new application
