"""The CPD policies the platform ships with, as data. Migrations seed them into cpd_policies.

Two editions: the first (migration 0002) said only what the first policy model could say; the
current one (migration 0010) follows each body's published rules, named in its description.
"""

FIRST_EDITION = [
    {
        "code": "science_council",
        "name": "Science Council (RSciTech, RSci, CSci)",
        "description": "No set number of hours: a mix of at least three types of activity over the last "
        "12 months, each with a reflection on what was learned and how it benefits your practice "
        "and the users of your work.",
        "period_kind": "rolling_months",
        "period_months": 12,
        "unit": "hours",
        "weights": {},
        "required_total": None,
        "type_minimums": {},
        "type_maximums": {},
        "verified_minimum": None,
        "distinct_types_minimum": 3,
        "reflection_required": True,
    },
    {
        "code": "iet",
        "name": "IET (Engineering Council registrants)",
        "description": "30 hours of CPD in each calendar year.",
        "period_kind": "calendar_year",
        "period_months": None,
        "unit": "hours",
        "weights": {},
        "required_total": 30,
        "type_minimums": {},
        "type_maximums": {},
        "verified_minimum": None,
        "distinct_types_minimum": None,
        "reflection_required": False,
    },
    {
        "code": "rics",
        "name": "RICS",
        "description": "20 hours of CPD in each calendar year, at least 10 of them formal learning.",
        "period_kind": "calendar_year",
        "period_months": None,
        "unit": "hours",
        "weights": {},
        "required_total": 20,
        "type_minimums": {"formal_educational": 10},
        "type_maximums": {},
        "verified_minimum": None,
        "distinct_types_minimum": None,
        "reflection_required": False,
    },
    {
        "code": "engineers_ireland",
        "name": "Engineers Ireland",
        "description": "35 hours of CPD in each calendar year.",
        "period_kind": "calendar_year",
        "period_months": None,
        "unit": "hours",
        "weights": {},
        "required_total": 35,
        "type_minimums": {},
        "type_maximums": {},
        "verified_minimum": None,
        "distinct_types_minimum": None,
        "reflection_required": False,
    },
    {
        "code": "engineers_australia",
        "name": "Engineers Australia",
        "description": "150 hours over any rolling three years; at most 50 of them self-directed study.",
        "period_kind": "rolling_months",
        "period_months": 36,
        "unit": "hours",
        "weights": {},
        "required_total": 150,
        "type_minimums": {},
        "type_maximums": {"self_directed": 50},
        "verified_minimum": None,
        "distinct_types_minimum": None,
        "reflection_required": False,
    },
    {
        "code": "acca",
        "name": "ACCA",
        "description": "40 hours of CPD in each calendar year, at least 21 of them verifiable.",
        "period_kind": "calendar_year",
        "period_months": None,
        "unit": "hours",
        "weights": {},
        "required_total": 40,
        "type_minimums": {},
        "type_maximums": {},
        "verified_minimum": 21,
        "distinct_types_minimum": None,
        "reflection_required": False,
    },
]

NEW_RULES = ("reflection", "formal_minimum", "verifiable_minimum", "topic_minimums", "topic_windows", "record_by",
             "advisory", "academic_topic_minimums")


def _current(code, **changes):
    first = next(policy for policy in FIRST_EDITION if policy["code"] == code)
    defaults = {"reflection": "learning_and_a_benefit", "formal_minimum": None, "verifiable_minimum": None,
                "topic_minimums": {}, "topic_windows": {}, "record_by": None, "advisory": False,
                "academic_topic_minimums": {}}
    return {**first, **defaults, **changes}


SHIPPED_POLICIES = [
    _current(
        "science_council",
        description="Science Council CPD Standards for registrants (RSciTech, RSci, CSci): no set hours; a mix "
        "of at least three (exceptionally, with agreement, two) of the five types of activity in the last 12 "
        "months (standard 2), each reflected on for what was learned and its benefit both to your practice "
        "(standard 3) and to the users of your work (standard 4).",
        reflection="learning_and_both_benefits",
    ),
    _current(
        "iet",
        description="IET Policy on CPD: members should aim for at least 30 hours of CPD a calendar year. It is "
        "guidance, not a rule: the summary says whether you are on track.",
        advisory=True,
    ),
    _current(
        "rics",
        description="RICS CPD requirements: at least 20 hours each calendar year, at least 10 of them formal "
        "(structured learning with outcomes), recorded by 31 January of the next year; and learning on RICS "
        "professional and ethical standards within every rolling three years.",
        type_minimums={}, formal_minimum=10, record_by=31,
        topic_minimums={"ethics": 1}, topic_windows={"ethics": 36},
    ),
    _current(
        "engineers_ireland",
        description="Engineers Ireland CPD Policy: at least 35 hours of CPD in each calendar year (1 January "
        "to 31 December).",
    ),
    _current(
        "engineers_australia",
        description="Engineers Australia CPD Policy (Chartered and NER): at least 150 hours over three years, "
        "of which at least 50 in your area of practice, 10 in risk management and 15 in business and "
        "management skills. Where you practise in more than one area, at least 50 hours in each (the same "
        "hours may count for each where they overlap). Engineering academics and teachers also show at "
        "least 40 hours of industry involvement in the three years.",
        type_maximums={}, topic_minimums={"area_of_practice": 50, "risk_management": 10, "business_management": 15},
        academic_topic_minimums={"industry_involvement": 40},
    ),
    _current(
        "acca",
        description="ACCA unit route: 40 relevant units (hours) of CPD each calendar year, of which at least 21 "
        "verifiable: relevant, applied at work, and with evidence that you did it.",
        verified_minimum=None, verifiable_minimum=21,
    ),
]

SHIPPED_POLICY_CODES = tuple(policy["code"] for policy in SHIPPED_POLICIES)
