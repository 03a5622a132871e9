ENGAGEMENT_KINDS = {
    "government": "Government and regulators",
    "industry": "Industry",
    "academia": "Universities and research",
    "education": "Schools and colleges",
    "other": "Other",
}

# What an engagement was about: the public-policy topics the body speaks on (the strategy's
# "government engagement with specific topics").
ENGAGEMENT_TOPICS = {
    "skills": "Skills and the technical workforce",
    "apprenticeships": "Apprenticeships and technical education",
    "research_and_innovation": "Research and innovation",
    "net_zero": "Net zero and sustainability",
    "digital_and_ai": "Digital and AI",
    "regulation_and_standards": "Regulation and standards",
    "health_and_safety": "Health and safety",
    "equality_diversity_inclusion": "Equality, diversity and inclusion",
    "other": "Other",
}

SUPPORTER_KINDS = {
    "employer": "Employer",
    "university": "University",
    "college": "College",
    "public_body": "Public body",
    "other": "Other",
}
