"""CPD activity types: the Science Council's mix."""

ACTIVITY_TYPES = {
    "work_based": "Work-based learning",
    "professional_activity": "Professional activity",
    "formal_educational": "Formal and educational",
    "self_directed": "Self-directed learning",
    "other": "Other",
}

OBJECTIVE_STATUSES = {
    "planned": "Planned",
    "in_progress": "In progress",
    "achieved": "Achieved",
    "dropped": "Dropped",
}

PERIOD_KINDS = {
    "calendar_year": "Calendar year",
    "rolling_months": "Rolling window of months",
}

UNITS = {"hours": "hours", "points": "points"}

# What a record is about, for the policies that ask for hours on a subject (Engineers Australia:
# area of practice, risk management, business and management; RICS: professional ethics).
TOPICS = {
    "area_of_practice": "My area of practice",
    "risk_management": "Risk management",
    "business_management": "Business and management skills",
    "ethics": "Professional ethics and standards",
    "health_and_safety": "Health and safety",
    "sustainability": "Sustainability",
    "equality_diversity_inclusion": "Equality, diversity and inclusion",
    "industry_involvement": "Industry involvement (academics and teachers)",
}

# A record's hours on one of a member's areas of practice are kept as a topic row of this prefix
# and the area's code ("area_of_practice:civil"), beside the plain area_of_practice topic.
AREA_TOPIC_PREFIX = "area_of_practice:"


# How a policy asks for reflection (Science Council standards 3 and 4 ask for both benefits).
REFLECTION_RULES = {
    "learning_and_a_benefit": "What was learned, and its benefit to practice or to the users of one's work",
    "learning_and_both_benefits": "What was learned, and its benefit to practice and to the users of one's work",
}

# Exemptions staff grant from a CPD requirement, as the bodies list them.
EXEMPTION_KINDS = {
    "career_break": "Career break",
    "parental_leave": "Parental leave",
    "illness": "Illness",
    "retired": "Retired",
    "part_time": "Part time",
    "other": "Other",
}

# The registration frameworks' competences a record can evidence: UK-SPEC (Engineering Council)
# areas A–E, the Science Council's areas A–E and the Registered Practitioner's (cpd.registration.frameworks).
COMPETENCE_CODES = (
    *(f"UKSPEC-{area}{n}" for area, count in (("A", 2), ("B", 3), ("C", 4), ("D", 3), ("E", 5))
      for n in range(1, count + 1)),
    *(f"SC-{area}{n}" for area, count in (("A", 3), ("B", 3), ("C", 3), ("D", 3), ("E", 3))
      for n in range(1, count + 1)),
    *(f"RP-{area}{n}" for area, count in (("A", 1), ("B", 2), ("C", 2), ("D", 1), ("E", 1))
      for n in range(1, count + 1)),
)
