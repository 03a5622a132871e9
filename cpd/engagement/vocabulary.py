ENGAGEMENT_KINDS = {
    "government": "Government and regulators",
    "industry": "Industry",
    "academia": "Universities and research",
    "education": "Schools and colleges",
    "other": "Other",
}

SUPPORTER_KINDS = {
    "employer": "Employer",
    "university": "University",
    "college": "College",
    "public_body": "Public body",
    "other": "Other",
}
