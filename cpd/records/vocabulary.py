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
