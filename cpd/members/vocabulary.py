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

# Areas of practice a member may name, where a policy asks for hours in each (Engineers Australia's
# areas of practice, as its Chartered and NER registers list them).
AREAS_OF_PRACTICE = {
    "asset_management": "Asset management",
    "biomedical": "Biomedical",
    "chemical": "Chemical",
    "civil": "Civil",
    "electrical": "Electrical",
    "environmental": "Environmental",
    "fire_safety": "Fire safety",
    "geotechnical": "Geotechnical",
    "itee": "Information, telecommunications and electronics",
    "mechanical": "Mechanical",
    "mining": "Mining",
    "project_management": "Project management",
    "structural": "Structural",
}

# Sectors whose members are "engineering academics and teachers" to Engineers Australia.
ACADEMIC_SECTORS = ("academia", "education")

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
    "RegisteredPractitioner": "Registered Practitioner (Institute of Science and Technology)",
}


def label(vocabulary, code):
    return vocabulary.get(code, "Not given") if code else "Not given"

# Voluntary equality monitoring (asked with consent, never required), each with "prefer not to say".
# Ethnicity uses the Office for National Statistics' five high-level groups.
PREFER_NOT_TO_SAY = {"prefer_not_to_say": "Prefer not to say"}
EQUALITY_QUESTIONS = {
    "gender": {"woman": "Woman", "man": "Man", "non_binary": "Non-binary",
               "in_another_way": "In another way", **PREFER_NOT_TO_SAY},
    "age_band": {"under_25": "Under 25", "25_34": "25 to 34", "35_44": "35 to 44", "45_54": "45 to 54",
                 "55_64": "55 to 64", "65_plus": "65 or over", **PREFER_NOT_TO_SAY},
    "ethnicity": {"asian": "Asian or Asian British", "black": "Black, Black British, Caribbean or African",
                  "mixed": "Mixed or multiple ethnic groups", "white": "White",
                  "other": "Another ethnic group", **PREFER_NOT_TO_SAY},
    "disability": {"yes": "Yes", "no": "No", **PREFER_NOT_TO_SAY},
}
