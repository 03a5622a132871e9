APPLICATION_STATUSES = {
    "draft": "Draft",
    "submitted": "Submitted: waiting for the supporter",
    "supported": "Supported: waiting for assessors",
    "under_assessment": "Under assessment",
    "assessed": "Assessed: waiting for the decision",
    "ratified": "Ratified",
    "declined": "Declined",
    "withdrawn": "Withdrawn",
}
OPEN_STATUSES = ("draft", "submitted", "supported", "under_assessment", "assessed")
ASSESSMENT_RESULTS = {"met": "Met", "not_met": "Not yet met"}
RECOMMENDATIONS = {"register": "Register", "not_yet": "Not yet"}
# A statement is a few paragraphs: words shown as they type, refused beyond this.
STATEMENT_WORD_GUIDE = {1: 150, 2: 250, 3: 400}
STATEMENT_LIMIT = 10_000  # characters
