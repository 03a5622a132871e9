"""The body's own words for its members, from its strategy (see the design's domain section)."""

DISCIPLINES = {
    "creative_industry": "Creative industry",
    "engineering": "Engineering",
    "digital": "Digital",
    "science": "Science",
}

CAREER_STAGES = {
    "apprentice": "Apprentice",
    "student": "Student",
    "technician": "Technician",
    "specialist": "Specialist",
    "manager": "Manager",
    "senior_leader": "Senior leader",
}

SECTORS = {
    "industry": "Industry",
    "academia": "Academia",
    "public_sector": "Public sector",
    "education": "Education",
    "self_employed": "Self-employed",
    "other": "Other",
}

# No grade: an individual who is not (yet) a member of the body.
GRADES = {
    "affiliate": "Affiliate",
    "associate": "Associate",
    "member": "Member",
    "fellow": "Fellow",
}

ROLES = {"member": "Member", "staff": "Staff"}

# Professional registration titles, by the council that awards them.
REGISTRATION_TITLES = {
    "RSciTech": "Registered Science Technician (Science Council)",
    "RSci": "Registered Scientist (Science Council)",
    "CSci": "Chartered Scientist (Science Council)",
    "EngTech": "Engineering Technician (Engineering Council)",
    "IEng": "Incorporated Engineer (Engineering Council)",
    "CEng": "Chartered Engineer (Engineering Council)",
    "ICTTech": "ICT Technician (Engineering Council)",
    "RegisteredPractitioner": "Registered Practitioner",
}


def label(vocabulary, code):
    return vocabulary.get(code, "Not given") if code else "Not given"
