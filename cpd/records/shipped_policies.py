"""The CPD policies the platform ships with, as data (seeded into the cpd_policies table)."""

SHIPPED_POLICY_CODES = (
    "science_council",
    "iet",
    "rics",
    "engineers_ireland",
    "engineers_australia",
    "acca",
)
